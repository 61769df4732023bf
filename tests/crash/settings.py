"""Settings for ``scripts/crash_test.py``: the base settings, with

- the harvester allowed to reach the script's own OAI-PMH test server on the loopback address
  (``HARVEST_ALLOW_PRIVATE_ADDRESSES`` is a Django setting only, not an environment variable);
- ``sdg87 setup``'s collectstatic writing plain copies to a temporary directory instead of
  compressing every file into the shared ``var/static`` (85 s on a busy machine; the database
  it sets up is the same).

The crash test passes ``DJANGO_SETTINGS_MODULE=tests.crash.settings`` to ``sdg87 setup`` and
``sdg87 harvest``. Never use this module to serve the platform.
"""

import tempfile
from pathlib import Path

from config.settings.base import *  # noqa: F403
from config.settings.base import STORAGES

HARVEST_ALLOW_PRIVATE_ADDRESSES = True
STATIC_ROOT = Path(tempfile.gettempdir()) / "sdg87-crash-static"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
