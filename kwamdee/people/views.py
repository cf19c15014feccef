"""Sign up, sign in, sign out."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from kwamdee.common.errors import ServiceError
from kwamdee.common.forms import form_add_service_error
from kwamdee.people.choices import ConsentPurpose
from kwamdee.people.forms import SignupForm
from kwamdee.people.selectors import consent_active, consent_history
from kwamdee.people.services import consent_give, consent_withdraw, person_signup


@sensitive_post_parameters("password", "national_id")
def signup(request):
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = person_signup(
                full_name=data["full_name"], password=data["password"],
                subdistrict_code=data["subdistrict_code"], consent_given=data["consent"],
                phone=data["phone"], email=data["email"], national_id=data["national_id"],
            )  # fmt: skip
        except ServiceError as exc:
            form_add_service_error(form, exc)
        else:
            login(request, person, backend="kwamdee.people.backends.PhoneOrEmailBackend")
            messages.success(request, _("Welcome to Kwamdee. Your passbook is ready."))
            return redirect("passbook:passbook")
    # What was typed comes back after an error, but the password (Django's PasswordInput never
    # renders its value); the page is never cached (NoStoreForPersonalMiddleware: a write).
    context = {"form": form, "notice_version": settings.CONSENT_NOTICE_VERSION}
    return render(request, "people/signup.html", context)


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


@login_required
def consent(request):
    """The person's consents: see them, withdraw membership, or give it again."""
    if request.method == "POST":
        if request.POST.get("action") == "withdraw":
            consent_withdraw(person=request.user, purpose=ConsentPurpose.MEMBERSHIP, actor=request.user)
            messages.success(
                request,
                _(
                    "Your consent is withdrawn. Nothing new is recorded or verified for you "
                    "until you give it again."
                ),
            )
        elif consent_active(person=request.user) is None:
            consent_give(person=request.user, purpose=ConsentPurpose.MEMBERSHIP, actor=request.user)
            messages.success(request, _("Thank you. Your consent is recorded again."))
        return redirect("people:consent")
    context = {
        "active": consent_active(person=request.user),
        "history": consent_history(person=request.user),
        "notice_version": settings.CONSENT_NOTICE_VERSION,
    }
    return render(request, "people/consent.html", context)


def locked_out(request, original_response=None, credentials=None):
    """What django-axes answers after too many failed sign-ins: JSON for the API, a page else."""
    message = _("Too many failed sign-ins. Please wait 15 minutes and try again.")
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "too_many_attempts", "message": str(message), "fields": {}}, status=429)
    return render(request, "people/locked_out.html", {"message": message}, status=429)
