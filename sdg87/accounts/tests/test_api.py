"""/api/v1/accounts and /api/v1/audit."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory

from sdg87.accounts import services
from sdg87.accounts.auth import request_actor
from sdg87.accounts.models import ApiToken
from sdg87.accounts.tests.factories import (
    AdminFactory,
    CuratorFactory,
    FocalPointFactory,
    PartnerEditorFactory,
    UserFactory,
    api_token,
)
from sdg87.core.audit import audit_record
from sdg87.core.errors import NotAuthenticated
from sdg87.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def bearer(plaintext):
    return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}


def test_me_with_a_session_shows_the_signed_in_user(client):
    user = UserFactory()
    client.force_login(user)

    body = client.get("/api/v1/accounts/me").json()

    assert body["username"] == user.username
    assert body["role"] == "viewer"


def test_creating_a_token_returns_the_plaintext_once(client):
    user = UserFactory()
    _token, plaintext = api_token(user)

    response = client.post(
        "/api/v1/accounts/tokens",
        {"name": "nightly import", "expires_at": "2999-01-01T00:00:00Z"},
        content_type="application/json",
        **bearer(plaintext),
    )

    assert response.status_code == 201
    body = response.json()
    assert body["token"].startswith("sdg87_")
    assert body["name"] == "nightly import"
    assert body["expires_at"].startswith("2999-01-01")
    listing = client.get("/api/v1/accounts/tokens", **bearer(plaintext)).json()
    assert listing["count"] == 2
    assert all("token" not in item for item in listing["results"])
    assert AuditEntry.objects.filter(object_type="accounts.apitoken", source="api").count() == 1


def test_token_with_a_past_expiry_is_refused_with_400(client):
    _token, plaintext = api_token(UserFactory())

    response = client.post(
        "/api/v1/accounts/tokens",
        {"name": "old", "expires_at": "2001-01-01T00:00:00Z"},
        content_type="application/json",
        **bearer(plaintext),
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_input"


def test_token_list_shows_only_ones_own_tokens(client):
    user = UserFactory()
    _token, plaintext = api_token(user)
    api_token(UserFactory())

    listing = client.get("/api/v1/accounts/tokens", **bearer(plaintext)).json()

    assert listing["count"] == 1


def test_deleting_a_token_revokes_it(client):
    user = UserFactory()
    _mine, plaintext = api_token(user)
    other, _other_plaintext = api_token(user, name="other")

    response = client.delete(f"/api/v1/accounts/tokens/{other.pk}", **bearer(plaintext))

    assert response.status_code == 200
    assert response.json()["active"] is False
    other.refresh_from_db()
    assert other.revoked_at is not None


def test_deleting_someone_elses_token_is_404(client):
    _mine, plaintext = api_token(UserFactory())
    theirs, _ = api_token(UserFactory())

    response = client.delete(f"/api/v1/accounts/tokens/{theirs.pk}", **bearer(plaintext))

    assert response.status_code == 404
    assert ApiToken.objects.get(pk=theirs.pk).revoked_at is None


def test_session_writes_need_the_csrf_token():
    user = UserFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.post(
        "/api/v1/accounts/tokens", {"name": "x"}, content_type="application/json"
    )

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "csrf_failed"


def test_anonymous_write_gets_401_not_a_csrf_error():
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        "/api/v1/accounts/tokens", {"name": "x"}, content_type="application/json"
    )

    assert response.status_code == 401


# --- request_actor, for public endpoints -------------------------------------------


def test_request_actor_is_anonymous_without_credentials():
    request = RequestFactory().get("/api/v1/anything")
    request.user = AnonymousUser()

    assert not request_actor(request).is_authenticated


def test_request_actor_is_the_token_user():
    user = UserFactory()
    _token, plaintext = api_token(user)
    request = RequestFactory().get("/api/v1/anything", **bearer(plaintext))
    request.user = AnonymousUser()

    assert request_actor(request) == user


def test_request_actor_refuses_a_bad_token_instead_of_going_anonymous():
    request = RequestFactory().get("/api/v1/anything", **bearer("sdg87_wrongwrongwrong"))
    request.user = AnonymousUser()

    with pytest.raises(NotAuthenticated):
        request_actor(request)


# --- /api/v1/audit -------------------------------------------------------------------


def test_audit_list_is_readable_by_curators(client):
    curator = CuratorFactory()
    audit_record(actor=curator, action="create", object_type="partners.organisation", object_id=1)
    client.force_login(curator)

    response = client.get("/api/v1/audit")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    entry = body["results"][0]
    assert entry["actor"] == curator.username
    assert entry["object_type"] == "partners.organisation"
    assert entry["occurred_at"].endswith(("Z", "+00:00"))


@pytest.mark.parametrize(
    "factory", [UserFactory, FocalPointFactory, PartnerEditorFactory], ids=lambda f: f.__name__
)
def test_audit_list_is_403_for_other_roles(client, factory):
    _token, plaintext = api_token(factory())

    response = client.get("/api/v1/audit", **bearer(plaintext))

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_audit_list_is_401_for_anonymous(client):
    response = client.get("/api/v1/audit")

    assert response.status_code == 401
    assert set(response.json()["error"]) == {"code", "message", "details"}


def test_audit_list_filters_by_object_actor_and_date(client):
    admin = AdminFactory()
    curator = CuratorFactory()
    audit_record(actor=admin, action="create", object_type="partners.organisation", object_id=1)
    audit_record(actor=curator, action="update", object_type="partners.organisation", object_id=2)
    audit_record(actor=curator, action="create", object_type="accounts.user", object_id=2)
    client.force_login(curator)

    def count(query):
        return client.get(f"/api/v1/audit?{query}").json()["count"]

    assert count("object_type=partners.organisation") == 2
    assert count("object_type=partners.organisation&object_id=2") == 1
    assert count(f"actor={curator.username}") == 2
    assert count("since=2000-01-01T00:00:00Z") == 3
    assert count("since=2999-01-01T00:00:00") == 0


def test_audit_list_answers_in_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    curator = CuratorFactory()
    for number in range(20):
        audit_record(actor=curator, action="create", object_type="x.y", object_id=number)
    client.force_login(curator)

    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/audit?page_size=20")

    assert len(response.json()["results"]) == 20


def test_audit_entries_name_the_actor_even_after_the_account_is_gone(client):
    leaver = UserFactory()
    _token, _plaintext = services.token_create(user=leaver, name="temp")
    leaver.delete()
    client.force_login(CuratorFactory())

    entry = client.get("/api/v1/audit").json()["results"][0]

    assert entry["actor"] is None
    assert entry["actor_label"] == leaver.username
