"""Admin for sync runs: a read-only history and a "Sync now" button."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _

from breeds.models import SyncRun
from breeds.sync import SyncAlreadyRunning, SyncError, run_sync

RUN_SYNC_PERMISSION = "breeds.run_sync"


@admin.register(SyncRun)
class SyncRunAdmin(admin.ModelAdmin):
    list_display = [
        "started_at",
        "trigger",
        "outcome",
        "created",
        "updated",
        "retired",
        "restored",
        "unchanged",
        "finished_at",
    ]
    list_filter = ["outcome", "trigger"]
    date_hierarchy = "started_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        sync_now = path(
            "sync-now/",
            self.admin_site.admin_view(self.sync_now_view),
            name="breeds_syncrun_sync_now",
        )
        # Before the default URLs, whose catch-all would take "sync-now/".
        return [sync_now, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_run_sync": request.user.has_perm(RUN_SYNC_PERMISSION),
        }
        return super().changelist_view(request, extra_context)

    def sync_now_view(self, request):
        """Run the same sync as ``manage.py sync_breeds`` and report the result.

        admin_view() already requires an active staff user and a valid CSRF
        token, so only the run_sync permission is checked here.
        """
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not request.user.has_perm(RUN_SYNC_PERMISSION):
            raise PermissionDenied
        try:
            result = run_sync(trigger="admin", nowait=True)
        except SyncAlreadyRunning:
            self.message_user(
                request,
                _(
                    "Another sync is running, so this one was not started. "
                    "Reload this page in a minute to see its outcome."
                ),
                messages.WARNING,
            )
        except SyncError as error:
            self.message_user(
                request,
                _("The sync failed and changed nothing: %(error)s") % {"error": error},
                messages.ERROR,
            )
        else:
            counts = result.counts()
            if result.changed:
                message = _(
                    "Sync finished: %(created)d created, %(updated)d updated, "
                    "%(retired)d retired, %(restored)d restored, "
                    "%(unchanged)d unchanged."
                )
                level = messages.SUCCESS
            else:
                message = _(
                    "The catalogue is already up to date: %(unchanged)d entries "
                    "unchanged."
                )
                level = messages.INFO
            self.message_user(request, message % counts, level)
        return redirect("admin:breeds_syncrun_changelist")
