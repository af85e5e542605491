"""Settings parsing, checked by loading dogsite.settings in a fresh process."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Print the settings that the tests look at, as JSON.
PRINT_SETTINGS = """
import json
from django.conf import settings
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "CSRF_TRUSTED_ORIGINS": settings.CSRF_TRUSTED_ORIGINS,
    "DB_ENGINE": settings.DATABASES["default"]["ENGINE"],
    "DB_NAME": str(settings.DATABASES["default"]["NAME"]),
    "CACHE_BACKEND": settings.CACHES["default"]["BACKEND"],
    "CACHE_LOCATION": settings.CACHES["default"].get("LOCATION"),
    "CACHE_OPTIONS": settings.CACHES["default"].get("OPTIONS", {}),
    "DOG_API_URL": settings.DOG_API_URL,
    "DOG_API_TIMEOUT": settings.DOG_API_TIMEOUT,
    "DOG_IMAGE_HOSTS": settings.DOG_IMAGE_HOSTS,
    "IMAGE_CACHE_FRESH_SECONDS": settings.IMAGE_CACHE_FRESH_SECONDS,
    "SECURE_PROXY_SSL_HEADER": getattr(settings, "SECURE_PROXY_SSL_HEADER", None),
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
}))
"""


def run_python(arguments, folder=ROOT, **variables):
    """Run Python in a project folder with only the given variables set."""
    environment = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "dogsite.settings",
        "READ_DOTENV": "false",
        **variables,
    }
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=folder,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def load_settings(folder=ROOT, **variables):
    """Import dogsite.settings with only the given variables set."""
    return run_python(
        ["-c", "import django; django.setup();" + PRINT_SETTINGS], folder, **variables
    )


def loaded(folder=ROOT, **variables):
    result = load_settings(folder, **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_defaults_are_safe():
    values = loaded(SECRET_KEY="k")

    assert values["DEBUG"] is False
    assert values["DB_ENGINE"] == "django.db.backends.sqlite3"
    assert values["DB_NAME"] == str(ROOT / "db.sqlite3")
    assert values["CACHE_BACKEND"].endswith("LocMemCache")
    assert values["DOG_API_URL"] == "https://dog.ceo/api"
    assert values["DOG_IMAGE_HOSTS"] == ["images.dog.ceo"]
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] is None


def test_missing_secret_key_refuses_start():
    result = load_settings(DEBUG="false")

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


@pytest.mark.parametrize(
    "word, expected", [("true", True), ("1", True), ("off", False)]
)
def test_debug_is_a_real_boolean(word, expected):
    assert loaded(SECRET_KEY="k", DEBUG=word)["DEBUG"] is expected


@pytest.mark.parametrize(
    "variable, value",
    [
        ("DEBUG", "flase"),
        ("DOG_API_TIMEOUT", "5s"),
        ("DOG_API_TIMEOUT", "0"),
        ("DOG_API_TIMEOUT", "nan"),
        ("DOG_API_TIMEOUT", "1e10"),
        ("DOG_API_MAX_BYTES", "0"),
        ("DOG_API_FAILURE_THRESHOLD", "0"),
        ("DATABASE_URL", "nonsense"),
        ("CACHE_URL", "foo://x"),
        ("LOG_LEVEL", "LOUD"),
        ("DATABASE_URL", "nope://x"),
        ("DATABASE_URL", "mysql+nope://x/y"),
        ("SECURE_HSTS_SECONDS", "-1"),
        ("DOG_IMAGE_HOSTS", "https://images.dog.ceo/"),
        ("DB_CONN_MAX_AGE", "x"),
        ("CACHE_TIMEOUT_SECONDS", "abc"),
        ("IMAGE_CACHE_FRESH_SECONDS", "an hour"),
        ("DOG_API_URL", "ftp://dog.ceo/api"),
        ("SYNC_MAX_RETIRE_FRACTION", "2"),
    ],
)
def test_invalid_values_name_variable(variable, value):
    result = load_settings(SECRET_KEY="k", **{variable: value})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr


def test_lists_are_trimmed():
    values = loaded(
        SECRET_KEY="k",
        ALLOWED_HOSTS=" dogsite.example.com , .apps.example.com,, ",
        CSRF_TRUSTED_ORIGINS="https://dogsite.example.com",
        DOG_IMAGE_HOSTS="images.dog.ceo, 127.0.0.1:8001",
    )

    assert values["ALLOWED_HOSTS"] == ["dogsite.example.com", ".apps.example.com"]
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://dogsite.example.com"]
    assert values["DOG_IMAGE_HOSTS"] == ["images.dog.ceo", "127.0.0.1:8001"]


def test_database_and_cache_urls():
    values = loaded(
        SECRET_KEY="k",
        DATABASE_URL="postgres://app:pw@db.example.com:5432/dogsite",
        CACHE_URL="redis://redis.example.com:6379/1",
    )

    assert values["DB_ENGINE"] == "django.db.backends.postgresql"
    assert values["DB_NAME"] == "dogsite"
    assert values["CACHE_BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert values["CACHE_LOCATION"] == "redis://redis.example.com:6379/1"


def test_proxy_header_opt_in():
    values = loaded(SECRET_KEY="k", SECURE_PROXY_SSL_HEADER_ENABLED="true")

    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_dog_api_settings_parse():
    values = loaded(
        SECRET_KEY="k",
        DOG_API_URL="http://127.0.0.1:8001/api/",
        DOG_API_TIMEOUT="2.5",
        IMAGE_CACHE_FRESH_SECONDS="60",
    )

    assert values["DOG_API_URL"] == "http://127.0.0.1:8001/api"
    assert values["DOG_API_TIMEOUT"] == 2.5
    assert values["IMAGE_CACHE_FRESH_SECONDS"] == 60


def test_dotenv_read_unless_disabled(tmp_path):
    # A copy of the project, so that a developer's own .env is left alone.
    for package in ("dogsite", "breeds"):
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("*.pyc")
        )
    (tmp_path / ".env").write_text("DOG_API_URL=http://127.0.0.1:8123/api\n")

    read = loaded(tmp_path, SECRET_KEY="k", READ_DOTENV="true")
    ignored = loaded(tmp_path, SECRET_KEY="k")
    overridden = loaded(
        tmp_path,
        SECRET_KEY="k",
        READ_DOTENV="true",
        DOG_API_URL="https://example.org/api",
    )

    assert read["DOG_API_URL"] == "http://127.0.0.1:8123/api"
    assert ignored["DOG_API_URL"] == "https://dog.ceo/api"
    assert overridden["DOG_API_URL"] == "https://example.org/api"


def test_redis_gets_socket_timeouts():
    values = loaded(SECRET_KEY="k", CACHE_URL="redis://127.0.0.1:6379/1")

    assert values["CACHE_OPTIONS"]["socket_timeout"] == 0.5
    assert values["CACHE_OPTIONS"]["socket_connect_timeout"] == 0.5


def test_deploy_check_passes_in_production():
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        SECRET_KEY="dJ8#kL2$mN4%pQ6^rS8&tU0*vW2(xY4)zA6-bC8_eF0+gH2=iK4",
        ALLOWED_HOSTS="dogsite.example.com",
        SECURE_PROXY_SSL_HEADER_ENABLED="true",
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_json_logs_are_one_object_per_line():
    result = run_python(
        [
            "-c",
            "import django, logging; django.setup();"
            "logging.getLogger('breeds.test').warning('sync of %s failed', 'pug',"
            " extra={'breed': 'pug'})",
        ],
        SECRET_KEY="k",
        LOG_FORMAT="json",
    )
    entry = json.loads(result.stderr.strip().splitlines()[-1])

    assert entry["level"] == "WARNING"
    assert entry["logger"] == "breeds.test"
    assert entry["message"] == "sync of pug failed"
    assert entry["breed"] == "pug"


def test_invalid_log_format_rejected():
    result = load_settings(SECRET_KEY="k", LOG_FORMAT="xml")

    assert result.returncode != 0
    assert "LOG_FORMAT" in result.stderr
