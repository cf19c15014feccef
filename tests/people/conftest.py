import pytest
from django.core.cache import cache

from kwamdee.people import messaging


@pytest.fixture(autouse=True)
def _fresh_throttles_and_outbox():
    """Each test starts with empty request counters (Django's cache) and message outbox."""
    cache.clear()
    messaging.outbox.clear()
    yield
    cache.clear()
    messaging.outbox.clear()
