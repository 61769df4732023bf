"""Sign-in, sign-out, throttling, password reset, the profile and the audit page."""

import re

import pytest
from django.core import mail

from sdg87.accounts.models import ApiToken
from sdg87.accounts.tests.factories import (
    TEST_PASSWORD,
    CuratorFactory,
    FocalPointFactory,
    UserFactory,
    api_token,
    country,
)
from sdg87.core.audit import audit_record
from sdg87.core.models import AuditEntry

pytestmark = pytest.mark.django_db

LOGIN = "/en/accounts/login/"


def sign_in(client, username, password=TEST_PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def test_login_page_renders(client):
    response = client.get(LOGIN)

    assert response.status_code == 200
    assert b'name="password"' in response.content


def test_login_page_is_translated(client):
    response = client.get("/fr/accounts/login/")

    assert response.status_code == 200
    assert 'lang="fr"' in response.content.decode()


def test_signing_in_with_the_right_password_works_and_is_audited(client):
    user = UserFactory()

    response = sign_in(client, user.username)

    assert response.status_code == 302
    assert client.get("/api/v1/accounts/me").json()["username"] == user.username
    assert AuditEntry.objects.filter(action="login", actor=user).exists()


def test_wrong_password_shows_the_form_again(client):
    user = UserFactory()

    response = sign_in(client, user.username, "wrong password")

    assert response.status_code == 200
    assert b"errorlist" in response.content


def test_five_failed_sign_ins_lock_the_account_out(client):
    user = UserFactory()
    for _attempt in range(4):
        assert sign_in(client, user.username, "wrong password").status_code == 200

    fifth = sign_in(client, user.username, "wrong password")
    with_right_password = sign_in(client, user.username)

    assert fifth.status_code == 429
    assert with_right_password.status_code == 429
    assert "Retry-After" in with_right_password
    page = with_right_password.content.decode()
    assert "blocked" in page
    assert "UTC" in page
    assert not client.session.get("_auth_user_id")


def test_sign_out_needs_a_post(client):
    user = UserFactory()
    client.force_login(user)

    assert client.get("/en/accounts/logout/").status_code == 405
    response = client.post("/en/accounts/logout/")

    assert response.status_code == 302
    assert client.get("/api/v1/accounts/me").status_code == 401
    assert AuditEntry.objects.filter(action="logout", actor=user).exists()


def test_password_reset_sends_a_working_link(client):
    user = UserFactory(email="focal@example.org")

    response = client.post("/en/accounts/password-reset/", {"email": "focal@example.org"})

    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/password-reset/done/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["focal@example.org"]
    link = re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)
    assert link.startswith("/en/accounts/password-reset/confirm/")

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"]
    new_password = "a fresh and long passphrase"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )

    assert done.status_code == 302
    assert done["Location"] == "/en/accounts/password-reset/complete/"
    user.refresh_from_db()
    assert user.check_password(new_password)
    assert AuditEntry.objects.filter(action="password_reset", actor=user).exists()


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client):
    response = client.post("/en/accounts/password-reset/", {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/password-reset/done/"
    assert mail.outbox == []


def test_password_reset_link_works_only_once(client):
    UserFactory(email="once@example.org")
    client.post("/en/accounts/password-reset/", {"email": "once@example.org"})
    link = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(
        form_url, {"new_password1": "first new passphrase", "new_password2": "first new passphrase"}
    )

    again = client.get(link, follow=True)

    assert not again.context["validlink"]


def test_profile_needs_sign_in(client):
    response = client.get("/en/accounts/profile/")

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_profile_shows_role_and_scope(client):
    focal_point = FocalPointFactory(countries=[country("KEN", "Kenya")])
    client.force_login(focal_point)

    page = client.get("/en/accounts/profile/").content.decode()

    assert "Country focal point" in page
    assert "Kenya (KEN)" in page


def test_profile_creates_a_token_and_shows_it_once(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post("/en/accounts/profile/tokens/", {"name": "my script", "lifetime": "30"})

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    plaintext = response.context["created_plaintext"]
    assert plaintext in response.content.decode()
    token = ApiToken.objects.get(user=user)
    assert token.expires_at is not None
    assert plaintext not in client.get("/en/accounts/profile/").content.decode()
    assert (
        client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {plaintext}").json()[
            "username"
        ]
        == user.username
    )


def test_profile_revokes_a_token(client):
    user = UserFactory()
    token, _plaintext = api_token(user)
    client.force_login(user)

    response = client.post(f"/en/accounts/profile/tokens/{token.pk}/revoke/")

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_profile_cannot_revoke_someone_elses_token(client):
    token, _plaintext = api_token(UserFactory())
    client.force_login(UserFactory())

    response = client.post(f"/en/accounts/profile/tokens/{token.pk}/revoke/")

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_audit_page_is_for_curators(client):
    curator = CuratorFactory()
    audit_record(
        actor=curator,
        action="create",
        object_type="partners.organisation",
        object_id=4,
        object_repr="Walk Free",
    )
    client.force_login(curator)

    response = client.get("/en/accounts/audit/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Walk Free" in page
    assert "UTC" in page


def test_audit_page_filters(client):
    curator = CuratorFactory()
    audit_record(actor=curator, action="create", object_type="a.one", object_repr="Alpha entry")
    audit_record(actor=curator, action="create", object_type="b.two", object_repr="Beta entry")
    client.force_login(curator)

    page = client.get("/en/accounts/audit/?object_type=b.two").content.decode()

    assert "Beta entry" in page
    assert "Alpha entry" not in page


def test_audit_page_is_forbidden_to_viewers(client):
    client.force_login(UserFactory())

    assert client.get("/en/accounts/audit/").status_code == 403


def test_audit_page_sends_anonymous_users_to_sign_in(client):
    response = client.get("/en/accounts/audit/")

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
