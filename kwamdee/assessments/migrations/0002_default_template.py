"""The default template (data/moral_organization.json, sources in docs/organizations.md) as its
first version. Reversible: going back removes the version if no assessment uses it."""

import json
from pathlib import Path

from django.db import migrations

DOCUMENT = Path(__file__).resolve().parents[1] / "data" / "moral_organization.json"


def load(apps, schema_editor):
    from kwamdee.assessments.documents import template_document_problems, template_rows_create

    document = json.loads(DOCUMENT.read_text("utf-8"))
    problems = template_document_problems(document)
    if problems:
        raise ValueError(f"the default assessment template is not valid: {problems}")
    Template = apps.get_model("assessments", "Template")
    if Template.objects.filter(code=document["code"]).exists():
        return
    names = ("Template", "TemplateLevel", "TemplateActivity", "TemplateItem")
    template_rows_create(document, models={n: apps.get_model("assessments", n) for n in names}, version=1)


def unload(apps, schema_editor):
    Template = apps.get_model("assessments", "Template")
    ids = list(
        Template.objects.filter(code="moral_organization", version=1, assessments__isnull=True).values_list(
            "pk", flat=True
        )
    )
    # Children first, by ids, without Django's cascade: on a backward run the historical models'
    # relations point at models of another state, which the cascade's collector refuses.
    for name, lookup in (("TemplateItem", "activity__template_id__in"), ("TemplateActivity", "template_id__in"),
                         ("TemplateLevel", "template_id__in"), ("Template", "pk__in")):  # fmt: skip
        rows = apps.get_model("assessments", name).objects.filter(**{lookup: ids})
        rows._raw_delete(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_assessment")]

    operations = [migrations.RunPython(load, unload)]
