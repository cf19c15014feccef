"""Sign up, sign in, sign out; my account: profile, password change, password reset."""

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import SuspiciousOperation
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from kwamdee.areas.selectors import area_label
from kwamdee.common.client import client_address
from kwamdee.common.errors import ServiceError
from kwamdee.common.forms import form_add_service_error
from kwamdee.people.choices import ConsentPurpose, MembershipState
from kwamdee.people.contact_confirmation import signup_submit
from kwamdee.people.contact_views import signup_answered
from kwamdee.people.errors import RateLimited
from kwamdee.people.forms import (
    OneTimeCodeForm,
    PasswordChangeForm,
    PasswordResetNewForm,
    PasswordResetRequestForm,
    ProfileForm,
    SignupForm,
)
from kwamdee.people.notices import notice_for
from kwamdee.people.password_reset import (
    password_reset_complete,
    password_reset_request,
    password_reset_verify,
)
from kwamdee.people.selectors import (
    consent_history,
    consents_overview,
    contact_confirmed,
    membership_current,
    password_reset_person,
)
from kwamdee.people.services import (
    consent_give,
    consent_withdraw,
    login_normalize,
    password_change,
    profile_update,
)
from kwamdee.people.sessions import person_sign_out_everywhere
from kwamdee.people.two_factor import two_factor_status


@sensitive_post_parameters("password", "national_id")
def signup(request):
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            answer = signup_submit(
                full_name=data["full_name"], password=data["password"],
                subdistrict_code=data["subdistrict_code"], consent_given=data["consent"],
                phone=data["phone"], email=data["email"], national_id=data["national_id"],
                client=client_address(request),
            )  # fmt: skip
        except RateLimited:
            return _too_many(request)
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            # The same answer whether or not the phone or e-mail had an account (contact_views).
            return signup_answered(request, answer)
    # What was typed comes back after an error, but the password (Django's PasswordInput never
    # renders its value); the page is never cached (NoStoreForPersonalMiddleware: a write).
    # The membership notice as My consent shows it (people/notices.py): one text, one version.
    context = {"form": form, "notice": notice_for(ConsentPurpose.MEMBERSHIP)}
    return render(request, "people/signup.html", context)


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


@login_required
def consent(request):
    """The person's consents, one per purpose: read each notice, give or withdraw each in one
    click; a consent given under an older notice asks again."""
    if request.method == "POST":
        purpose = request.POST.get("purpose", ConsentPurpose.MEMBERSHIP)
        if purpose not in ConsentPurpose.values:
            raise SuspiciousOperation("unknown consent purpose")  # the site's 400 page
        if request.POST.get("action") == "withdraw":
            consent_withdraw(person=request.user, purpose=purpose, actor=request.user)
            if purpose == ConsentPurpose.MEMBERSHIP:
                text = _(
                    "Your consent is withdrawn. Nothing new is recorded or verified for you "
                    "until you give it again."
                )
            else:
                text = _("Your consent is withdrawn: from now on it is not used for that.")
            messages.success(request, text)
        else:
            consent_give(person=request.user, purpose=purpose, actor=request.user)
            messages.success(request, _("Thank you. Your consent is recorded."))
        return redirect("people:consent")
    context = {
        "purposes": consents_overview(person=request.user),
        "history": consent_history(person=request.user),
    }
    return render(request, "people/consent.html", context)


def locked_out(request, original_response=None, credentials=None):
    """What django-axes answers after too many failed sign-ins: JSON for the API, a page else."""
    message = _("Too many failed sign-ins. Please wait 15 minutes and try again.")
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "too_many_attempts", "message": str(message), "fields": {}}, status=429)
    return render(request, "people/locked_out.html", {"message": message}, status=429)


def _posted(request):
    """The form data of a POST, even an empty one (`request.POST or None` would show an empty
    POST as a new form, without its errors)."""
    return request.POST if request.method == "POST" else None


@login_required
def account(request):
    """My account: what the site holds to reach me, and the ways to change it."""
    person = request.user
    context = {
        "area": area_label(person.subdistrict_code) if person.subdistrict_code else "",
        "two_factor": two_factor_status(person),
        # Their community, or their request to join it (people/membership.py).
        "membership": membership_current(person),
    }
    return render(request, "people/account.html", context)


@login_required
def profile(request):
    person = request.user
    form = ProfileForm(_posted(request), person=person)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = profile_update(
                person=person, full_name=data["full_name"], phone=data["phone"], email=data["email"],
                subdistrict_code=data["subdistrict_code"], current_password=data["current_password"],
            )  # fmt: skip
        except RateLimited:
            return _too_many(request)
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            if {"phone", "email"} & set(changed) and not contact_confirmed(person):  # enter its code
                messages.success(request, _("Your details are saved. Please confirm the new contact."))
                return redirect("people:contact_confirm")
            waiting = membership_current(person) if "subdistrict_code" in changed else None
            if waiting is not None and waiting.state == MembershipState.PENDING:
                text = _(
                    "Your details are saved. Your request to join %(community)s is waiting for its committee."
                )
                messages.success(request, text % {"community": waiting.community.name})
            elif changed:
                messages.success(request, _("Your details are saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("people:account")
    return render(request, "people/profile.html", {"form": form})


@login_required
@sensitive_post_parameters("current_password", "new_password", "new_password_confirm")
def password_change_view(request):
    person = request.user
    form = PasswordChangeForm(_posted(request), person=person)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            password_change(
                person=person, current_password=data["current_password"], new_password=data["new_password"]
            )
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            update_session_auth_hash(request, person)  # this browser stays signed in; the others end
            messages.success(
                request,
                _("Your password is changed. You are signed out everywhere else, apps included."),
            )
            return redirect("people:account")
    return render(request, "people/password_change.html", {"form": form})


@require_POST
@login_required
def sign_out_everywhere(request):
    """One button on My account: every session of the person ends, this one too, and every API
    token is revoked; then the sign-in page."""
    person_sign_out_everywhere(actor=request.user, person=request.user)
    logout(request)
    messages.success(
        request, _("You are signed out on every phone, computer and app, and here too. Sign in to go on.")
    )
    return redirect("people:login")


RESET_LOGIN = "password_reset_login"
RESET_CODE = "password_reset_code"


def _too_many(request):
    return render(request, "people/too_many.html", {"message": RateLimited.message}, status=429)


@sensitive_post_parameters("login")
def password_reset(request):
    """Step 1: the phone number or e-mail address. The next page says the same whether or not
    an account has it."""
    form = PasswordResetRequestForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        login_typed = form.cleaned_data["login"]
        try:
            password_reset_request(login=login_typed, client=client_address(request))
        except RateLimited:
            return _too_many(request)
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            request.session[RESET_LOGIN] = login_normalize(login_typed)
            request.session.pop(RESET_CODE, None)
            return redirect("people:password_reset_code")
    return render(request, "people/password_reset.html", {"form": form})


@sensitive_post_parameters("code")
def password_reset_code(request):
    """Step 2: the code."""
    login_typed = request.session.get(RESET_LOGIN)
    if not login_typed:
        return redirect("people:password_reset")
    form = OneTimeCodeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            code_id = password_reset_verify(
                login=login_typed, code=form.cleaned_data["code"], client=client_address(request)
            )
        except RateLimited:
            return _too_many(request)
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            request.session[RESET_CODE] = code_id
            return redirect("people:password_reset_new")
    return render(request, "people/password_reset_code.html", {"form": form, "login": login_typed})


@sensitive_post_parameters("new_password", "new_password_confirm")
def password_reset_new(request):
    """Step 3: the new password, once, within the code's time."""
    code_id = request.session.get(RESET_CODE)
    person = password_reset_person(code_id)
    if person is None:
        messages.error(request, _("The time to set a new password has run out. Please ask for a new code."))
        return redirect("people:password_reset")
    form = PasswordResetNewForm(_posted(request), person=person)
    if request.method == "POST" and form.is_valid():
        try:
            password_reset_complete(code_id=code_id, new_password=form.cleaned_data["new_password"])
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            request.session.pop(RESET_CODE, None)
            request.session.pop(RESET_LOGIN, None)
            messages.success(request, _("Your new password is set. Please sign in with it."))
            return redirect("people:login")
    return render(request, "people/password_reset_new.html", {"form": form})
