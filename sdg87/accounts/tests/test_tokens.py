"""Personal API tokens: storage, lifecycle, and authenticating API calls with them."""

import datetime
import hashlib

import pytest
from django.utils import timezone

from sdg87.accounts import services
from sdg87.accounts.models import ApiToken
from sdg87.accounts.tests.factories import (
    AdminFactory,
    FocalPointFactory,
    PartnerEditorFactory,
    UserFactory,
    api_token,
    country,
    days_from_now,
)
from sdg87.core.errors import InvalidInput, NotAuthenticated, NotFound
from sdg87.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def bearer(plaintext):
    return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}


def test_token_plaintext_is_never_stored_and_its_sha256_is():
    token, plaintext = api_token(UserFactory())

    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert plaintext not in {str(value) for value in row.values()}
    assert row["token_hash"] == hashlib.sha256(plaintext.encode()).hexdigest()
    assert plaintext.startswith("sdg87_")
    assert row["prefix"] == plaintext[len("sdg87_") :][:8]


def test_token_plaintext_is_not_in_the_audit_trail():
    token, plaintext = api_token(UserFactory())

    entry = AuditEntry.objects.get(object_type="accounts.apitoken", object_id=str(token.pk))
    assert entry.action == "create"
    assert plaintext not in str(entry.after)
    assert "token_hash" not in entry.after


def test_each_token_is_different():
    user = UserFactory()
    first = api_token(user)[1]
    second = api_token(user)[1]
    assert first != second


def test_token_expiry_must_be_in_the_future():
    with pytest.raises(InvalidInput):
        api_token(UserFactory(), expires_at=days_from_now(-1))


def test_token_needs_a_name():
    with pytest.raises(InvalidInput):
        services.token_create(user=UserFactory(), name="   ")


def test_token_authenticates_its_user():
    user = UserFactory()
    _token, plaintext = api_token(user)

    assert services.token_authenticate(plaintext=plaintext).user == user


def test_token_authentication_records_last_use():
    token, plaintext = api_token(UserFactory())

    services.token_authenticate(plaintext=plaintext)

    token.refresh_from_db()
    assert token.last_used_at is not None


def test_revoked_token_no_longer_authenticates():
    user = UserFactory()
    token, plaintext = api_token(user)

    services.token_revoke(actor=user, token_id=token.pk)

    with pytest.raises(NotAuthenticated) as raised:
        services.token_authenticate(plaintext=plaintext)
    assert raised.value.code == "token_revoked"


def test_expired_token_no_longer_authenticates():
    token, plaintext = api_token(UserFactory(), expires_at=days_from_now(1))
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    with pytest.raises(NotAuthenticated) as raised:
        services.token_authenticate(plaintext=plaintext)
    assert raised.value.code == "token_expired"


def test_token_of_a_disabled_account_no_longer_authenticates():
    user = UserFactory()
    _token, plaintext = api_token(user)
    user.is_active = False
    user.save()

    with pytest.raises(NotAuthenticated):
        services.token_authenticate(plaintext=plaintext)


def test_user_cannot_revoke_someone_elses_token():
    token, _plaintext = api_token(UserFactory())

    with pytest.raises(NotFound):
        services.token_revoke(actor=UserFactory(), token_id=token.pk)
    token.refresh_from_db()
    assert token.revoked_at is None


def test_admin_can_revoke_anyones_token_and_it_is_audited():
    token, _plaintext = api_token(UserFactory())
    admin = AdminFactory()

    services.token_revoke(actor=admin, token_id=token.pk)

    token.refresh_from_db()
    assert token.revoked_at is not None
    entry = AuditEntry.objects.get(action="revoke", object_id=str(token.pk))
    assert entry.actor == admin
    assert entry.before["revoked_at"] is None
    assert entry.after["revoked_at"] is not None


def test_revoking_twice_changes_nothing_the_second_time():
    user = UserFactory()
    token, _plaintext = api_token(user)
    first = services.token_revoke(actor=user, token_id=token.pk).revoked_at

    second = services.token_revoke(actor=user, token_id=token.pk).revoked_at

    assert first == second
    assert AuditEntry.objects.filter(action="revoke").count() == 1


# --- the API with a token ------------------------------------------------------


def test_token_carries_the_role_and_scope_of_its_user(client):
    focal_point = FocalPointFactory(countries=[country("FRA"), country("KEN")])
    _token, plaintext = api_token(focal_point)

    response = client.get("/api/v1/accounts/me", **bearer(plaintext))

    assert response.status_code == 200
    assert response.json() == {
        "username": focal_point.username,
        "role": "focal_point",
        "countries": ["FRA", "KEN"],
        "organisation": None,
    }


def test_partner_editor_token_carries_its_organisation(client):
    editor = PartnerEditorFactory()
    _token, plaintext = api_token(editor)

    body = client.get("/api/v1/accounts/me", **bearer(plaintext)).json()

    assert body["role"] == "partner_editor"
    assert body["organisation"]["id"] == editor.organisation_id


def assert_401_with_error_shape(response):
    assert response.status_code == 401
    error = response.json()["error"]
    assert set(error) == {"code", "message", "details"}
    return error


def test_revoked_token_gets_401_with_the_error_shape(client):
    user = UserFactory()
    token, plaintext = api_token(user)
    services.token_revoke(actor=user, token_id=token.pk)

    error = assert_401_with_error_shape(client.get("/api/v1/accounts/me", **bearer(plaintext)))
    assert error["code"] == "token_revoked"


def test_expired_token_gets_401_with_the_error_shape(client):
    token, plaintext = api_token(UserFactory(), expires_at=days_from_now(1))
    ApiToken.objects.filter(pk=token.pk).update(expires_at=days_from_now(-1))

    error = assert_401_with_error_shape(client.get("/api/v1/accounts/me", **bearer(plaintext)))
    assert error["code"] == "token_expired"


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer garbage",
        "Bearer sdg87_AAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "Bearer ",
        "Token abc",
        "Basic Zm9v",
    ],
)
def test_garbage_credentials_get_401_with_the_error_shape(client, authorization):
    response = client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=authorization)

    assert assert_401_with_error_shape(response)["code"] in {"token_invalid", "not_authenticated"}


def test_bad_token_is_refused_even_with_a_valid_session(client):
    client.force_login(UserFactory())

    response = client.get("/api/v1/accounts/me", **bearer("sdg87_notarealtoken"))

    assert_401_with_error_shape(response)


def test_anonymous_call_to_me_gets_401_with_the_error_shape(client):
    error = assert_401_with_error_shape(client.get("/api/v1/accounts/me"))
    assert error["code"] == "not_authenticated"
