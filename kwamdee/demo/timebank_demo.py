"""The demo's time bank (seed_demo), made through the real services (kwamdee/timebank/): offers
and requests of Nong Sarai's members, exchanges confirmed and waiting, the community pool.
Idempotent: each listing is found again by its member and title, each exchange by its giver and
note, and the gifts to the pool are made once.

What it leaves (the time is in minutes):
- care for elders counts as the national deed type "volunteer-hours" (จิตอาสา): ประเสริฐ's
  afternoon with บุญมา's bedridden mother credited him a deed;
- ชไมพร (the committee's second member) and ประเสริฐ gave time to the pool, and the pool paid for
  the hospital trip the citizen role 0810000002 (the อสม.) gave the elder ทองใบ;
- บุญมา's homework lesson for สมหญิง's son waits for her (the citizen role) to confirm;
- ประเสริฐ's repair of the elder's tap waits for her, and the committee may have the pool pay."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from kwamdee.common.actors import SystemActor
from kwamdee.timebank.selectors import category_get, donations_of, exchanges_of, listings_of
from kwamdee.timebank.services import (
    categories_default_load,
    category_deed_type_link,
    exchange_confirm,
    exchange_pool_cover,
    exchange_propose,
    listing_post,
    pool_donate,
)

SEED = SystemActor("seed_demo")
DEED_LINK = ("elder-care", "volunteer-hours")  # national staff's decision, made by the demo

# (who, kind, category, title, description); who: c0–c2 the citizens, k1 the committee's second
# member, elder.
LISTINGS = [
    ("c0", "offer", "health-support", "พาผู้สูงอายุไปโรงพยาบาลพนมทวน",
     "มีรถกระบะ ไปส่ง นั่งรอเป็นเพื่อน และรับยากลับมาให้ได้ วันจันทร์ถึงศุกร์ช่วงเช้า"),
    ("c1", "offer", "repairs", "ซ่อมพัดลม ก๊อกน้ำ ปลั๊กไฟในบ้าน",
     "มีเครื่องมือครบ ค่าอะไหล่เจ้าของบ้านออกเอง ว่างเย็นวันธรรมดาและวันเสาร์"),
    ("c2", "offer", "teaching", "สอนการบ้านเด็ก ป.1–ป.6",
     "คณิตศาสตร์และภาษาไทย หลังเลิกเรียน ที่ศาลาประชาคมหมู่ 3"),
    ("k1", "offer", "cooking", "ทำกับข้าวให้ผู้ป่วยติดเตียง",
     "ทำอาหารอ่อน รสไม่จัด ส่งถึงบ้านวันละมื้อ บอกล่วงหน้าหนึ่งวัน"),
    ("c2", "offer", "elder-care", "ตัดผมให้ผู้สูงอายุถึงบ้าน",
     "ตัดผม โกนหนวด ตัดเล็บ ให้ผู้สูงอายุที่เดินทางไม่สะดวก"),
    ("elder", "request", "repairs", "หลังคาห้องครัวรั่ว อยากให้ช่วยดู", "ฝนตกทีไรน้ำหยดลงเตา อยู่บ้านทุกวัน"),
    ("c1", "request", "digital-help", "อยากให้สอนใช้แอปเป๋าตังบนโทรศัพท์", "จะได้ใช้สิทธิ์คนละครึ่งเองได้"),
    ("elder", "request", "companionship", "อยากมีคนมาคุยด้วยตอนบ่าย", "อยู่บ้านคนเดียว ลูกหลานทำงานที่กรุงเทพ"),
]  # fmt: skip

# (giver, receiver, proposer, category, listing title or "", minutes, days ago, note, outcome);
# outcome: "confirm", "pool" (the committee has the pool pay, then it is confirmed), "wait" or
# "wait_pool" (left waiting for the other side; the committee may have the pool pay).
EXCHANGES = [
    ("c1", "c0", "c1", "repairs", "ซ่อมพัดลม ก๊อกน้ำ ปลั๊กไฟในบ้าน", 60, 20,
     "เปลี่ยนมอเตอร์พัดลมตั้งพื้นให้", "confirm"),
    ("c0", "c1", "c0", "digital-help", "อยากให้สอนใช้แอปเป๋าตังบนโทรศัพท์", 90, 16,
     "สอนสแกนจ่ายและดูยอดเงินในแอป", "confirm"),
    ("c1", "c2", "c1", "elder-care", "", 120, 15,
     "ไปเฝ้าแม่บุญมาที่ป่วยติดเตียงช่วงบ่าย ให้บุญมาไปธุระที่อำเภอ", "confirm"),
    ("k1", "c2", "k1", "cooking", "ทำกับข้าวให้ผู้ป่วยติดเตียง", 240, 14,
     "ทำโจ๊กและแกงจืดให้แม่บุญมา 4 มื้อ", "confirm"),
    ("c0", "elder", "c0", "health-support", "พาผู้สูงอายุไปโรงพยาบาลพนมทวน", 180, 8,
     "พาไปตรวจตามนัดคลินิกความดัน รอรับยา", "pool"),
    ("c2", "c0", "c2", "teaching", "สอนการบ้านเด็ก ป.1–ป.6", 60, 2,
     "สอนการบ้านคณิตศาสตร์ให้น้องต้นฝน", "wait"),
    ("c1", "elder", "c1", "repairs", "", 60, 1, "เปลี่ยนก๊อกน้ำอ่างล้างจานที่รั่ว", "wait_pool"),
]  # fmt: skip

# Gifts of time to the pool: (who, minutes), made before the pool pays for the elder.
DONATIONS = [("k1", 240), ("c1", 60)]


def timebank_seed(*, subdistrict: str, committee: list[Any], citizens: list[Any], elder: Any) -> None:
    """`committee`: the community's two committee members; `citizens`: the demo's citizens (the
    citizen role first); `elder`: the elderly villager."""
    categories_default_load(actor=SEED)  # a database flushed after its migrations has none
    people = {"c0": citizens[0], "c1": citizens[1], "c2": citizens[2], "k1": committee[1], "elder": elder}
    category = category_get(DEED_LINK[0])
    if category is not None and category.deed_type_id is None:
        category_deed_type_link(actor=SEED, category=category, deed_type_code=DEED_LINK[1])
    listings = {}
    for who, kind, code, title, text in LISTINGS:
        person = people[who]
        found = listings_of(person).filter(title=title).first()
        if found is None:
            found = listing_post(actor=person, kind=kind, category_code=code, title=title, description=text)
        listings[title] = found
    today = timezone.localdate()
    for giver, receiver, proposer, code, title, minutes, days, note, outcome in EXCHANGES:
        if exchanges_of(people[giver]).filter(note=note).exists():
            continue
        if outcome == "pool":
            _donations(people)
        exchange = exchange_propose(
            actor=people[proposer], giver=people[giver], receiver=people[receiver], minutes=minutes,
            category_code=code, listing=listings[title] if title else None,
            performed_on=today - timedelta(days=days), note=note,
        )  # fmt: skip
        other = people[receiver] if proposer == giver else people[giver]
        if outcome == "pool":
            exchange = exchange_pool_cover(actor=committee[0], exchange=exchange)
        if outcome in ("confirm", "pool"):
            exchange_confirm(actor=other, exchange=exchange)
    _donations(people)


def _donations(people: dict[str, Any]) -> None:
    """The gifts to the pool, once each (their giver has given nothing else)."""
    for who, minutes in DONATIONS:
        if not donations_of(people[who]).exists():
            pool_donate(actor=people[who], minutes=minutes)
