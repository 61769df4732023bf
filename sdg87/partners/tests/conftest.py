from pathlib import Path

import pytest
from django.conf import settings


@pytest.fixture
def aliases(db):
    """The bundled alias table of major organisations, loaded as `sdg87 load-data` does."""
    from sdg87.partners.services import organisation_aliases_load_bundled

    return organisation_aliases_load_bundled(Path(settings.DATA_DIR))


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded logos and evidence files go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
