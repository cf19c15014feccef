"""An SDG's colour is exactly #rrggbb everywhere it can be set (it reaches a `style` attribute):
the model field's validator, the catalog service, and the staff's import page and API."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kwamdee.catalog.errors import CatalogImportInvalid
from kwamdee.catalog.models import Sdg
from kwamdee.catalog.services import catalog_load
from kwamdee.exchange.services import catalog_export
from tests.factories import SYSTEM

pytestmark = pytest.mark.usefixtures("default_catalog")
CSS = "red;background-image:url(https://attacker.example/t.png)"


def with_colour(colour: str) -> bytes:
    document = json.loads(catalog_export("json"))
    document["sdgs"][2]["color"] = colour  # goal 3
    return json.dumps(document, ensure_ascii=False).encode()


@pytest.mark.parametrize("colour", [CSS, "#FFF", "#E5243B\n", "E5243B"])
def test_the_model_field_refuses_anything_but_six_hex_digits(colour):
    sdg = Sdg.objects.get(number=3)
    sdg.color = colour
    with pytest.raises(ValidationError) as refused:
        sdg.full_clean()
    assert list(refused.value.message_dict) == ["color"]
    sdg.color = "#4C9F38"
    sdg.full_clean()


def test_the_catalog_service_refuses_a_bad_colour_whoever_calls_it():
    document = json.loads(with_colour(CSS))
    with pytest.raises(CatalogImportInvalid) as refused:
        catalog_load(actor=SYSTEM, data=document)
    assert ("sdgs 3", "color") in [(row, column) for row, column, _message in refused.value.errors]
    assert Sdg.objects.get(number=3).color != CSS


def test_the_staff_import_page_refuses_a_bad_colour(staff_client):
    response = staff_client.post(
        "/catalog/manage/interchange/",
        {"format": "json", "file": SimpleUploadedFile("c.json", with_colour(CSS))},
    )
    assert response.status_code == 400
    assert "<td>sdgs 3</td><td>color</td>" in response.content.decode()
    assert Sdg.objects.get(number=3).color != CSS


def test_the_import_api_refuses_a_bad_colour(client, staff_token):
    response = client.post(
        "/api/v1/catalog/import?format=json",
        {"file": SimpleUploadedFile("c.json", with_colour("#FFF"))},
        HTTP_AUTHORIZATION=f"Bearer {staff_token}",
    )
    body = response.json()
    assert response.status_code == 400 and body["code"] == "catalog_import_invalid"
    assert [(e["row"], e["column"]) for e in body["errors"]] == [("sdgs 3", "color")]
    assert Sdg.objects.get(number=3).color != "#FFF"
