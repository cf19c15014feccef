"""`{% deed_evidence deed %}`: the photos and documents of a deed, on a page that already shows
the deed only to those who may see it (the deeds app's page). Each file opens through the deeds
app's serving view, which checks again."""

from typing import Any

from django import template

from kwamdee.evidence.selectors import evidence_of_deed

register = template.Library()


@register.inclusion_tag("evidence/deed_evidence.html")
def deed_evidence(deed: Any) -> dict[str, Any]:
    return {"files": evidence_of_deed(deed), "deed": deed}
