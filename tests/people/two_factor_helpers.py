"""Two-step sign-in for tests (kwamdee/people/two_factor.py): a confirmed authenticator app for
someone, the code it shows now, and a session that has passed the second step.

    device = device_for(verifier)
    client.post("/people/two-factor/verify/", {"code": totp_now(device)})
    # or, without a page: session_verify(client, device)

django-otp takes each code once (a code of the same 30-second step, or an earlier one, is
refused after one was taken): `totp_now(device, steps_ahead=1)` gives the next step's code, which
it also accepts now."""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kwamdee.people.two_factor import APP_DEVICE_NAME


def device_for(user) -> TOTPDevice:
    """The person's confirmed authenticator app, made (with a random key) if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=True)


def totp_now(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the device's app shows now (or `steps_ahead` steps of 30 seconds later), as the
    app shows it: 6 digits, with leading zeros."""
    code = totp(
        device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift + steps_ahead
    )
    return f"{code:0{device.digits}d}"


def session_verify(client: Client, device: TOTPDevice) -> None:
    """Marks the client's signed-in session as having passed the second step with `device`, as
    the code page does (for tests that are about something else)."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
