"""The demo's partners, privileges and redemptions (seed_demo), made through the real services:
a community shop and the subdistrict health centre approved by the committee, a café still
waiting, privileges for points and for levels, and the demo citizen's codes — one received at
the counter (the passbook shows the spend), one waiting with its QR. Idempotent."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from kwamdee.rewards.choices import LimitPeriod, PartnerKind, PartnerState
from kwamdee.rewards.partners import partner_by_name, partner_decide, partner_register
from kwamdee.rewards.privileges import PrivilegeIn, privilege_offer, privileges_of_partner
from kwamdee.rewards.redemptions import redemption_confirm, redemption_create, redemptions_of

SHOP = ("ร้านค้าชุมชนบ้านหนองสาหร่าย", "Nong Sarai Community Shop", PartnerKind.SHOP, "0345550101",
        "หมู่ 3 ตำบลหนองสาหร่าย อำเภอพนมทวน")  # fmt: skip
CLINIC = ("โรงพยาบาลส่งเสริมสุขภาพตำบลหนองสาหร่าย", "Nong Sarai Health Promoting Hospital",
          PartnerKind.CLINIC, "0345550202", "หมู่ 1 ตำบลหนองสาหร่าย อำเภอพนมทวน")  # fmt: skip
CAFE = ("กาแฟริมคลอง", "Canal-side Coffee", PartnerKind.SHOP, "0345550303", "หมู่ 5 ตำบลหนองสาหร่าย")

# (key, partner, title_th, title_en, description_th, cost, min_level, stock, limit, period, minutes,
#  shares_identity, area)
PRIVILEGES = [
    ("discount", "shop", "ส่วนลด 20 บาท ที่ร้านค้าชุมชน", "20 baht off at the community shop",
     "ใช้ได้กับสินค้าทุกชนิดในร้าน ซื้อขั้นต่ำ 100 บาท แสดงรหัสที่เคาน์เตอร์", 20, 0, 200, 2,
     LimitPeriod.MONTH, 60, False, "community"),
    ("merit-set", "shop", "ชุดดอกไม้ธูปเทียนสำหรับทำบุญ", "A set of flowers, incense and candles for the temple",
     "ชุดทำบุญจากกลุ่มแม่บ้านหมู่ 2 รับได้ที่ร้านค้าชุมชน", 10, 0, 40, 1, LimitPeriod.MONTH, 120, False,
     "community"),
    ("eggs", "shop", "ไข่ไก่สด 10 ฟอง", "10 fresh eggs",
     "ไข่ไก่จากกลุ่มเลี้ยงไก่ไข่หมู่ 4 รับได้ที่ร้านค้าชุมชน", 50, 0, 3, 1, LimitPeriod.EVER, 120, False,
     "district"),
    ("rice", "shop", "ข้าวหอมมะลิ 5 กิโลกรัม", "5 kg of jasmine rice",
     "สำหรับสมาชิกระดับต้นไม้ขึ้นไป", 80, 2, 20, 1, LimitPeriod.MONTH, 120, False, "community"),
    ("health", "clinic", "ตรวจสุขภาพประจำปีฟรี", "A free yearly health check",
     "ตรวจความดัน น้ำตาลในเลือด และไขมัน โดยไม่เสียค่าใช้จ่าย สำหรับผู้ถึงระดับร่มไม้ใหญ่ "
     "ต้องแจ้งชื่อกับ รพ.สต. เพื่อบันทึกผลตรวจ", 0, 3, None, 1, LimitPeriod.EVER, 7 * 24 * 60, True,
     "district"),
    ("queue", "clinic", "รับบริการช่องทางพิเศษ ไม่ต้องรอคิว", "Priority service, no queue",
     "แสดงรหัสที่จุดคัดกรอง รับบริการก่อนในวันนั้น", 5, 0, None, 1, LimitPeriod.DAY, 240, True,
     "district"),
]  # fmt: skip


def _partner(actor: Any, spec: tuple[Any, ...], subdistrict: str, *, approver: Any | None) -> Any:
    name_th, name_en, kind, phone, address = spec
    partner = partner_by_name(name_th)
    if partner is None:
        partner = partner_register(
            actor=actor, name_th=name_th, name_en=name_en, kind=kind, subdistrict_code=subdistrict,
            address=address, contact_phone=phone,
        )  # fmt: skip
    if approver is not None and partner.state == PartnerState.PENDING:
        partner = partner_decide(actor=approver, partner=partner, approve=True, note="ตรวจสถานที่แล้ว")
    return partner


def rewards_seed(*, subdistrict: str, partner_person: Any, clinic_person: Any, cafe_person: Any,
                 committee: Any, citizen: Any) -> None:  # fmt: skip
    shop = _partner(partner_person, SHOP, subdistrict, approver=committee)
    clinic = _partner(clinic_person, CLINIC, subdistrict, approver=committee)
    _partner(cafe_person, CAFE, subdistrict, approver=None)  # waits for the committee
    partners = {"shop": (shop, partner_person), "clinic": (clinic, clinic_person)}
    today = timezone.localdate()
    offered: dict[str, Any] = {}
    for (key, which, title_th, title_en, text, cost, level, stock, limit, period, minutes, identity,
         area) in PRIVILEGES:  # fmt: skip
        partner, person = partners[which]
        existing = privileges_of_partner(partner).filter(title_th=title_th).first()
        if existing is None:
            code = str(partner.community.public_id) if area == "community" and partner.community else ""
            areas = [("community", code)] if code else [("district", partner.district_code)]
            existing = privilege_offer(
                actor=person, partner=partner,
                data=PrivilegeIn(
                    title_th=title_th, title_en=title_en, description_th=text, cost_points=cost,
                    min_level=level, stock=stock, per_person_limit=limit, per_person_period=period,
                    code_minutes=minutes, shares_identity=identity, valid_from=today - timedelta(days=30),
                    valid_until=today + timedelta(days=335), areas=areas,
                ),
            )  # fmt: skip
        offered[key] = existing
    # The citizen redeemed the discount last week-end and received it at the shop's counter...
    received = redemption_create(actor=citizen, privilege=offered["discount"], key="demo-discount-1")
    if received.state == "held":
        redemption_confirm(actor=partner_person, partner=shop, code=received.code)
    # ...and has a code for priority service waiting at the health centre (its QR on her phone).
    # (A new one each day the demo is loaded, once the last one has expired: its limit is 1 a day.)
    if not redemptions_of(citizen).filter(privilege=offered["queue"], state="held").exists():
        redemption_create(
            actor=citizen, privilege=offered["queue"], key=f"demo-queue-{today}", share_identity=True
        )
