from django.contrib import admin

from kwamdee.common.admin import ReadOnlyAdmin
from kwamdee.rewards.models import Sponsor, Sponsorship, SponsorshipPayment

admin.site.register([Sponsor, Sponsorship, SponsorshipPayment], ReadOnlyAdmin)
