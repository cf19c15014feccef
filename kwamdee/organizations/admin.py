from django.contrib import admin

from kwamdee.areas.models import Community
from kwamdee.common.admin import ReadOnlyAdmin
from kwamdee.organizations.models import Membership, Organization

admin.site.register([Organization, Membership, Community], ReadOnlyAdmin)
