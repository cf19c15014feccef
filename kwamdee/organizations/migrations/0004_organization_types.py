"""Data: the default organization types (issue 13), and each organization's `kind` turned into
its type. Reversible: going back writes `kind` from the type's code."""

from django.db import migrations

TYPES = [
    ("government", "หน่วยงานราชการ", "Government agency"),
    ("local_government", "องค์กรปกครองส่วนท้องถิ่น", "Local government"),
    ("state_enterprise", "รัฐวิสาหกิจ", "State enterprise"),
    ("business", "ภาคธุรกิจ", "Business"),
    ("school", "สถานศึกษา", "School or university"),
    ("religious", "องค์กรศาสนา", "Religious body"),
    ("media", "สื่อมวลชน", "Media"),
    ("civil_society", "ภาคประชาสังคม", "Civil society"),
    ("community", "องค์กรชุมชน", "Community organization"),
    ("hospital", "โรงพยาบาล", "Hospital"),
]


def types_create(apps, schema_editor):
    OrganizationType = apps.get_model("organizations", "OrganizationType")
    Organization = apps.get_model("organizations", "Organization")
    for order, (code, name_th, name_en) in enumerate(TYPES, start=1):
        OrganizationType.objects.update_or_create(
            code=code, defaults={"name_th": name_th, "name_en": name_en, "order": order * 10}
        )
    by_code = {t.code: t for t in OrganizationType.objects.all()}
    for organization in Organization.objects.filter(organization_type__isnull=True):
        organization.organization_type = by_code.get(organization.kind) or by_code["civil_society"]
        organization.save(update_fields=["organization_type"])


def kinds_restore(apps, schema_editor):
    Organization = apps.get_model("organizations", "Organization")
    for organization in Organization.objects.select_related("organization_type"):
        organization.kind = organization.organization_type.code if organization.organization_type else ""
        organization.save(update_fields=["kind"])


class Migration(migrations.Migration):
    dependencies = [("organizations", "0003_registry_and_people")]

    operations = [migrations.RunPython(types_create, kinds_restore)]
