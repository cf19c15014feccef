"""`catalog_load_default`: a new installation gets the catalog and its everyday search words."""

import pytest
from django.core.management import call_command

from kwamdee.catalog.models import DeedType, SearchSynonym
from kwamdee.catalog.selectors import catalog_search

pytestmark = pytest.mark.django_db


def test_a_new_installation_gets_the_catalog_and_its_search_words(capsys):
    call_command("catalog_load_default")
    assert DeedType.objects.filter(code="blood-donation").exists()
    assert SearchSynonym.objects.count() >= 40
    assert "blood-donation" in {dt.code for dt in catalog_search(q="เลือด")}
    assert "synonyms_created" in capsys.readouterr().out
    words = SearchSynonym.objects.count()
    call_command("catalog_load_default")  # again: nothing doubles
    assert SearchSynonym.objects.count() == words
