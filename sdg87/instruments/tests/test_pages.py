import pytest


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("en", "Forced Labour Convention"),
        ("fr", "Convention sur le travail forcé"),
        ("es", "Convenio sobre el trabajo forzoso"),
    ],
)
def test_instrument_list_renders_in_each_language(client, reference_data, language, title):
    response = client.get(f"/{language}/instruments/")

    assert response.status_code == 200
    assert title in response.content.decode()
    assert f'href="/{language}/instruments/PALERMO/"' in response.content.decode()


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_instrument_page_shows_official_titles(client, reference_data, language):
    response = client.get(f"/{language}/instruments/CRC-OP-AC/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "involvement of children in armed conflict" in html
    assert "implication d’enfants dans les conflits armés" in html
    assert "participación de niños en los conflictos armados" in html


def test_unknown_instrument_page_is_404(client, reference_data):
    assert client.get("/en/instruments/C999/").status_code == 404
