import pytest


@pytest.mark.django_db
def test_unknown_api_path_answers_404_with_the_error_shape(client):
    response = client.get("/api/v1/no-such-endpoint")
    assert response.status_code == 404
    body = response.json()
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == "not_found"


def test_openapi_document_is_valid_openapi_3(client):
    from openapi_spec_validator import validate

    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    validate(document)


def test_human_api_docs_are_served(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content


@pytest.mark.django_db
def test_a_multipart_body_without_a_boundary_is_a_400_not_a_500(client):
    from sdg87.accounts.tests.factories import CuratorFactory

    client.force_login(CuratorFactory())
    response = client.generic(
        "POST", "/api/v1/indicators/imports", b"x", content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_body"
