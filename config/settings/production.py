"""Production: everything in base, with the deploy checks satisfied."""

from config import env

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = env.get("SECRET_KEY")
if not SECRET_KEY or len(SECRET_KEY) < 50:
    raise env.ConfigurationError("SECRET_KEY must be set to at least 50 random characters")
SECURE_SSL_REDIRECT = env.get_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.get_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
