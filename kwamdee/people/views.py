"""Sign up, sign in, sign out."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kwamdee.common.errors import ServiceError
from kwamdee.common.forms import form_add_service_error
from kwamdee.people.forms import SignupForm
from kwamdee.people.services import person_signup


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
            return redirect("ledger:passbook")
    context = {"form": form, "notice_version": settings.CONSENT_NOTICE_VERSION}
    return render(request, "people/signup.html", context)


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass
