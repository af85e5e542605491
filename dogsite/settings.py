"""Settings for dogsite, read from the environment (and a .env file) in one place.

Every variable is listed in the README's settings table. Local defaults are
safe for a laptop; production must set at least SECRET_KEY and ALLOWED_HOSTS.
"""

import importlib.util
import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from dogsite.env import StrictEnv

BASE_DIR = Path(__file__).resolve().parent.parent

env = StrictEnv()
# Variables already in the environment win over the .env file. The test
# settings set READ_DOTENV=false, so a developer's .env never points the
# tests at a real database or Redis.
if env.bool("READ_DOTENV", default=True) and (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a "
        'long random string (for example the output of `python -c "import '
        'secrets; print(secrets.token_urlsafe(50))"`). For local work, '
        "`make run` writes one into .env for you."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "breeds",
]

MIDDLEWARE = [
    # Probes get their response first, so that a kubelet that sends the pod IP as
    # Host is neither rejected by ALLOWED_HOSTS nor redirected to HTTPS.
    "dogsite.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "dogsite.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "dogsite.urls"
WSGI_APPLICATION = "dogsite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: a SQLite file in the project folder unless DATABASE_URL names
# another one (postgres://user:password@host:5432/name in production).
DATABASES = {
    "default": env.url_setting(
        "DATABASE_URL", env.db_url_config, f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    )
}
DB_CONN_MAX_AGE = env.int("DB_CONN_MAX_AGE", default=60)
try:
    _engine_found = importlib.util.find_spec(DATABASES["default"]["ENGINE"]) is not None
except ModuleNotFoundError:
    _engine_found = False
if not _engine_found:
    raise ImproperlyConfigured(
        f"DATABASE_URL names the database backend {DATABASES['default']['ENGINE']!r}, "
        "which is not installed. Use a sqlite:// or postgres:// URL."
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock when a transaction starts, so two syncs
    # queue up instead of failing half-way with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = DB_CONN_MAX_AGE
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: process memory unless CACHE_URL names a shared one. Production uses
# redis://host:6379/0 so that every web pod shares one image cache.
CACHE_TIMEOUT_SECONDS = env.float("CACHE_TIMEOUT_SECONDS", default=0.5)
CACHES = {
    "default": env.url_setting(
        "CACHE_URL", env.cache_url_config, "locmemcache://dogsite"
    )
}
if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    CACHES["default"]["BACKEND"] = "django.core.cache.backends.redis.RedisCache"
    # Without socket timeouts a Redis that accepts connections but never
    # replies would hold every request for the client library's default.
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {
            "socket_connect_timeout": CACHE_TIMEOUT_SECONDS,
            "socket_timeout": CACHE_TIMEOUT_SECONDS,
        }
    )
CACHES["default"].setdefault("KEY_PREFIX", "dogsite")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

LANGUAGE_CODE = "en"
# TODO: add ("es", "Español") once locale/es contains translations; with Spanish
# on and no translations, pages declared lang="es" over English text.
LANGUAGES = [("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Without collectstatic (local runs and tests) templates fall back to the
# unhashed file names instead of failing on a missing manifest entry.
WHITENOISE_MANIFEST_STRICT = False

# Security. The OpenShift router and most ingresses terminate TLS and send
# X-Forwarded-Proto; trust that header only where such a proxy is in front.
if env.bool("SECURE_PROXY_SSL_HEADER_ENABLED", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True
)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = [
    # HSTS preload is a commitment to the browsers' preload list that only the
    # domain's owner can make, so it stays opt-in (SECURE_HSTS_PRELOAD).
    "security.W021",
]

# LOG_FORMAT=json writes one JSON object per line, for log collectors.
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(
        f"LOG_LEVEL={LOG_LEVEL!r} is invalid: use DEBUG, INFO, WARNING, ERROR or "
        "CRITICAL."
    )
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(
        f"LOG_FORMAT={LOG_FORMAT!r} is invalid: use text or json."
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "dogsite.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Django's own default sends "django" records to a second console
    # handler while DEBUG is on; they reach the root handler anyway.
    "loggers": {"django": {"handlers": [], "level": LOG_LEVEL, "propagate": True}},
}

# Dog API. Connect and read timeouts are in seconds.
DOG_API_URL = env.str("DOG_API_URL", default="https://dog.ceo/api").rstrip("/")
DOG_API_TIMEOUT = env.float("DOG_API_TIMEOUT", default=5.0)
DOG_API_CONNECT_TIMEOUT = env.float("DOG_API_CONNECT_TIMEOUT", default=3.0)
DOG_API_RETRIES = env.int("DOG_API_RETRIES", default=2)
DOG_API_MAX_BYTES = env.int("DOG_API_MAX_BYTES", default=2 * 1024 * 1024)
# Hosts (with an optional :port) allowed in image URLs. Images must be https,
# except on loopback hosts, which only the offline Dog API stand-in uses.
DOG_IMAGE_HOSTS = env.list("DOG_IMAGE_HOSTS", default=["images.dog.ceo"])

# Image lists: fresh for IMAGE_CACHE_FRESH_SECONDS, then served stale for up
# to IMAGE_CACHE_STALE_SECONDS more while a refresh is attempted.
IMAGE_CACHE_FRESH_SECONDS = env.int("IMAGE_CACHE_FRESH_SECONDS", default=3600)
IMAGE_CACHE_STALE_SECONDS = env.int("IMAGE_CACHE_STALE_SECONDS", default=86400)

# Circuit breaker: after this many consecutive upstream failures, stop calling
# the Dog API for DOG_API_COOL_DOWN_SECONDS, then let one request try again.
DOG_API_FAILURE_THRESHOLD = env.int("DOG_API_FAILURE_THRESHOLD", default=5)
DOG_API_COOL_DOWN_SECONDS = env.int("DOG_API_COOL_DOWN_SECONDS", default=30)

# A sync that would retire more than this share of the active catalogue is
# rejected unless --allow-mass-retire is given (an empty or truncated list).
SYNC_MAX_RETIRE_FRACTION = env.float("SYNC_MAX_RETIRE_FRACTION", default=0.2)


def _check_settings():
    """Reject values that would only fail later, on a request."""
    problems = []
    for name, value in (
        ("DOG_API_TIMEOUT", DOG_API_TIMEOUT),
        ("DOG_API_CONNECT_TIMEOUT", DOG_API_CONNECT_TIMEOUT),
    ):
        # The OpenShift router gives up on a request after 30 s.
        if not 0 < value <= 30:
            problems.append(f"{name} must be more than 0 and at most 30 seconds")
    if not DOG_API_URL.startswith(("https://", "http://")):
        problems.append(
            f"DOG_API_URL must start with https:// or http:// (got {DOG_API_URL!r})"
        )
    if not 0 <= DOG_API_RETRIES <= 5:
        problems.append("DOG_API_RETRIES must be 0 to 5")
    if DB_CONN_MAX_AGE < 0 or not 0 < CACHE_TIMEOUT_SECONDS <= 30:
        problems.append(
            "DB_CONN_MAX_AGE must be >= 0 and CACHE_TIMEOUT_SECONDS more than 0 "
            "and at most 30"
        )
    if SECURE_HSTS_SECONDS < 0:
        problems.append("SECURE_HSTS_SECONDS must be 0 (off) or more")
    for host in DOG_IMAGE_HOSTS:
        if not re.fullmatch(
            r"[A-Za-z0-9.-]+(:[0-9]{1,5})?|\[[0-9A-Fa-f:]+\](:[0-9]{1,5})?", host
        ):
            problems.append(
                f"DOG_IMAGE_HOSTS entry {host!r} is not a host[:port] "
                "(write images.dog.ceo, not https://images.dog.ceo/)"
            )
    if DOG_API_MAX_BYTES < 1024:
        problems.append("DOG_API_MAX_BYTES must be at least 1024")
    if not DOG_IMAGE_HOSTS:
        problems.append("DOG_IMAGE_HOSTS must name at least one host")
    if IMAGE_CACHE_FRESH_SECONDS < 1 or IMAGE_CACHE_STALE_SECONDS < 0:
        problems.append(
            "IMAGE_CACHE_FRESH_SECONDS must be >= 1 and IMAGE_CACHE_STALE_SECONDS >= 0"
        )
    if DOG_API_FAILURE_THRESHOLD < 1 or DOG_API_COOL_DOWN_SECONDS < 1:
        problems.append(
            "DOG_API_FAILURE_THRESHOLD and DOG_API_COOL_DOWN_SECONDS must be >= 1"
        )
    if not 0 < SYNC_MAX_RETIRE_FRACTION <= 1:
        problems.append("SYNC_MAX_RETIRE_FRACTION must be more than 0 and at most 1")
    if problems:
        raise ImproperlyConfigured("Invalid settings: " + "; ".join(problems) + ".")


_check_settings()
