from django.contrib import admin

from kwamdee.areas.models import Community
from kwamdee.common.admin import ReadOnlyAdmin

admin.site.register(Community, ReadOnlyAdmin)
