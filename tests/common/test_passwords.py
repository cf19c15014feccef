"""Passwords: the site's name with a few digits is refused; the person's own details too."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.factories import make_person


@pytest.mark.parametrize("password", ["kwamdee1", "Kwamdee2569", "ความดี123", "kwamdee!!", "1kwamdee1"])
def test_the_sites_name_with_digits_is_refused(password):
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert "password_site_words" in [e.code for e in refused.value.error_list]


@pytest.mark.parametrize("password", ["kwamdee-demo", "my-garden-kwamdee", "good-deeds-2569"])
def test_own_words_pass(password):
    validate_password(password)


@pytest.mark.django_db
def test_a_password_like_the_persons_phone_or_name_is_refused():
    person = make_person(name="somying rakdee", phone="0812345678")
    with pytest.raises(ValidationError):
        validate_password("0812345678", user=person)
    with pytest.raises(ValidationError):
        validate_password("somyingrakdee", user=person)
