"""Admin for curating the breed catalogue.

The Dog API owns a breed's name, parent and seen times, so they are read-only
here, and breeds are neither added nor deleted by hand: the sync creates and
retires them. Every curated change shows on the public site at once.
"""

import contextvars

from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.db.models import Count, F, Value
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from breeds import admin_images, admin_sync, images  # noqa: F401 - registers admins
from breeds.admin_forms import (
    BreedAliasForm,
    BreedAliasFormSet,
    BreedForm,
    image_label,
)
from breeds.catalogue import bump_catalogue_version
from breeds.models import Breed, BreedAlias

# Photos shown on a breed's change page.
PREVIEW_COUNT = 4

_can_block_images = contextvars.ContextVar("can_block_images", default=False)


class BreedLevelFilter(admin.SimpleListFilter):
    title = _("level")
    parameter_name = "level"

    def lookups(self, request, model_admin):
        return [("main", _("Main breeds")), ("sub", _("Sub-breeds"))]

    def queryset(self, request, queryset):
        if self.value() == "main":
            return queryset.filter(parent__isnull=True)
        if self.value() == "sub":
            return queryset.filter(parent__isnull=False)
        return queryset


class BreedAliasInline(admin.TabularInline):
    model = BreedAlias
    form = BreedAliasForm
    formset = BreedAliasFormSet
    extra = 1
    verbose_name_plural = _(
        "aliases (other names people search for, such as “Yorkie” or “pastor alemán”)"
    )


@admin.register(Breed)
class BreedAdmin(admin.ModelAdmin):
    form = BreedForm
    inlines = [BreedAliasInline]
    list_display = [
        "title_column",
        "api_path_column",
        "parent",
        "hidden",
        "featured",
        "retired",
        "sub_breed_count",
        "last_seen",
    ]
    list_filter = ["hidden", "featured", "retired", BreedLevelFilter]
    search_fields = ["display_name", "default_name", "name", "aliases__name"]
    list_select_related = ["parent"]
    list_per_page = 100
    actions = ["hide", "show", "feature", "unfeature", "refresh_images"]
    fieldsets = [
        (None, {"fields": ["display_name", "default_name", "description"]}),
        (
            _("On the public site"),
            {
                "fields": [
                    "hidden",
                    ("featured", "featured_order"),
                    "cover_image",
                    "cover_preview",
                ]
            },
        ),
        (_("Photos"), {"fields": ["image_preview"]}),
        (
            _("From the Dog API (updated by the sync)"),
            {
                "fields": [
                    "name",
                    "api_path_column",
                    "parent_link",
                    "sub_breed_links",
                    "retired",
                    "retired_at",
                    "first_seen",
                    "last_seen",
                ]
            },
        ),
    ]
    readonly_fields = [
        "default_name",
        "cover_preview",
        "image_preview",
        "name",
        "api_path_column",
        "parent_link",
        "sub_breed_links",
        "retired",
        "retired_at",
        "first_seen",
        "last_seen",
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                family_name=Coalesce("parent__name", "name"),
                sort_title=Coalesce(NullIf("display_name", Value("")), "default_name"),
                sub_breed_total=Count("sub_breeds", distinct=True),
            )
        )

    def get_ordering(self, request):
        # By API path, each main breed followed by its sub-breeds. Set here,
        # not in ``ordering``, because the admin checks reject expressions.
        return [
            Coalesce("parent__name", "name").asc(),
            F("parent").asc(nulls_first=True),
            "name",
        ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Read-only fields get no request, so the photo preview learns from a
        # context variable whether to offer "Block this photo" links. The
        # response is rendered here, while the variable is still set.
        token = _can_block_images.set(request.user.has_perm("breeds.add_blockedimage"))
        try:
            response = super().change_view(request, object_id, form_url, extra_context)
            if hasattr(response, "render"):
                response.render()
            return response
        finally:
            _can_block_images.reset(token)

    @admin.display(description=_("display name"), ordering="sort_title")
    def title_column(self, breed):
        return breed.title

    @admin.display(description=_("API path"), ordering="family_name")
    def api_path_column(self, breed):
        return breed.api_path

    @admin.display(description=_("sub-breeds"), ordering="sub_breed_total")
    def sub_breed_count(self, breed):
        return breed.sub_breed_total

    @admin.display(description=_("parent breed"))
    def parent_link(self, breed):
        if breed.parent_id is None:
            return _("None: this is a main breed.")
        url = reverse("admin:breeds_breed_change", args=[breed.parent_id])
        return format_html('<a href="{}">{}</a>', url, breed.parent.title)

    @admin.display(description=_("sub-breeds"))
    def sub_breed_links(self, breed):
        sub_breeds = list(breed.sub_breeds.order_by("name"))
        if not sub_breeds:
            return _("None")
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (reverse("admin:breeds_breed_change", args=[entry.pk]), entry.title)
                for entry in sub_breeds
            ),
        )

    @admin.display(description=_("cover preview"))
    def cover_preview(self, breed):
        url = images.cover_image(breed)
        if not url:
            return _("No cover image is shown.")
        return format_html(
            '<img src="{}" alt="{}" width="240" loading="lazy">', url, image_label(url)
        )

    @admin.display(description=_("a few current photos"))
    def image_preview(self, breed):
        picked = images.random_images(breed, PREVIEW_COUNT)
        if picked.unavailable:
            return _("The Dog API is not answering, so no photos can be shown.")
        if not picked.urls:
            return _("The Dog API lists no photos for this breed.")
        can_block = _can_block_images.get()
        block_url = reverse("admin:breeds_blockedimage_add")
        figures = []
        for url in picked.urls:
            label = image_label(url)
            block_link = ""
            if can_block:
                block_link = format_html(
                    ' · <a href="{}?{}">{}</a>',
                    block_url,
                    urlencode({"url": url}),
                    _("Block this photo"),
                )
            figures.append(
                format_html(
                    '<figure><a href="{}"><img src="{}" alt="{}" width="180" '
                    'loading="lazy"></a><figcaption>{}{}</figcaption></figure>',
                    url,
                    url,
                    label,
                    label,
                    block_link,
                )
            )
        return format_html_join("", "{}", ((figure,) for figure in figures))

    def _set_flag(self, request, queryset, field, value, message):
        """Set a boolean field on the selected breeds where it differs.

        Log the change for each breed, then report how many changed with
        ``message``, a plural message keyed on ``count``.
        """
        selected = Breed.objects.filter(pk__in=queryset.values("pk"))
        changed_ids = list(
            selected.exclude(**{field: value}).values_list("pk", flat=True)
        )
        Breed.objects.filter(pk__in=changed_ids).update(**{field: value})
        # update() sends no signals, so the search index is marked stale here.
        bump_catalogue_version()
        label = str(Breed._meta.get_field(field).verbose_name)
        LogEntry.objects.log_actions(
            request.user.pk,
            Breed.objects.filter(pk__in=changed_ids),
            CHANGE,
            [{"changed": {"fields": [label]}}],
        )
        self._report_count(request, len(changed_ids), message)

    def _report_count(self, request, count, message):
        level = messages.SUCCESS if count else messages.INFO
        self.message_user(request, message % {"count": count}, level)

    @admin.action(description=_("Hide selected breeds"), permissions=["change"])
    def hide(self, request, queryset):
        message = ngettext_lazy(
            "%(count)d breed was hidden.", "%(count)d breeds were hidden.", "count"
        )
        self._set_flag(request, queryset, "hidden", True, message)

    @admin.action(description=_("Show selected breeds"), permissions=["change"])
    def show(self, request, queryset):
        message = ngettext_lazy(
            "%(count)d breed was shown.", "%(count)d breeds were shown.", "count"
        )
        self._set_flag(request, queryset, "hidden", False, message)

    @admin.action(description=_("Feature selected breeds"), permissions=["change"])
    def feature(self, request, queryset):
        message = ngettext_lazy(
            "%(count)d breed was featured.", "%(count)d breeds were featured.", "count"
        )
        self._set_flag(request, queryset, "featured", True, message)

    @admin.action(description=_("Unfeature selected breeds"), permissions=["change"])
    def unfeature(self, request, queryset):
        message = ngettext_lazy(
            "%(count)d breed was unfeatured.",
            "%(count)d breeds were unfeatured.",
            "count",
        )
        self._set_flag(request, queryset, "featured", False, message)

    @admin.action(
        description=_("Refresh cached photos of selected breeds"),
        permissions=["change"],
    )
    def refresh_images(self, request, queryset):
        selected = Breed.objects.filter(pk__in=queryset.values("pk"))
        refreshed = failed = 0
        for breed in selected.select_related("parent"):
            if images.refresh_images(breed):
                refreshed += 1
            else:
                failed += 1
        message = ngettext(
            "The photos of %(count)d breed were refreshed.",
            "The photos of %(count)d breeds were refreshed.",
            refreshed,
        )
        self._report_count(request, refreshed, message)
        if failed:
            self.message_user(
                request,
                ngettext(
                    "The photos of %(count)d breed could not be refreshed, because "
                    "the Dog API failed just now or recently. "
                    "Photos already cached stay in use. Try again in a minute.",
                    "The photos of %(count)d breeds could not be refreshed, because "
                    "the Dog API failed just now or recently. "
                    "Photos already cached stay in use. Try again in a minute.",
                    failed,
                )
                % {"count": failed},
                messages.WARNING,
            )
