"""Settings for the test suite: production settings with the few changes tests need."""

import os

# Tests talk plain http to a local live server.
os.environ.setdefault("RATHAUS_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("RATHAUS_SECURE_COOKIES", "0")
os.environ.setdefault("RATHAUS_HSTS_SECONDS", "0")
# The city's account on fee notices (made up: valid check digits, no real bank).
os.environ.setdefault("RATHAUS_PAYEE_NAME", "Stadtkasse Wuppertal")
os.environ.setdefault("RATHAUS_PAYEE_IBAN", "DE48123456780000042026")

from config.settings import *  # noqa: F403

# Tasks run at once in tests; the database queue has its own tests that run a real worker.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# One cache per test process, cleared between tests (rate-limit counters live there).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
