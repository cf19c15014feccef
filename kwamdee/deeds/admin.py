from django.contrib import admin

from kwamdee.common.admin import ReadOnlyAdmin
from kwamdee.deeds.models import Deed


@admin.register(Deed)
class DeedAdmin(ReadOnlyAdmin):
    list_display = ["public_id", "deed_type", "performed_on", "status", "province_code", "created_at"]
    list_filter = ["status", "province_code"]
