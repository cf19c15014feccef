"""`manage.py demo_code <sign-in>`: the 6-digit code a demo account's authenticator app would
show now, for walking the demo with two-step sign-in on (kwamdee/demo/two_factor.py). It answers
only for an account whose key is one `seed_demo` gave (keys as public as the demo's passwords),
never for a real account, whatever DEBUG says."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from kwamdee.demo.two_factor import demo_totp_keys
from kwamdee.people.selectors import person_by_login, person_with_username
from kwamdee.people.two_factor import totp_key_base32, two_factor_app_device


class Command(BaseCommand):
    help = "Print the current two-step sign-in code of a demo account (only for keys seed_demo gave)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("login", help="The demo sign-in: 0810000001, 0810000005, 0810000006, admin …")

    def handle(self, *args: Any, **options: Any) -> None:
        login = options["login"]
        person = person_by_login(login) or person_with_username(login)
        device = two_factor_app_device(person) if person is not None else None
        if device is None or totp_key_base32(device) not in demo_totp_keys():
            raise CommandError(
                f"{login}: not a demo account with the authenticator key seed_demo gives "
                "(run seed_demo with TWO_FACTOR_REQUIRED on, or --two-factor)"
            )
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
        self.stdout.write(f"{code:0{device.digits}d}")
