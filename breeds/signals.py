"""Keep the search index in step with curators' changes."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from breeds.catalogue import bump_catalogue_version
from breeds.models import Breed, BreedAlias


@receiver([post_save, post_delete], sender=Breed)
@receiver([post_save, post_delete], sender=BreedAlias)
def catalogue_changed(sender, **kwargs):
    bump_catalogue_version()
