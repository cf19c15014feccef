from django.urls import path

from kwamdee.people import views

app_name = "people"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("consent/", views.consent, name="consent"),
    path("account/", views.account, name="account"),
    path("account/profile/", views.profile, name="profile"),
    path("account/password/", views.password_change_view, name="password_change"),
    path("password-reset/", views.password_reset, name="password_reset"),
    path("password-reset/code/", views.password_reset_code, name="password_reset_code"),
    path("password-reset/new/", views.password_reset_new, name="password_reset_new"),
]
