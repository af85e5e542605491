"""WSGI entry point, used by gunicorn as ``dogsite.wsgi:application``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dogsite.settings")

application = get_wsgi_application()
