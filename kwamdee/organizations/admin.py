from django.contrib import admin

from kwamdee.common.admin import ReadOnlyAdmin
from kwamdee.organizations.models import (
    Invitation,
    Membership,
    Organization,
    OrganizationDocument,
    OrganizationLink,
    OrganizationType,
)

admin.site.register(
    [Organization, OrganizationType, Membership, Invitation, OrganizationLink, OrganizationDocument],
    ReadOnlyAdmin,
)
