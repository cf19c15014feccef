from django.urls import path

from kwamdee.people import contact_views, membership_views, two_factor_views, views

app_name = "people"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    # After sign-up and after a new phone or e-mail: the code (people/contact_views.py).
    path("confirm/", contact_views.contact_confirm_page, name="contact_confirm"),
    path("confirm/send-again/", contact_views.contact_code_resend_page, name="contact_code_resend"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("consent/", views.consent, name="consent"),
    path("account/", views.account, name="account"),
    path("account/profile/", views.profile, name="profile"),
    path("account/password/", views.password_change_view, name="password_change"),
    path("account/sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
    # A community's committee decides who joins it (people/membership.py).
    path("community-requests/", membership_views.membership_requests, name="membership_requests"),
    path(
        "community-requests/<uuid:public_id>/",
        membership_views.membership_decide,
        name="membership_decide",
    ),
    path("password-reset/", views.password_reset, name="password_reset"),
    path("password-reset/code/", views.password_reset_code, name="password_reset_code"),
    path("password-reset/new/", views.password_reset_new, name="password_reset_new"),
    # Two-step sign-in (people/two_factor.py); the middleware lets these through before the code.
    path("two-factor/setup/", two_factor_views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/verify/", two_factor_views.two_factor_verify_view, name="two_factor_verify"),
    path(
        "two-factor/recovery-codes/",
        two_factor_views.two_factor_recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path("two-factor/disable/", two_factor_views.two_factor_disable_view, name="two_factor_disable"),
]
