from django.contrib import admin

from kwamdee.activities.models import Activity
from kwamdee.common.admin import ReadOnlyAdmin


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ["title", "starts_at", "status", "credited_count", "skipped_count"]
