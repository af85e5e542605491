"""The breed catalogue: breeds and sub-breeds synced from the Dog API."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from breeds.names import display_name as default_display_name


class BreedQuerySet(models.QuerySet):
    def active(self):
        """Entries the Dog API still lists."""
        return self.filter(retired=False)

    def visible(self):
        """Entries the public site shows: listed upstream and not hidden.

        A sub-breed is visible only while its parent breed is visible too.
        """
        return (
            self.filter(retired=False, hidden=False)
            .exclude(parent__isnull=False, parent__retired=True)
            .exclude(parent__isnull=False, parent__hidden=True)
        )

    def main_breeds(self):
        return self.filter(parent__isnull=True)

    def featured(self):
        return (
            self.visible()
            .filter(featured=True)
            .order_by("featured_order", "display_name")
        )


class Breed(models.Model):
    """A main breed (no parent) or a sub-breed, named as the Dog API names it.

    The Dog API owns ``name``, ``parent`` and the seen times. Curators own
    the display name, aliases, description, hidden, featured and cover
    image, and a sync never overwrites those.
    """

    name = models.CharField(
        _("API name"),
        max_length=64,
        help_text=_("Name as the Dog API spells it, lower-case letters only."),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sub_breeds",
        verbose_name=_("parent breed"),
    )
    display_name = models.CharField(
        _("display name"),
        max_length=100,
        blank=True,
        help_text=_("Name shown on the site. Leave empty to use the generated name."),
    )
    default_name = models.CharField(
        _("generated name"),
        max_length=100,
        help_text=_(
            "Name derived from the API name; the site shows it unless a "
            "display name is set."
        ),
    )
    description = models.TextField(_("description"), blank=True)
    hidden = models.BooleanField(
        _("hidden"),
        default=False,
        help_text=_("Hidden breeds vanish from the public site."),
    )
    featured = models.BooleanField(
        _("featured"),
        default=False,
        help_text=_("Featured breeds appear on the home page."),
    )
    featured_order = models.PositiveIntegerField(
        _("featured order"),
        default=0,
        help_text=_("Lower numbers come first on the home page."),
    )
    cover_image = models.URLField(_("cover image"), max_length=500, blank=True)
    retired = models.BooleanField(
        _("retired"),
        default=False,
        help_text=_("Set by the sync when the Dog API no longer lists this entry."),
    )
    first_seen = models.DateTimeField(_("first seen"))
    last_seen = models.DateTimeField(_("last seen"))
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    objects = BreedQuerySet.as_manager()

    class Meta:
        verbose_name = _("breed")
        verbose_name_plural = _("breeds")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(parent__isnull=True),
                name="unique_main_breed_name",
            ),
            models.UniqueConstraint(
                fields=["parent", "name"],
                condition=Q(parent__isnull=False),
                name="unique_sub_breed_name_per_parent",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.default_name:
            parent_name = self.parent.name if self.parent_id else None
            self.default_name = default_display_name(self.name, parent_name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        if self.parent_id is None:
            return reverse("breeds:breed", kwargs={"breed": self.name})
        return reverse(
            "breeds:sub_breed",
            kwargs={"breed": self.parent.name, "sub_breed": self.name},
        )

    @property
    def title(self):
        """The name the public site shows."""
        return self.display_name or self.default_name

    @property
    def is_sub_breed(self):
        return self.parent_id is not None

    @property
    def api_path(self):
        """The Dog API path of this entry: ``hound`` or ``hound/afghan``."""
        if self.parent_id is None:
            return self.name
        return f"{self.parent.name}/{self.name}"


class BreedAlias(models.Model):
    """Another name people search for, such as "Yorkie" or "pastor alemán"."""

    breed = models.ForeignKey(Breed, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("alias"), max_length=100)

    class Meta:
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")
        constraints = [
            models.UniqueConstraint(
                fields=["breed", "name"], name="unique_alias_per_breed"
            )
        ]

    def __str__(self):
        return self.name


class BlockedImage(models.Model):
    """An image URL that curators have removed from the public site."""

    url = models.URLField(_("image URL"), max_length=500, unique=True)
    reason = models.CharField(_("reason"), max_length=200)
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("blocked by"),
    )
    blocked_at = models.DateTimeField(_("blocked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("blocked image")
        verbose_name_plural = _("blocked images")
        ordering = ["-blocked_at"]

    def __str__(self):
        return self.url


class SyncRun(models.Model):
    """One run of the catalogue sync, successful or not."""

    class Outcome(models.TextChoices):
        RUNNING = "running", _("running")
        SUCCESS = "success", _("success")
        NO_CHANGES = "no_changes", _("no changes")
        DRY_RUN = "dry_run", _("dry run")
        FAILED = "failed", _("failed")

    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=500, help_text=_("Dog API URL or snapshot file.")
    )
    trigger = models.CharField(
        _("trigger"), max_length=50, help_text=_("command, admin or cron")
    )
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.RUNNING
    )
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    retired = models.PositiveIntegerField(_("retired"), default=0)
    restored = models.PositiveIntegerField(_("restored"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("sync run")
        verbose_name_plural = _("sync runs")
        ordering = ["-started_at"]
        permissions = [("run_sync", _("Can run a catalogue sync"))]

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.get_outcome_display()}"


class SyncLock(models.Model):
    """A single row that a sync locks, so that two syncs never interleave."""

    class Meta:
        verbose_name = _("sync lock")
        default_permissions = ()

    def __str__(self):
        return "sync lock"
