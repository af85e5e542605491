from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BreedsConfig(AppConfig):
    name = "breeds"
    verbose_name = _("Breed catalogue")

    def ready(self):
        from breeds import signals  # noqa: F401 - connects the receivers
