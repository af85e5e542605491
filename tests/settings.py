"""Test settings: the real settings module, with test-only defaults.

The environment still wins, so DATABASE_URL and CACHE_URL select PostgreSQL
and Redis in CI, but a developer's .env file is not read. The Dog API
defaults to a closed local port, so a test without the stand-in fails at
once instead of reaching the internet.
"""

import os

os.environ["READ_DOTENV"] = "false"
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("DOG_API_URL", "http://127.0.0.1:9/api")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

from dogsite.settings import *  # noqa: E402,F403

# Hashing with the fast hasher keeps admin-login tests quick.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not Django's shared-cache in-memory database: shared cache uses
    # table locks that ignore the busy timeout, so concurrent-sync tests would
    # fail where a real deployment waits.
    (BASE_DIR / "build").mkdir(exist_ok=True)  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "build" / "test-db.sqlite3")}  # noqa: F405

# Tests do not run collectstatic, so templates use plain static file names,
# and WhiteNoise serves the source files directly.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = BASE_DIR / "build" / "static"  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
