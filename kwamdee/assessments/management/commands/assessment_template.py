"""Imports an assessment template from a JSON file (as the next version of its code), or exports
one: `manage.py assessment_template import FILE`, `manage.py assessment_template export CODE`.
`import default` loads the default template shipped with the app (data/moral_organization.json)."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kwamdee.assessments.documents import template_document
from kwamdee.assessments.selectors import template_in_force
from kwamdee.assessments.services import template_import
from kwamdee.common.actors import SystemActor
from kwamdee.common.errors import ServiceError

DEFAULT = Path(__file__).resolve().parents[2] / "data" / "moral_organization.json"


class Command(BaseCommand):
    help = "Import or export an assessment template (JSON)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["import", "export"])
        parser.add_argument("what", help="a JSON file (or 'default') to import, a template code to export")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "export":
            template = template_in_force(options["what"])
            if template is None:
                raise CommandError(f"no template {options['what']!r} in force")
            self.stdout.write(json.dumps(template_document(template), ensure_ascii=False, indent=2))
            return
        path = DEFAULT if options["what"] == "default" else Path(options["what"])
        try:
            template = template_import(
                actor=SystemActor("assessment_template"), document=path.read_text("utf-8")
            )
        except ServiceError as error:
            raise CommandError(json.dumps(error.as_dict(), ensure_ascii=False)) from error
        self.stdout.write(f"{template.code} v{template.version}")
