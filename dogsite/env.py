"""Strict readers for environment settings.

django-environ reads "DEBUG=flase" as False and "DOG_API_TIMEOUT=5s" as a bare
ValueError. These wrappers reject such values with ImproperlyConfigured naming
the variable, so a typo stops the site at start-up instead of changing its
behaviour.
"""

import math

import environ
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


class StrictEnv(environ.Env):
    """An environ.Env whose bool, int and float readers reject bad values."""

    def bool(self, var, default=environ.Env.NOTSET):
        raw = self.str(var, default=None)
        if raw is None:
            if default is environ.Env.NOTSET:
                raise ImproperlyConfigured(f"Set the {var} environment variable.")
            return default
        word = raw.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ImproperlyConfigured(
            f"{var}={raw!r} is not a boolean: use true or false."
        )

    def int(self, var, default=environ.Env.NOTSET):
        return self._number(var, int, "a whole number", default)

    def float(self, var, default=environ.Env.NOTSET):
        return self._number(var, float, "a number", default)

    def _number(self, var, kind, description, default):
        raw = self.str(var, default=None)
        if raw is None or not raw.strip():
            if default is environ.Env.NOTSET:
                raise ImproperlyConfigured(f"Set the {var} environment variable.")
            return default
        try:
            value = kind(raw.strip())
        except ValueError:
            raise ImproperlyConfigured(f"{var}={raw!r} is not {description}.") from None
        if not math.isfinite(value):
            raise ImproperlyConfigured(f"{var}={raw!r} is not a finite number.")
        return value

    def url_setting(self, var, parse, default):
        """Parse a DATABASE_URL-style variable, naming it when it is invalid."""
        raw = self.str(var, default=default).strip() or default
        try:
            config = parse(raw)
        except (ValueError, KeyError, ImproperlyConfigured) as error:
            raise ImproperlyConfigured(f"{var}={raw!r} is invalid: {error}") from None
        if not config.get("ENGINE", config.get("BACKEND")):
            raise ImproperlyConfigured(
                f"{var}={raw!r} is invalid: the scheme names no known backend."
            )
        return config

    def list(self, var, default=environ.Env.NOTSET):
        """Read a comma-separated list, trimming spaces and dropping blanks."""
        raw = self.str(var, default=None)
        if raw is None:
            if default is environ.Env.NOTSET:
                raise ImproperlyConfigured(f"Set the {var} environment variable.")
            return list(default)
        return [item.strip() for item in raw.split(",") if item.strip()]
