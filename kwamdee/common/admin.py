"""The Django admin is a read-only window for staff and auditors: every write goes through the
services (and their audit events), never through admin forms."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from kwamdee.common.access import ADMIN_VIEW, access_record
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

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # A look at one person's record, or at one of their deeds, is shown to that person.
        obj = self.get_object(request, unquote(object_id))
        person = obj if isinstance(obj, get_user_model()) else getattr(obj, "person", None)
        if isinstance(person, get_user_model()):
            access_record(viewer=request.user, person=person, what=ADMIN_VIEW, subject_id=object_id)
        return super().change_view(request, object_id, form_url, extra_context)


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
