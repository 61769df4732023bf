"""Settings shared by every environment. Differences come from ``config.env``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from config import env
from config.database import REPLICA_ALIAS, database_settings, replica_database_settings

BASE_DIR = env.BASE_DIR

SECRET_KEY = env.get("SECRET_KEY") or "dev-only-insecure-key-change-me-in-production"
DEBUG = env.get_bool("DEBUG", default=False)
ALLOWED_HOSTS = env.get_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.get_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # The default admin site lets in curators and administrators (see accounts.admin_site).
    "sdg87.accounts.admin_site.PlatformAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "sdg87.core",
    "sdg87.accounts",
    "sdg87.countries",
    "sdg87.framework",
    "sdg87.instruments",
    "sdg87.partners",
    "sdg87.indicators",
    "sdg87.library",
    "sdg87.pathfinders",
    "sdg87.profiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Content Security Policy (django-csp): no inline script or style anywhere, everything from
# this origin. Scripts take their data from json_script blocks and data- attributes. Only the
# interactive API docs (Swagger UI, django-ninja's page) are left out: they use inline script.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/api/v1/docs"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "sdg87" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASE_CHOICE = env.database_choice()
DATABASES = {
    "default": database_settings(DATABASE_CHOICE, conn_max_age=env.get_int("DB_CONN_MAX_AGE", 60))
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A PostgreSQL streaming replica (DATABASE_REPLICA_URL): reads of GET requests go to it, writes
# to the primary, and a client that wrote reads from the primary for REPLICA_PIN_SECONDS
# (read-your-writes; see sdg87.core.db_routing).
DATABASE_REPLICA_CHOICE = env.database_replica_choice()
REPLICA_PIN_SECONDS = env.replica_pin_seconds()
DATABASE_ROUTERS: list[str] = []
if DATABASE_REPLICA_CHOICE is not None:
    DATABASES[REPLICA_ALIAS] = replica_database_settings(
        DATABASES["default"],
        DATABASE_REPLICA_CHOICE,
        conn_max_age=env.get_int("DB_CONN_MAX_AGE", 60),
    )
    DATABASE_ROUTERS = ["sdg87.core.db_routing.PrimaryReplicaRouter"]
    # First after SecurityMiddleware: session and authentication reads are routed too.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "sdg87.core.db_routing.ReadYourWritesMiddleware",
    )

# --- Accounts -------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading a focal point's countries with the user (one query).
    "sdg87.accounts.backends.ScopedModelBackend",
    # Model permissions that come with a role (admin, curator); never authenticates.
    "sdg87.accounts.backends.RolePermissionBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Login throttling (django-axes): lock a username+address pair after 5 failures.
AXES_FAILURE_LIMIT = env.get_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env.get_bool("AXES_ENABLED", default=True)
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Renders that template with the time to retry, status 429 and a Retry-After header.
AXES_LOCKOUT_CALLABLE = "sdg87.accounts.views.locked_out"

EMAIL_BACKEND = env.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.get("DEFAULT_FROM_EMAIL", "sdg87@localhost")

# --- Internationalisation -------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "sdg87" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

# --- Static files ---------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
# Browser libraries from npm (scripts/vendor.sh, run by `make run`) are served from var/vendor.
VENDOR_DIR = BASE_DIR / "var" / "vendor"
STATICFILES_DIRS = [BASE_DIR / "sdg87" / "static"] + ([VENDOR_DIR] if VENDOR_DIR.is_dir() else [])
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "var" / "media"
MEDIA_URL = "/media/"

# --- Security defaults (tightened further in production.py) ---------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

DATA_DIR = BASE_DIR / "data"

# --- Background tasks (django-tasks, database backend: `sdg87 worker`) -------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Importers the generic "import file" task may run: name → dotted path of a callable
# ``(path, *, progress, **options) -> dict`` (see sdg87.core.tasks.import_file_task).
TASK_FILE_IMPORTERS: dict[str, str] = {}

# --- Harvesting (sdg87.library.harvest; SSRF guard in sdg87.library.safe_http) ---
# Private, loopback and link-local addresses are refused unless allowed here: all of them
# (tests with a local server, an intranet deployment) or exact "address:port" endpoints.
HARVEST_ALLOW_PRIVATE_ADDRESSES = False
HARVEST_ALLOWED_PRIVATE_ENDPOINTS: list[str] = []
HARVEST_CONNECT_TIMEOUT = 10  # seconds
HARVEST_READ_TIMEOUT = 30  # seconds without a byte
HARVEST_FETCH_DEADLINE = 120  # seconds for one response, redirects included
HARVEST_MAX_RESPONSE_BYTES = 50 * 1024 * 1024
HARVEST_MAX_REDIRECTS = 5
HARVEST_MAX_PAGES = 10_000  # OAI-PMH pages in one run
HARVEST_RESOURCE_STATUS = "published"  # status of the resources a harvest creates

# --- OAI-PMH provider (/oai) ----------------------------------------------
OAI_REPOSITORY_NAME = "sdg87 knowledge library on SDG Target 8.7"
# Identifiers are oai:<this>:<resource id>; set it to the domain the platform is served on.
OAI_REPOSITORY_IDENTIFIER = "sdg87.local"
OAI_ADMIN_EMAIL = DEFAULT_FROM_EMAIL
OAI_PAGE_SIZE = 100
OAI_TOKEN_LIFETIME = 24 * 3600  # seconds a resumption token stays valid

# --- Knowledge library: contributions and bundled corpus (sdg87.library) ---------
# Uploads (PDF, .docx, HTML, .txt): the file's size, and how far a .docx (a ZIP archive) may
# expand when its parts are read.
LIBRARY_UPLOAD_MAX_BYTES = 20 * 1024 * 1024
LIBRARY_UPLOAD_MAX_EXPANDED_BYTES = 100 * 1024 * 1024
# `sdg87 load-data` loads the document corpus (data/corpus, ~2,700 texts) into the library;
# the test settings switch it off so that loading the reference data stays fast.
LIBRARY_LOAD_CORPUS = env.get_bool("LIBRARY_LOAD_CORPUS", True)

# `sdg87 load-data` loads the example pathfinder roadmaps and reports (data/examples; invented,
# labelled "example" everywhere). `sdg87 remove-examples` deletes them; set
# PATHFINDER_EXAMPLES=false so that a later load-data does not bring them back.
PATHFINDER_EXAMPLES = env.get_bool("PATHFINDER_EXAMPLES", True)

# A background task still marked running after this many seconds without progress, whose worker
# cannot be checked on this host, is marked failed ("worker stopped before finishing").
TASK_STALE_SECONDS = env.get_int("TASK_STALE_SECONDS", 3600)

# --- Country profile PDF (sdg87.profiles.pdf) ------------------------------------
# Directory holding DejaVuSans.ttf and DejaVuSans-Bold.ttf (Unicode text); without them the PDF
# falls back to the built-in Helvetica, which shows characters outside Latin-1 as "?".
PDF_FONT_DIR = env.get("PDF_FONT_DIR").strip() or "/usr/share/fonts/truetype/dejavu"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.get("LOG_LEVEL", "WARNING")},
}
