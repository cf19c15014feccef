"""Second-factor devices have no page in the admin: django-otp's own would show each
authenticator app's key (and a QR code of it) and the recovery codes, and let staff add a device
for someone, which would skip their second step. A person sets theirs up and turns it off
themselves (people/two_factor.py)."""

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
