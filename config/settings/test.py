"""Settings for the test suite: fast hasher, in-memory e-mail, no throttling noise."""

from .base import *  # noqa: F403
from .base import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Tests use an in-memory database; the test runner creates it.
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}

# Tests never run collectstatic: WhiteNoise finds files through the staticfiles finders, per
# request, instead of scanning STATIC_ROOT (absent in a fresh clone) at start-up.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Loading the reference data in tests skips the ~2,700-document library corpus (slow); the
# library's tests load small fixture files of their own.
LIBRARY_LOAD_CORPUS = False
PATHFINDER_EXAMPLES = False
