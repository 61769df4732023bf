"""Indicator definitions: loaded from reference/indicators.csv, edited by curators (audited)."""

from __future__ import annotations

import shutil

import pytest

from sdg87.accounts.tests.factories import CuratorFactory, UserFactory
from sdg87.core.errors import InvalidInput, PermissionDenied
from sdg87.core.models import AuditEntry
from sdg87.indicators.models import Indicator
from sdg87.indicators.services import indicator_update, indicators_load_bundled
from sdg87.indicators.services.definitions import INDICATORS_FILE
from sdg87.indicators.tests.import_support import DATA_DIR, load_indicator_reference

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference(db):
    load_indicator_reference()


def test_sdg_titles_come_from_the_framework_in_three_languages(reference):
    indicator = Indicator.objects.get(code="16.2.2")

    assert indicator.title_en == indicator.sdg_indicator.title_en
    assert indicator.title_fr.startswith("Nombre de victimes de la traite")
    assert indicator.kind == "sdg"


def test_agreed_indicators_have_their_own_texts(reference):
    indicator = Indicator.objects.get(code="ilab-working-children-share")

    assert indicator.kind == "agreed"
    assert indicator.sdg_indicator is None
    assert all(getattr(indicator, f"definition_{lang}") for lang in ("en", "fr", "es"))
    assert indicator.reading_note_en.startswith("The year is ILAB's reporting year")


def test_a_curators_edit_is_audited_and_kept_by_the_next_load(reference):
    curator = CuratorFactory()
    indicator = Indicator.objects.get(code="8.8.1")

    indicator_update(indicator=indicator, actor=curator, changes={"target_value": 0.0})
    report = indicators_load_bundled(DATA_DIR)[0]

    indicator.refresh_from_db()
    assert indicator.target_value == 0.0
    assert indicator.curated_at is not None
    assert report.updated == 0
    entry = AuditEntry.objects.filter(object_type="indicators.indicator", action="update").latest(
        "occurred_at"
    )
    assert (entry.actor, entry.before, entry.after) == (
        curator,
        {"target_value": None},
        {"target_value": 0.0},
    )


def test_only_curators_edit_definitions(reference):
    with pytest.raises(PermissionDenied):
        indicator_update(
            indicator=Indicator.objects.get(code="8.7.1"),
            actor=UserFactory(),
            changes={"target_year": 2030},
        )


def test_the_admin_edit_of_a_definition_is_audited_and_curated(reference, client):
    curator = CuratorFactory()
    client.force_login(curator)
    indicator = Indicator.objects.get(code="gsi-number")
    url = f"/en/admin/indicators/indicator/{indicator.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {name: value for name, value in data.items() if value is not None}
    data["target_year"] = 2035

    response = client.post(url, data)

    assert response.status_code == 302, response.content[:2000]
    indicator.refresh_from_db()
    assert indicator.target_year == 2035
    assert indicator.curated_at is not None
    entry = AuditEntry.objects.get(
        object_type="indicators.indicator", object_id=str(indicator.pk), actor=curator
    )
    assert entry.after["target_year"] == 2035


def test_a_bad_definition_file_is_refused_naming_row_and_field(reference, tmp_path):
    (tmp_path / "reference").mkdir()
    text = (DATA_DIR / INDICATORS_FILE).read_text(encoding="utf-8")
    (tmp_path / INDICATORS_FILE).write_text(text.replace(",down,0,2025,", ",sideways,0,2025,", 1))

    with pytest.raises(InvalidInput) as raised:
        indicators_load_bundled(tmp_path)

    assert raised.value.details["field"] == "desired_direction"
    assert raised.value.details["row"] == 1


def test_a_series_code_listed_twice_is_refused(reference, tmp_path):
    shutil.copytree(DATA_DIR / "reference", tmp_path / "reference")
    path = tmp_path / INDICATORS_FILE
    path.write_text(
        path.read_text(encoding="utf-8").replace("SL_LBR_NTLCPL", "SL_TLF_CHLDEC"),
        encoding="utf-8",
    )

    with pytest.raises(InvalidInput, match=r"SL_TLF_CHLDEC is already listed for 8\.7\.1"):
        indicators_load_bundled(tmp_path)
