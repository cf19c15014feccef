"""The sign-in throttle: django-axes, keyed on the login as the backend reads it.

- `signin_login` is `AXES_USERNAME_CALLABLE`: axes counts failures under `login_normalize` of what
  was typed, the very rule `PhoneOrEmailBackend` signs in with, so `081-0000004`, `0810 000004`
  and `+66810000004` are one login with one count, on the web and the API alike.
- `SignInThrottleHandler` is `AXES_HANDLER`. Axes compares every parameter set of
  `AXES_LOCKOUT_PARAMETERS` with one limit; this gives the client-wide set (`["ip_address"]`,
  failures from one client across all logins) its own, higher `SIGNIN_CLIENT_FAILURE_LIMIT`. A
  successful sign-in clears the failures of that login from that client, never the client's
  failures against other logins: otherwise a sprayer with an account of their own would sign in
  to it every 29 tries to start again.
- `signin_records_prune` deletes what axes no longer needs (`manage.py axes_prune`).

The client's address comes from `kwamdee.common.client` (`AXES_CLIENT_IP_CALLABLE`)."""

from datetime import timedelta
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import (
    get_client_parameters,
    get_client_username,
    get_cool_off,
    get_credentials,
    get_failure_limit,
    get_lockout_parameters,
)
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone

from kwamdee.people.services import login_normalize

LOGIN_MAX_LENGTH = 255  # axes' own column; longer text signs in to no account anyway
CLIENT_WIDE = frozenset({"ip_address"})


def signin_login(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The login a sign-in attempt is counted under: what the person typed, normalized."""
    field = str(getattr(settings, "AXES_USERNAME_FORM_FIELD", "username"))  # axes.conf's default
    raw = credentials.get(field) if credentials else request.POST.get(field)
    if not isinstance(raw, str) or not raw.strip():
        return None
    return login_normalize(raw)[:LOGIN_MAX_LENGTH]


def _parameter_limit(parameters: str | list[str], login_limit: int) -> int:
    names = {parameters} if isinstance(parameters, str) else set(parameters)
    return settings.SIGNIN_CLIENT_FAILURE_LIMIT if names == CLIENT_WIDE else login_limit


class SignInThrottleHandler(AxesDatabaseHandler):
    def is_allowed(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
        # Called by the axes backend with the credentials as typed: remembered, so that a
        # success clears the failures of this login (the account's `username` may be the
        # person's other sign-in, their phone when they typed their e-mail).
        if credentials:
            request.signin_login = signin_login(request, credentials)  # type: ignore[attr-defined]
        return super().is_allowed(request, credentials)

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """The failures of the parameter set nearest its own limit, scaled to AXES_FAILURE_LIMIT
        (axes compares this one number with that limit): 29 of 30 from a client reads 9 of 10,
        30 of 30 reads 10, and the login is locked when any set has reached its own limit."""
        login_limit = get_failure_limit(request, credentials)
        parameters = get_lockout_parameters(request, credentials)
        attempts_list = self.get_user_attempts(request, credentials)
        worst = 0
        for params, attempts in zip(parameters, attempts_list, strict=True):
            failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            worst = max(worst, failures * login_limit // _parameter_limit(params, login_limit))
        return worst

    def reset_user_attempts(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        login = getattr(request, "signin_login", None)
        if login:
            credentials = get_credentials(login)
        username = get_client_username(request, credentials)
        address, agent = getattr(request, "axes_ip_address"), getattr(request, "axes_user_agent")  # noqa: B009
        filters = get_client_parameters(username, address, agent, request, credentials)
        count = 0
        for filter_kwargs in filters:
            if "username" in filter_kwargs:  # never the client-wide count
                count += AccessAttempt.objects.filter(**filter_kwargs).delete()[0]
        return count


def signin_succeeded(request: HttpRequest) -> None:
    """Clears the failures of the login just signed in with, as a web sign-in does (axes does it
    on `user_logged_in`; an API token is issued without that signal)."""
    if settings.AXES_ENABLED and settings.AXES_RESET_ON_SUCCESS and hasattr(request, "axes_updated"):
        AxesProxyHandler.get_implementation().reset_user_attempts(request)


def signin_records_prune(*, log_retention_days: int | None = None) -> dict[str, int]:
    """Deletes the sign-in records axes no longer needs: failures older than the cool-off (they
    no longer count), and records of sign-ins (address, user agent) older than
    `SIGNIN_LOG_RETENTION_DAYS` (0: all; settings write none any more, AXES_DISABLE_ACCESS_LOG)."""
    now = timezone.now()
    days = settings.SIGNIN_LOG_RETENTION_DAYS if log_retention_days is None else log_retention_days
    log_limit = now - timedelta(days=days)
    cool_off = get_cool_off()  # None: lockouts last until staff lift them, so nothing expires
    expired = AccessAttempt.objects.filter(attempt_time__lt=now - cool_off) if cool_off else None
    return {
        "attempts": expired.delete()[0] if expired is not None else 0,
        "access_logs": AccessLog.objects.filter(attempt_time__lte=log_limit).delete()[0],
        "failure_logs": AccessFailureLog.objects.filter(attempt_time__lte=log_limit).delete()[0],
    }
