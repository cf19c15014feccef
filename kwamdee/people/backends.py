"""Sign-in by phone number or e-mail address, whichever the person gave."""

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from kwamdee.people.models import User


class PhoneOrEmailBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        from kwamdee.people.services import login_normalize

        login = login_normalize(username)
        user = User.objects.filter(Q(username=login) | Q(phone=login) | Q(email=login)).first()
        if user is None:
            User().set_password(password)  # same work as a real check, against timing probes
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
