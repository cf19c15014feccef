"""Everyday search words (SearchSynonym): the search, the services, the default data and the page."""

import json

import pytest

from kwamdee.catalog.models import CommunityDeedTypeSetting, DeedType, SearchSynonym
from kwamdee.catalog.selectors import catalog_search, deed_type_ids_for_synonyms, synonym_in_query
from kwamdee.catalog.services import (
    DEFAULT_CATALOG_PATH,
    DEFAULT_SYNONYMS_PATH,
    catalog_load_default,
    synonym_remove,
    synonym_save,
    synonyms_load,
)
from kwamdee.common.errors import NotFound, PermissionDenied, ValidationFailed
from kwamdee.common.models import AuditEvent
from kwamdee.common.text import text_words
from tests.catalog.test_api import ROW
from tests.catalog.test_services import make_staff
from tests.factories import PASSWORD, SYSTEM, make_community

PAGE = "/catalog/manage/synonyms/"
REMOVE = "/catalog/manage/synonyms/remove/"


@pytest.fixture
def catalog(db):
    catalog_load_default(actor=SYSTEM)
    return {dt.code: dt for dt in DeedType.objects.all()}


def codes(qs):
    return {dt.code for dt in qs}


def events(kind):
    return AuditEvent.objects.filter(event_type=kind)


# --- the search ----------------------------------------------------------------------------------


def test_everyday_thai_words_find_deed_types_their_names_do_not_say(catalog):
    # "เลือด" is the everyday word; the deed type's name says "บริจาคโลหิต"
    assert "blood-donation" in codes(catalog_search(q="เลือด"))
    assert "blood-donation" in codes(catalog_search(q="อยากบริจาคเลือด"))
    # "ช่วยคนแก่" (help old people) matched no name or description before
    elders = codes(catalog_search(q="ช่วยคนแก่"))
    assert {"elder-care-hours", "honouring-elders"} <= elders
    assert "blood-donation" not in elders and "tree-planting" not in elders
    assert "place-of-worship-service" in codes(catalog_search(q="ไปช่วยงานวัด"))
    assert "community-cleanup" in codes(catalog_search(q="เก็บขยะชายหาด"))


def test_english_words_and_phrases(catalog):
    assert {"community-cleanup", "waste-recycling"} <= codes(catalog_search(q="Trash"))
    assert "elder-care-hours" in codes(catalog_search(q="help  OLD people"))
    assert "blood-donation" in codes(catalog_search(q="blood"))


def test_a_synonym_is_found_only_as_whole_words():
    def found(word, query):
        return synonym_in_query(word, text_words(query))

    assert found("คนแก่", "ช่วยคนแก่ข้ามถนน")
    assert found("ยาย", "พาคุณยายไปหาหมอ") is False  # คุณยาย is one word (listed on its own)
    assert found("ยาย", "ขยายถนน") is False
    assert found("ทะเล", "ทะเลาะกัน") is False
    assert found("เลือด", "ป้องกันไข้เลือดออก") is False  # dengue fever, not blood donation
    assert found("ตู้ปันสุข", "เติมของตู้ปันสุขหน้าบ้าน")  # a phrase of several words
    assert found("old people", "helping old people")
    assert found("old people", "old wooden people") is False


def test_dengue_is_mosquitoes_not_blood(catalog):
    found = codes(catalog_search(q="ไข้เลือดออก"))
    assert "mosquito-breeding-control" in found and "blood-donation" not in found


def test_synonyms_keep_the_other_filters_and_the_community_catalog(catalog):
    assert codes(catalog_search(q="เลือด", category="environment")) == set()
    community = make_community()
    CommunityDeedTypeSetting.objects.create(
        community=community, deed_type=catalog["blood-donation"], is_enabled=False
    )
    assert "blood-donation" not in codes(catalog_search(community_id=community.pk, q="เลือด"))


def test_synonyms_cost_one_query_however_many_are_listed(catalog, django_assert_num_queries):
    assert SearchSynonym.objects.count() >= 40
    with django_assert_num_queries(1):
        found = deed_type_ids_for_synonyms("ช่วยคนแก่และบริจาคเลือด")
    assert {catalog["elder-care-hours"].pk, catalog["blood-donation"].pk} <= found
    with django_assert_num_queries(0):
        assert deed_type_ids_for_synonyms("   ") == set()


def test_a_word_nobody_listed_finds_nothing_new(catalog):
    assert codes(catalog_search(q="ไม่มีคำนี้แน่นอน")) == set()


def test_the_browse_page_and_the_api_search_with_synonyms(client, catalog):
    page = client.get("/catalog/", {"q": "เลือด"}).content.decode()
    assert "บริจาคโลหิต" in page and "ปลูกต้นไม้" not in page
    found = client.get("/api/v1/catalog/deed-types", {"q": "ช่วยคนแก่"}).json()
    assert "elder-care-hours" in [d["code"] for d in found]


# --- services ------------------------------------------------------------------------------------


def test_staff_save_change_and_remove_a_word_each_with_its_audit_event(catalog):
    staff = make_staff()
    synonym = synonym_save(actor=staff, word="  Blood   Bank ", deed_types=[catalog["blood-donation"]])
    assert synonym.word == "blood bank"
    assert events("search_synonym:create").get().data == {
        "word": "blood bank",
        "deed_types": ["blood-donation"],
    }
    # the same again changes nothing and records nothing
    synonym_save(actor=staff, word="blood bank", deed_types=[catalog["blood-donation"]])
    assert events("search_synonym:update").count() == 0
    both = [catalog["blood-donation"], catalog["organ-donation-pledge"]]
    synonym_save(actor=staff, word="BLOOD BANK", deed_types=both)
    assert codes(SearchSynonym.objects.get(word="blood bank").deed_types.all()) == {
        "blood-donation", "organ-donation-pledge",
    }  # fmt: skip
    assert events("search_synonym:update").get().data["before"] == ["blood-donation"]
    synonym_remove(actor=staff, word="Blood bank")
    assert not SearchSynonym.objects.filter(word="blood bank").exists()
    assert events("search_synonym:delete").get().data["word"] == "blood bank"
    with pytest.raises(NotFound):
        synonym_remove(actor=staff, word="blood bank")


def test_only_staff_edit_words_and_only_for_national_deed_types(catalog, citizen):
    with pytest.raises(PermissionDenied):
        synonym_save(actor=citizen, word="เลือดกรุ๊ปโอ", deed_types=[catalog["blood-donation"]])
    with pytest.raises(PermissionDenied):
        synonym_remove(actor=citizen, word="เลือด")
    from kwamdee.catalog.services import deed_type_create

    local = deed_type_create(
        actor=SYSTEM,
        row={
            **ROW,
            "indicators": [],
            "credit_per_unit": 5,
            "points_per_unit": 5,
            "per_day": 1,
            "per_year": 50,
        },
        community=make_community(),
    )
    with pytest.raises(ValidationFailed) as exc:
        synonym_save(actor=make_staff(), word="คลอง", deed_types=[local])
    assert "deed_types" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        synonym_save(actor=make_staff(name="อีก คน"), word="   ", deed_types=[])
    assert set(exc.value.fields) == {"word", "deed_types"}
    assert SearchSynonym.objects.filter(word="เลือดกรุ๊ปโอ").count() == 0
    assert SearchSynonym.objects.filter(word="เลือด").exists()


# --- the default words ---------------------------------------------------------------------------


def test_every_default_word_names_deed_types_of_the_default_catalog():
    words = json.loads(DEFAULT_SYNONYMS_PATH.read_text(encoding="utf-8"))["synonyms"]
    catalog_codes = {
        item["code"] for item in json.loads(DEFAULT_CATALOG_PATH.read_text(encoding="utf-8"))["deed_types"]
    }
    assert 40 <= len(words) <= 100
    assert len({w["word"] for w in words}) == len(words)
    assert all(w["deed_types"] and set(w["deed_types"]) <= catalog_codes for w in words)
    assert all(w["word"] == w["word"].strip().lower() for w in words)


def test_the_default_loader_is_idempotent_and_keeps_staff_changes(db):
    first = catalog_load_default(actor=SYSTEM)
    total = len(json.loads(DEFAULT_SYNONYMS_PATH.read_text(encoding="utf-8"))["synonyms"])
    assert first["synonyms_created"] == total == SearchSynonym.objects.count()
    links = SearchSynonym.deed_types.through.objects.count()
    staff = make_staff()
    synonym_save(actor=staff, word="เลือด", deed_types=[DeedType.objects.get(code="first-aid-help")])
    synonym_remove(actor=staff, word="ขยะ")
    imports = events("search_synonym:import").count()

    again = catalog_load_default(actor=SYSTEM)

    assert again["synonyms_created"] == 1  # the word staff removed comes back, nothing else
    assert events("search_synonym:import").count() == imports + 1
    assert codes(SearchSynonym.objects.get(word="เลือด").deed_types.all()) == {"first-aid-help"}
    assert SearchSynonym.objects.count() == total
    assert SearchSynonym.deed_types.through.objects.count() == links
    assert catalog_load_default(actor=SYSTEM)["synonyms_created"] == 0
    assert events("search_synonym:import").count() == imports + 1


def test_a_bad_synonyms_document_adds_nothing(catalog):
    before = SearchSynonym.objects.count()
    document = {"synonyms": [
        {"word": "ลอกท่อ", "deed_types": ["community-cleanup"]},
        {"word": "ไม่มีประเภทนี้", "deed_types": ["no-such-deed"]},
        {"word": "ลอกท่อ", "deed_types": ["community-cleanup"]},
        {"word": "", "deed_types": []},
    ]}  # fmt: skip
    with pytest.raises(ValidationFailed) as exc:
        synonyms_load(actor=SYSTEM, data=document)
    assert set(exc.value.fields) == {"synonyms 2", "synonyms 3", "synonyms 4"}
    assert SearchSynonym.objects.count() == before


# --- the staff page ------------------------------------------------------------------------------


@pytest.fixture
def staff_client(client, catalog):
    client.login(username=make_staff().phone, password=PASSWORD)
    return client


def test_staff_list_add_and_remove_words_on_the_page(staff_client, catalog):
    page = staff_client.get(PAGE).content.decode()
    assert "เลือด" in page and "บริจาคโลหิต" in page
    assert "เพิ่มหรือแก้ไขคำ" in page and "นำออก" in page  # Thai by default
    assert 'type="checkbox" name="deed_types"' in page  # tick boxes, not a Ctrl-click list
    pks = [catalog["school-support"].pk, catalog["tutoring-children"].pk]
    response = staff_client.post(PAGE, {"word": "ห้องเรียน", "deed_types": pks})
    assert response.status_code == 302 and response["Location"] == PAGE
    assert codes(SearchSynonym.objects.get(word="ห้องเรียน").deed_types.all()) == {
        "school-support", "tutoring-children",
    }  # fmt: skip
    assert "school-support" in codes(catalog_search(q="ทำความสะอาดห้องเรียน"))
    response = staff_client.post(REMOVE, {"word": "ห้องเรียน"})
    assert response.status_code == 302 and response["Location"] == PAGE
    assert not SearchSynonym.objects.filter(word="ห้องเรียน").exists()
    # removing a word that is not there says so and changes nothing
    response = staff_client.post(REMOVE, {"word": "ห้องเรียน"}, follow=True)
    assert [m.level_tag for m in response.context["messages"]][-1] == "error"


def test_bad_input_shows_an_error_and_changes_nothing(staff_client, catalog):
    count, links = SearchSynonym.objects.count(), SearchSynonym.deed_types.through.objects.count()
    for body in (
        {"word": "ห้องเรียน"},  # no deed type
        {"word": "", "deed_types": [catalog["school-support"].pk]},  # no word
        {"word": "ห้องเรียน", "deed_types": [999999]},  # no such deed type
        {"word": "ห" * 101, "deed_types": [catalog["school-support"].pk]},  # too long
    ):
        response = staff_client.post(PAGE, body)
        assert response.status_code == 200 and "error-summary" in response.content.decode(), body
    assert SearchSynonym.objects.count() == count
    assert SearchSynonym.deed_types.through.objects.count() == links


def test_a_citizen_gets_403_and_changes_nothing(client, catalog, citizen):
    client.login(username=citizen.phone, password=PASSWORD)
    assert client.get(PAGE).status_code == 403
    pk = catalog["school-support"].pk
    assert client.post(PAGE, {"word": "ห้องเรียน", "deed_types": [pk]}).status_code == 403
    assert client.post(REMOVE, {"word": "เลือด"}).status_code == 403
    assert not SearchSynonym.objects.filter(word="ห้องเรียน").exists()
    assert SearchSynonym.objects.filter(word="เลือด").exists()
    client.logout()
    assert "/people/login/" in client.get(PAGE)["Location"]
    assert client.get(REMOVE).status_code == 405  # removing is a POST only
