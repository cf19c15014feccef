import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture(autouse=True)
def _language_restored():
    """A page asked for in English leaves English active in this thread (the language middleware
    activates, never deactivates): the next test starts in Thai again."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def community(db):
    """The community of the tests' subdistrict, made first: everyone made after it is its newly
    approved member (tests/people/factories.py), whose first deeds are flagged."""
    from tests.factories import make_community

    return make_community()
