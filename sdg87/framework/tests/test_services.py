import csv
import shutil
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from sdg87.core.errors import InvalidInput
from sdg87.framework import selectors
from sdg87.framework.models import GlobalEstimate, Goal, Indicator, Target, TargetSynergy, Theme
from sdg87.framework.services import (
    ESTIMATES_FILE,
    FRAMEWORK_DIR,
    SYNERGIES_FILE,
    THEMES_FILE,
    deadline_year,
    framework_load_bundled,
    natural_sort_key,
)

DATA_DIR = Path(settings.DATA_DIR)


def english(kind: str) -> dict[str, str]:
    path = DATA_DIR / FRAMEWORK_DIR / "en" / f"global_{kind}.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def bundled_rows(relative: Path) -> list[dict[str, str]]:
    with (DATA_DIR / relative).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def copy_framework_files(target: Path) -> None:
    shutil.copytree(DATA_DIR / FRAMEWORK_DIR, target / FRAMEWORK_DIR)
    (target / "reference").mkdir()
    for relative in (THEMES_FILE, SYNERGIES_FILE, ESTIMATES_FILE):
        shutil.copy(DATA_DIR / relative, target / relative)


def test_natural_sort_key_orders_codes_as_the_un_does():
    codes = ["8.a", "8.10", "8.2", "16.2.2.a", "16.2.2", "10.1"]

    assert sorted(codes, key=natural_sort_key) == [
        "8.2",
        "8.10",
        "8.a",
        "10.1",
        "16.2.2",
        "16.2.2.a",
    ]


def test_deadline_year_is_the_first_by_year_of_the_text():
    assert deadline_year("By 2030, ensure that all girls and boys complete education") == 2030
    assert deadline_year("Take measures … and by 2025 end child labour in all its forms") == 2025
    assert deadline_year("Promote the rule of law at the national and international levels") is None


def test_every_goal_target_and_indicator_of_the_files_is_loaded(reference_data):
    goal_count = sum(key.endswith("-title") for key in english("goals"))

    assert Goal.objects.count() == goal_count
    assert Target.objects.count() == len(english("targets"))
    assert Indicator.objects.count() == len(english("indicators"))


def test_target_87_has_its_texts_deadline_and_indicator(reference_data):
    target = Target.objects.get(code="8.7")

    assert target.goal.code == "8"
    assert target.title_en == english("targets")["8-7-title"]
    assert target.title_fr.startswith("Prendre des mesures immédiates et efficaces")
    assert target.title_es.startswith("Adoptar medidas inmediatas y eficaces")
    assert target.deadline_year == 2025
    assert list(target.indicators.values_list("code", flat=True)) == ["8.7.1"]


def test_targets_are_ordered_with_numbers_before_letters(reference_data):
    codes = list(Target.objects.filter(goal__code="8").values_list("code", flat=True))

    assert codes.index("8.10") < codes.index("8.a")
    assert codes.index("8.2") < codes.index("8.10")


def test_synergies_of_target_87_are_those_of_the_file(reference_data):
    expected = [row["related_target"] for row in bundled_rows(SYNERGIES_FILE)]

    related = TargetSynergy.objects.filter(source__code="8.7").order_by("position")
    assert [synergy.related.code for synergy in related] == expected
    assert all(synergy.description_fr and synergy.description_es for synergy in related)


def test_themes_include_the_target_87_themes(reference_data):
    slugs = set(Theme.objects.values_list("slug", flat=True))

    assert {
        "forced-labour",
        "child-labour",
        "human-trafficking",
        "modern-slavery",
        "forced-marriage",
        "child-soldiers",
        "worst-forms-of-child-labour",
        "commercial-sexual-exploitation",
    } <= slugs


def test_breakdowns_add_up_to_the_estimate_they_break_down(reference_data):
    for estimate in GlobalEstimate.objects.prefetch_related("breakdowns"):
        parts = list(estimate.breakdowns.all())
        if parts:
            assert sum(part.value for part in parts) == estimate.value, estimate.key


def test_headline_estimates_are_the_top_level_figures_with_children(reference_data):
    headline = {figure.key: figure for figure in selectors.headline_estimates()}

    assert headline["modern-slavery"].display_value == "49.6 million"
    assert headline["child-labour"].display_value == "160 million"
    assert {child.key for child in headline["modern-slavery"].children} == {
        "forced-labour",
        "forced-marriage",
    }
    assert {child.key for child in headline["child-labour"].children} == {
        "child-labour-girls",
        "child-labour-boys",
    }
    assert "forced-labour" not in headline


def test_loading_twice_reports_nothing_created_or_updated(reference_data):
    counts = (Goal.objects.count(), Target.objects.count(), GlobalEstimate.objects.count())

    reports = framework_load_bundled(DATA_DIR)

    assert (Goal.objects.count(), Target.objects.count(), GlobalEstimate.objects.count()) == counts
    assert sum(report.created + report.updated for report in reports) == 0


@pytest.mark.django_db
def test_an_unknown_yaml_key_names_the_file_and_writes_nothing(tmp_path):
    copy_framework_files(tmp_path)
    french = tmp_path / FRAMEWORK_DIR / "fr" / "global_targets.yml"
    french.write_text(french.read_text(encoding="utf-8") + "8-7-titel: Texte\n", encoding="utf-8")

    with pytest.raises(InvalidInput) as caught:
        framework_load_bundled(tmp_path)

    assert caught.value.details["file"] == "sdg_framework/fr/global_targets.yml"
    assert caught.value.details["field"] == "8-7-titel"
    assert Goal.objects.count() == 0


@pytest.mark.django_db
def test_a_bad_estimate_unit_names_file_row_and_field(tmp_path):
    copy_framework_files(tmp_path)
    path = tmp_path / ESTIMATES_FILE
    rows = bundled_rows(ESTIMATES_FILE)
    rows[1]["unit"] = "euros"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)

    with pytest.raises(InvalidInput) as caught:
        framework_load_bundled(tmp_path)

    assert caught.value.details == {
        "file": str(ESTIMATES_FILE),
        "field": "unit",
        "row": 2,
        "line": 3,
    }
    assert GlobalEstimate.objects.count() == 0
    assert Target.objects.count() == 0
