"""The Django admin is a read-only window for staff and auditors: every write goes through the
services (and their audit events), never through admin forms."""

from django.contrib import admin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from kwamdee.common.models import AuditEvent

# The admin's own words, in Thai by default like the site ("การจัดการ Django" before).
admin.site.site_header = _("Kwamdee: staff window (read-only)")
admin.site.site_title = _("Kwamdee staff window")
admin.site.index_title = _("What the system holds")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "event_type", "actor", "subject_id"]
    list_filter = ["event_type"]
    search_fields = ["event_type", "subject_id"]


# Role groups are owned by code (common/roles.py, synced after each migrate): read-only here too,
# so that nobody widens a role in the admin without an audit event.
admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(ReadOnlyAdmin):
    list_display = ["name"]
