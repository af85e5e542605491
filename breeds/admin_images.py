"""Admin for blocked images: photos that curators keep off the public site."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from breeds.admin_forms import BlockedImageForm, image_label
from breeds.models import BlockedImage


@admin.register(BlockedImage)
class BlockedImageAdmin(admin.ModelAdmin):
    form = BlockedImageForm
    list_display = ["image_column", "reason", "blocked_by", "blocked_at"]
    list_select_related = ["blocked_by"]
    search_fields = ["url", "reason"]
    readonly_fields = ["blocked_by", "blocked_at"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["url", "reason"]
        return ["url", "reason", "blocked_by", "blocked_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.blocked_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("image"), ordering="url")
    def image_column(self, blocked):
        # A link, not a thumbnail, because curators block photos that should
        # not be seen again.
        return format_html('<a href="{}">{}</a>', blocked.url, image_label(blocked.url))
