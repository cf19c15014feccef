"""What each domain holds about one person, said by that domain in one place (its own
`personal_data.py`, registered when the app loads). The privacy app gathers the sections for the
person's own "my data" page and download (PDPA §30–31: access and portability), so a new domain
that keeps personal data adds its section and the page, the JSON and the CSV files follow.

A section is a list of flat rows of plain values (text, numbers, dates, true/false): the same rows
make a table on the page, a list in the JSON and a CSV file."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Row = dict[str, Any]


@dataclass(frozen=True)
class Section:
    key: str  # a file name: "profile", "deeds"
    title: Any  # a translated heading
    rows: list[Row] = field(default_factory=list)
    note: Any = ""  # what the section leaves out and why, in a sentence


_COLLECTORS: dict[str, tuple[int, Callable[[Any], Section]]] = {}


def personal_data_section(
    key: str, *, order: int = 50
) -> Callable[[Callable[[Any], Section]], Callable[[Any], Section]]:
    """Registers `function(person) -> Section` under `key` (once: a second is a programming error);
    sections are shown by `order`, the profile first."""

    def register(function: Callable[[Any], Section]) -> Callable[[Any], Section]:
        if key in _COLLECTORS and _COLLECTORS[key][1] is not function:
            raise ValueError(f"two personal-data sections named {key!r}")
        _COLLECTORS[key] = (order, function)
        return function

    return register


def personal_data_collect(person: Any) -> list[Section]:
    """Every registered section about `person`, in their order."""
    return [collect(person) for _order, collect in sorted(_COLLECTORS.values(), key=lambda c: c[0])]


def personal_data_keys() -> list[str]:
    return [key for key, _entry in sorted(_COLLECTORS.items(), key=lambda item: item[1][0])]


def audit_section(person: Any) -> Section:
    """The audit events the person made or that are about them (registered last, by CommonConfig)."""
    from django.db.models import Q
    from django.utils.translation import gettext_lazy as _

    from kwamdee.common.models import AuditEvent

    events = AuditEvent.objects.filter(Q(actor=person) | Q(subject_id=str(person.public_id)))
    rows = [
        {
            "at": event.created_at,
            "event": event.event_type,
            "by": str(_("you")) if event.actor_id == person.pk else (event.system_actor or str(_("staff"))),
        }
        for event in events.order_by("created_at", "id")
    ]
    note = _(
        "The record of changes made by you or about your account; "
        "the details of each change are kept with it."
    )
    return Section("audit", _("Changes recorded"), rows, note)


def access_section(person: Any) -> Section:
    """Who else read the person's data, and when (common/access.py records it)."""
    from django.utils.translation import gettext_lazy as _

    from kwamdee.common.models import AccessRecord

    labels = {
        "deed:view": _("opened your deed"),
        "evidence:view": _("opened a photo or document of your deed"),
        "admin:view": _("looked at your record in the admin"),
        "data_request:view": _("read your request about your data"),
        "national_id:confirm": _("checked your ID card"),
    }
    records = AccessRecord.objects.filter(person_ref=str(person.public_id)).select_related("viewer")
    rows = [
        {
            "at": record.created_at,
            "by": record.viewer.full_name if record.viewer else str(_("staff")),
            "what": str(labels.get(record.what, record.what)),
        }
        for record in records.order_by("created_at", "id")
    ]
    note = _("Every time a verifier or staff member opened your deeds or your record.")
    return Section("access", _("Who looked at your data"), rows, note)
