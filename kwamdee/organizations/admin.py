from django.contrib import admin

from kwamdee.common.admin import ReadOnlyAdmin
from kwamdee.organizations.models import Membership, Organization

admin.site.register([Organization, Membership], ReadOnlyAdmin)
