"""The authorization matrix's rows for the timebank app's pages and API operations (issue 12), and the
objects they name, made on top of seed_demo's data. See test_authorization_matrix.py for what a
row says.

Every role of the matrix is a member of the demo's community (Nong Sarai), so every one of them
browses its offers and requests and replies to them. An exchange is seen by its two sides and the
community's committee (the community admin); anyone else gets 404, as for none. The committee
confirming, declining or withdrawing for a side is refused with 403 (it may never), as a side
having the pool pay. A listing or an exchange of another community is 404 for everyone."""

from django.utils import timezone

from kwamdee.people.models import User
from kwamdee.timebank.models import Exchange, Listing, PoolDonation, ServiceCategory, TimeBankSetting
from kwamdee.timebank.services import exchange_propose, listing_post
from tests.factories import PHANOM_THUAN, make_person
from tests.security.matrix_rows import API_SIGNED_IN, SIGNED_IN_OK, A, Row, only

CITIZEN = "0810000002"
SIDE_OR_COMMITTEE = {"anon": "login", "citizen": 200, "community_admin": 200, "*": 404}
API_SIDE = {"anon": 401, "citizen": 200, "community_admin": 403, "*": 404}


def _state(key: str):
    return lambda data: Exchange.objects.get(public_id=data[key]).state


WEB: list[Row] = [
    Row("GET", "/timebank/", SIGNED_IN_OK),
    Row("GET", "/timebank/listings/", SIGNED_IN_OK),
    Row("GET", "/timebank/listings/?kind=nonsense&category=nonsense", SIGNED_IN_OK),
    Row("GET", "/timebank/listings/new/", SIGNED_IN_OK),
    Row(
        "POST",
        "/timebank/listings/new/",
        {"anon": "login", "*": "done"},
        body={"kind": "offer", "category": "gardening", "title": "matrix ตัดหญ้า", "description": ""},
        effect=lambda data: Listing.objects.filter(title="matrix ตัดหญ้า").exists(),
    ),
    Row("GET", "/timebank/listings/{tb_listing}/", SIGNED_IN_OK),
    Row("GET", "/timebank/listings/{tb_listing_other}/", {"anon": "login", "*": 404}),
    # Replying to a neighbour's offer proposes an exchange (every role is a member).
    Row(
        "POST",
        "/timebank/listings/{tb_listing}/reply/",
        {"anon": "login", "*": "done"},
        body=lambda data, role: {
            "hours": "1",
            "minutes": "0",
            "performed_on": str(timezone.localdate()),
            "note": "matrix-reply",
        },
        effect=lambda data: Exchange.objects.filter(note="matrix-reply").exists(),
    ),
    Row(
        "POST",
        "/timebank/listings/{tb_listing_other}/reply/",
        {"anon": "login", "*": 404},
        body={"hours": "1", "minutes": "0", "note": "matrix-far"},
    ),
    # Closing: its member (the citizen role's own listing) or the committee; anyone else 404.
    Row(
        "POST",
        "/timebank/listings/{tb_listing_own}/close/",
        only(["citizen", "community_admin"], "done", others=404),
        effect=lambda data: Listing.objects.get(public_id=data["tb_listing_own"]).state == "closed",
    ),
    Row("POST", "/timebank/listings/{tb_listing_other}/close/", {"anon": "login", "*": 404}),
    Row("GET", "/timebank/exchanges/", SIGNED_IN_OK),
    Row("GET", "/timebank/exchanges/{tb_exchange_waiting}/", SIDE_OR_COMMITTEE),
    Row("GET", "/timebank/exchanges/{tb_exchange_other}/", {"anon": "login", "*": 404}),
    Row(
        "POST",
        "/timebank/exchanges/{tb_exchange_waiting}/act/",
        {"anon": "login", "citizen": "done", "community_admin": 403, "*": 404},
        body={"action": "confirm"},
        effect=lambda data: _state("tb_exchange_waiting")(data) == "confirmed",
    ),
    Row(
        "POST",
        "/timebank/exchanges/{tb_exchange_other}/act/",
        {"anon": "login", "*": 404},
        body={"action": "confirm"},
    ),
    Row("GET", "/timebank/donate/", SIGNED_IN_OK),
    # Only the citizen role holds time to give (the demo's); the others' forms come back (200).
    Row(
        "POST",
        "/timebank/donate/",
        {"anon": "login", "citizen": "done", "*": 200},
        body={"hours": "1", "minutes": "15"},
        effect=lambda data: PoolDonation.objects.filter(member__phone=CITIZEN, minutes=75).exists(),
    ),
    # The committee's pages: its own community; another community is as none (404).
    Row("GET", "/timebank/community/", only("community_admin", "ok")),
    Row("GET", "/timebank/community/{community}/", only("community_admin", 200)),
    Row("GET", "/timebank/community/{community_other}/", only("community_admin", 404)),
    Row(
        "POST",
        "/timebank/community/{community}/",
        only("community_admin", "done"),
        body={"hours": "5"},
        effect=lambda data: TimeBankSetting.objects.filter(
            community__public_id=data["community"], negative_limit_minutes=-300
        ).exists(),
    ),
    Row("POST", "/timebank/community/{community_other}/", only("community_admin", 404), body={"hours": "5"}),
    Row("GET", "/timebank/report/", only(["community_admin", "staff"], 200)),
    # National staff link a category to a deed type (จิตอาสา).
    Row("GET", "/timebank/categories/", only("staff", 200)),
    Row(
        "POST",
        "/timebank/categories/",
        only("staff", "done"),
        body={"category": "cooking", "deed_type": "volunteer-hours"},
        effect=lambda data: ServiceCategory.objects.get(code="cooking").deed_type_id is not None,
    ),
]

T = f"{A}/timebank"
API: list[Row] = [
    Row("GET", f"{T}/categories", API_SIGNED_IN, api_template=f"{T}/categories"),
    Row("GET", f"{T}/listings?kind=offer", API_SIGNED_IN, api_template=f"{T}/listings"),
    Row(
        "POST",
        f"{T}/listings",
        {"anon": 401, "*": 201},
        body={"kind": "request", "category": "errands", "title": "matrix ซื้อของ"},
        api_template=f"{T}/listings",
    ),
    Row("GET", f"{T}/listings/{{tb_listing}}", API_SIGNED_IN, api_template=f"{T}/listings/{{public_id}}"),
    Row(
        "GET",
        f"{T}/listings/{{tb_listing_other}}",
        {"anon": 401, "*": 404},
        api_template=f"{T}/listings/{{public_id}}",
    ),
    Row(
        "POST",
        f"{T}/listings/{{tb_listing_own_api}}/close",
        {"anon": 401, "citizen": 200, "community_admin": 200, "*": 404},
        api_template=f"{T}/listings/{{public_id}}/close",
    ),
    Row(
        "POST",
        f"{T}/listings/{{tb_listing_other}}/close",
        {"anon": 401, "*": 404},
        api_template=f"{T}/listings/{{public_id}}/close",
    ),
    Row("GET", f"{T}/balance", API_SIGNED_IN, api_template=f"{T}/balance"),
    Row("GET", f"{T}/exchanges", API_SIGNED_IN, api_template=f"{T}/exchanges"),
    Row(
        "POST",
        f"{T}/exchanges",
        {"anon": 401, "*": 201},
        body=lambda data, role: {"listing": data["tb_listing"], "minutes": 30, "note": "matrix-api"},
        api_template=f"{T}/exchanges",
    ),
    Row(
        "POST",
        f"{T}/exchanges",
        {"anon": 401, "*": 404},
        body=lambda data, role: {"listing": data["tb_listing_other"], "minutes": 30},
        api_template=f"{T}/exchanges",
    ),
    Row(
        "GET",
        f"{T}/exchanges/{{tb_exchange_waiting}}",
        {"anon": 401, "citizen": 200, "community_admin": 200, "*": 404},
        api_template=f"{T}/exchanges/{{public_id}}",
    ),
    Row(
        "GET",
        f"{T}/exchanges/{{tb_exchange_other}}",
        {"anon": 401, "*": 404},
        api_template=f"{T}/exchanges/{{public_id}}",
    ),
    Row(
        "POST",
        f"{T}/exchanges/{{tb_exchange_confirm_api}}/confirm",
        API_SIDE,
        api_template=f"{T}/exchanges/{{public_id}}/confirm",
    ),
    Row(
        "POST",
        f"{T}/exchanges/{{tb_exchange_other}}/confirm",
        {"anon": 401, "*": 404},
        api_template=f"{T}/exchanges/{{public_id}}/confirm",
    ),
    Row(
        "POST",
        f"{T}/exchanges/{{tb_exchange_decline_api}}/decline",
        API_SIDE,
        api_template=f"{T}/exchanges/{{public_id}}/decline",
    ),
    Row(
        "POST",
        f"{T}/exchanges/{{tb_exchange_withdraw_api}}/withdraw",
        API_SIDE,
        api_template=f"{T}/exchanges/{{public_id}}/withdraw",
    ),
    # The committee has the pool pay for the elder (the demo's exchange waiting for her).
    Row(
        "POST",
        f"{T}/exchanges/{{tb_exchange_elder}}/pool-cover",
        {"anon": 401, "community_admin": 200, "*": 404},
        api_template=f"{T}/exchanges/{{public_id}}/pool-cover",
    ),
    # Only the citizen role holds time to give; the others hold none (409 time_not_enough).
    Row(
        "POST",
        f"{T}/pool/donations",
        {"anon": 401, "citizen": 201, "*": 409},
        body={"minutes": 30},
        api_template=f"{T}/pool/donations",
    ),
    Row(
        "GET",
        f"{T}/reports",
        {"anon": 401, "community_admin": 200, "staff": 200, "*": 403},
        api_template=f"{T}/reports",
    ),
]


def objects() -> dict[str, str]:
    """The {placeholders} of the rows above: the demo's listings and exchanges, and a member of
    the other community (seed_demo's Phanom Thuan community of the matrix) with a listing and an
    exchange of their own."""
    citizen = User.objects.get(phone=CITIZEN)
    neighbour = User.objects.get(phone="0810000004")  # บุญมา, a member who is none of the roles
    far = make_person(name="สมปอง ตำบลอื่น", subdistrict=PHANOM_THUAN, phone="0820000071")
    far_2 = make_person(name="สมศรี ตำบลอื่น", subdistrict=PHANOM_THUAN, phone="0820000072")
    far_listing = listing_post(actor=far, kind="offer", category_code="repairs", title="ซ่อมจักรยาน")
    far_exchange = exchange_propose(actor=far, giver=far, receiver=far_2, minutes=30, category_code="repairs")

    def own_listing(title: str) -> str:
        return str(
            listing_post(actor=citizen, kind="request", category_code="errands", title=title).public_id
        )

    def proposal(giver: User, receiver: User, note: str) -> str:
        exchange = exchange_propose(
            actor=giver, giver=giver, receiver=receiver, minutes=20, category_code="teaching", note=note
        )
        return str(exchange.public_id)

    return {
        "tb_listing": str(Listing.objects.get(title="ซ่อมพัดลม ก๊อกน้ำ ปลั๊กไฟในบ้าน").public_id),
        "tb_listing_other": str(far_listing.public_id),
        "tb_listing_own": own_listing("matrix ฝากซื้อยา"),
        "tb_listing_own_api": own_listing("matrix ฝากซื้อข้าวสาร"),
        # the demo's exchange waiting for the citizen role (บุญมา's homework lesson)
        "tb_exchange_waiting": str(
            Exchange.objects.get(receiver=citizen, note="สอนการบ้านคณิตศาสตร์ให้น้องต้นฝน").public_id
        ),
        "tb_exchange_other": str(far_exchange.public_id),
        "tb_exchange_confirm_api": proposal(neighbour, citizen, "matrix confirm"),
        "tb_exchange_decline_api": proposal(neighbour, citizen, "matrix decline"),
        "tb_exchange_withdraw_api": proposal(citizen, neighbour, "matrix withdraw"),
        # the demo's repair of the elder's tap, waiting for her
        "tb_exchange_elder": str(
            Exchange.objects.get(receiver__phone="0810000014", state="proposed").public_id
        ),
    }
