import pytest

from kwamdee.catalog.models import DeedType


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Every file these tests store goes to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def photo_type(deed_types):
    """The small catalog's tree planting, asking for a photo as the default catalog's does."""
    DeedType.objects.filter(code="tree-planting").update(evidence="photo")
    return DeedType.objects.get(code="tree-planting")


@pytest.fixture
def document_type(deed_types):
    DeedType.objects.filter(code="returning-lost-property").update(evidence="document")
    return DeedType.objects.get(code="returning-lost-property")


def stored_files(root):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []
