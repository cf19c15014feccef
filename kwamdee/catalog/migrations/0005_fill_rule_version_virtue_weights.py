from decimal import Decimal

from django.db import migrations


def fill(apps, schema_editor):
    """Existing rule versions take the weights their deed type has now."""
    RuleVersion = apps.get_model("catalog", "RuleVersion")
    DeedTypeVirtue = apps.get_model("catalog", "DeedTypeVirtue")
    for rule in RuleVersion.objects.filter(virtue_weights={}):
        weights = DeedTypeVirtue.objects.filter(deed_type_id=rule.deed_type_id).select_related("virtue")
        rule.virtue_weights = {
            w.virtue.code: str(Decimal(w.weight).quantize(Decimal("0.001"))) for w in weights
        }
        rule.save(update_fields=["virtue_weights"])


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_rule_version_virtue_weights")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
