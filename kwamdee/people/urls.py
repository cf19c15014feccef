from django.urls import path

from kwamdee.people import views

app_name = "people"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("consent/", views.consent, name="consent"),
]
