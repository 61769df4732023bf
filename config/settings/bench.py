"""`make load`: the base settings with the benchmark reference endpoint mounted."""

from .base import *  # noqa: F403

ROOT_URLCONF = "config.urls_bench"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
