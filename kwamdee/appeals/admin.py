from django.contrib import admin

from kwamdee.appeals.models import Appeal
from kwamdee.common.admin import ReadOnlyAdmin

admin.site.register([Appeal], ReadOnlyAdmin)
