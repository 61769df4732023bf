"""The example content: loaded by load-data, flagged, idempotent, removable in one command."""

import json

import pytest

from sdg87 import cli
from sdg87.indicators.models import Observation
from sdg87.pathfinders.models import (
    AnnualReport,
    ExchangeRate,
    Pathfinder,
    ReportStatus,
    Roadmap,
)
from sdg87.pathfinders.services.examples import examples_load_bundled, examples_remove
from sdg87.pathfinders.services.reports import REPORT_SERIES


@pytest.fixture
def with_examples(reference_data, settings):
    settings.PATHFINDER_EXAMPLES = True
    return examples_load_bundled(settings.DATA_DIR)


def test_examples_are_loaded_and_every_object_is_flagged(with_examples):
    assert Pathfinder.objects.count() == 2
    assert not Pathfinder.objects.filter(is_example=False).exists()
    assert not Roadmap.objects.filter(is_example=False).exists()
    assert not AnnualReport.objects.filter(is_example=False).exists()
    assert AnnualReport.objects.filter(status=ReportStatus.PUBLISHED).count() == 1


def test_the_published_example_report_wrote_an_observation_labelled_example(with_examples):
    observation = Observation.objects.get(series=REPORT_SERIES)
    assert observation.area_code == "RWA"
    assert observation.source.endswith("(example)")


def test_loading_the_examples_twice_changes_nothing(with_examples, settings):
    counts = (Pathfinder.objects.count(), AnnualReport.objects.count(), Observation.objects.count())
    second = examples_load_bundled(settings.DATA_DIR)
    assert second[0].created == 0
    assert counts == (
        Pathfinder.objects.count(),
        AnnualReport.objects.count(),
        Observation.objects.count(),
    )


def test_examples_are_not_loaded_when_the_setting_is_off(reference_data, settings):
    settings.PATHFINDER_EXAMPLES = False
    assert examples_load_bundled(settings.DATA_DIR) == []
    assert not Pathfinder.objects.exists()


def test_remove_deletes_the_examples_and_their_observations(with_examples):
    observations_before = Observation.objects.count()
    removed = examples_remove()
    assert removed["pathfinders"] == 2
    assert removed["observations"] == 1
    assert not Pathfinder.objects.exists()
    assert not AnnualReport.objects.exists()
    assert not ExchangeRate.objects.filter(source__startswith="Example").exists()
    assert Observation.objects.count() == observations_before - 1


def test_remove_leaves_real_pathfinders_alone(with_examples):
    from sdg87.pathfinders.tests import factories

    real = factories.pathfinder("FRA")
    examples_remove()
    assert list(Pathfinder.objects.all()) == [real]


def test_the_command_removes_the_examples_and_prints_json(with_examples, capsys):
    assert cli.main(["remove-examples", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["removed"]["reports"] == 3
    assert not Pathfinder.objects.exists()
