"""The service categories every time bank starts from (staff may add more, or retire one)."""

from django.db import migrations

CATEGORIES = [
    ("elder-care", "ดูแลผู้สูงอายุ", "Care for elders"),
    ("rides", "รับส่ง", "Rides"),
    ("repairs", "ซ่อมแซม", "Repairs"),
    ("teaching", "สอนหนังสือ", "Teaching"),
    ("cooking", "ทำอาหาร", "Cooking"),
    ("gardening", "ทำสวน", "Gardening"),
    ("companionship", "เป็นเพื่อนคุยและเยี่ยมบ้าน", "Companionship and home visits"),
    ("errands", "ธุระและซื้อของ", "Errands and shopping"),
    ("childcare", "ดูแลเด็ก", "Childcare"),
    ("health-support", "พาไปหาหมอและดูแลผู้ป่วย", "Doctor visits and care for the sick"),
    ("housework", "งานบ้าน", "Housework"),
    ("digital-help", "ช่วยใช้โทรศัพท์และคอมพิวเตอร์", "Help with phones and computers"),
]


def add(apps, schema_editor):
    ServiceCategory = apps.get_model("timebank", "ServiceCategory")
    for order, (code, name_th, name_en) in enumerate(CATEGORIES, start=1):
        ServiceCategory.objects.get_or_create(
            code=code, defaults={"name_th": name_th, "name_en": name_en, "sort_order": order * 10}
        )


def remove(apps, schema_editor):
    apps.get_model("timebank", "ServiceCategory").objects.filter(code__in=[c[0] for c in CATEGORIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("timebank", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
