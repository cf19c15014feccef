"""The national levels every community starts from (a community may set its own)."""

from django.db import migrations

LEVELS = [
    (1, "ต้นกล้า", "Seedling", 0, "เริ่มสะสมความดี ใช้แต้มแลกสิทธิประโยชน์ทั่วไป",
     "Start collecting good deeds; use points for everyday privileges"),
    (2, "ต้นไม้", "Tree", 100, "สิทธิประโยชน์ที่ต้องการระดับต้นไม้ เช่น ส่วนลดและบริการพิเศษ",
     "Privileges for Trees, such as discounts and priority service"),
    (3, "ร่มไม้ใหญ่", "Great Shade Tree", 500, "สิทธิประโยชน์สูงสุด เช่น ตรวจสุขภาพฟรี และสินเชื่อไม่ต้องมีผู้ค้ำ",
     "The highest privileges, such as free health checks and loans without a guarantor"),
]


def add(apps, schema_editor):
    Level = apps.get_model("rewards", "Level")
    for rank, name_th, name_en, min_credit, opens_th, opens_en in LEVELS:
        Level.objects.get_or_create(
            community=None, rank=rank,
            defaults={"name_th": name_th, "name_en": name_en, "min_credit": min_credit,
                      "opens_th": opens_th, "opens_en": opens_en},
        )  # fmt: skip


def remove(apps, schema_editor):
    apps.get_model("rewards", "Level").objects.filter(community=None, rank__in=[r[0] for r in LEVELS]).delete()


class Migration(migrations.Migration):
    dependencies = [("rewards", "0004_partners_privileges_redemptions_levels")]
    operations = [migrations.RunPython(add, remove)]
