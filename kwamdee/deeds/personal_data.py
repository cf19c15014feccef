"""The deeds a person recorded, with what was decided about them (common/personal_data.py)."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from kwamdee.common.personal_data import Section, personal_data_section
from kwamdee.deeds.flags import flags_of_person
from kwamdee.deeds.models import AssistConsent, DeedWitness
from kwamdee.deeds.selectors import deed_questions_of_person, deed_reversals_of_person, deeds_of_person


@personal_data_section("deeds", order=30)
def deeds_section(person: Any) -> Section:
    reversals = deed_reversals_of_person(person=person)
    rows = [
        {
            "public_id": str(deed.public_id),
            "deed_type": deed.deed_type.name,
            "performed_on": deed.performed_on,
            "quantity": deed.quantity,
            "description": deed.description,
            "status": deed.get_status_display(),
            "recorded_at": deed.created_at,
            "decided_at": deed.decided_at,
            "rejection_code": deed.get_rejection_code_display(),
            "rejection_reason": deed.rejection_reason,
            "credit": deed.credit_awarded,
            "points": deed.points_awarded,
            "subdistrict_code": deed.subdistrict_code,
            # A helper who recorded it on the person's behalf (assisted recording).
            "recorded_by": getattr(deed.recorded_by, "full_name", ""),
            # An auditor's reversal of the credit: when, and why in the words the person reads.
            "reversed_at": reversals[deed.pk].created_at if deed.pk in reversals else None,
            "reversal_reason": reversals[deed.pk].words_for_person if deed.pk in reversals else "",
            "points_kept": reversals[deed.pk].points_kept if deed.pk in reversals else 0,
        }
        for deed in deeds_of_person(person=person).order_by("created_at", "id")
    ]
    return Section("deeds", _("Deeds"), rows)


@personal_data_section("deed_questions", order=31)
def deed_questions_section(person: Any) -> Section:
    """What verifiers asked about the person's deeds, and what they answered."""
    rows = [
        {
            "deed": str(q.deed.public_id),
            "question": q.question,
            "asked_at": q.asked_at,
            "answer": q.answer,
            "answered_at": q.answered_at,
        }
        for q in deed_questions_of_person(person=person)
    ]
    return Section("deed_questions", _("Questions about your deeds"), rows)


@personal_data_section("deed_flags", order=34)
def deed_flags_section(person: Any) -> Section:
    """What the automatic checks noticed about the person's deeds, and what an auditor did with
    it: the person's data like any other (PDPA §30). A flag is no penalty and changed nothing."""
    rows = [
        {
            "deed": str(flag.deed.public_id),
            "check": flag.get_kind_display(),
            "explanation": flag.explanation,
            "raised_at": flag.raised_at,
            "state": flag.get_state_display(),
            "decided_at": flag.decided_at,
            "note": flag.note,
        }
        for flag in flags_of_person(person=person)
    ]
    return Section("deed_flags", _("Automatic checks of your deeds"), rows)


@personal_data_section("deeds_witnessed", order=32)
def deeds_witnessed_section(person: Any) -> Section:
    """The deeds others named the person a witness of, and the person's answers."""
    rows = [
        {
            "deed": str(w.deed.public_id),
            "deed_type": w.deed.deed_type.name,
            "performed_on": w.deed.performed_on,
            "asked_at": w.created_at,
            "answer": w.get_answer_display(),
            "answered_at": w.answered_at,
        }
        for w in DeedWitness.objects.filter(witness=person).select_related("deed", "deed__deed_type")
    ]
    return Section("deeds_witnessed", _("Deeds you were asked to witness"), rows)


@personal_data_section("recording_helpers", order=33)
def recording_helpers_section(person: Any) -> Section:
    """Standing consents to record deeds on someone's behalf: given by the person to helpers,
    and received by the person as a helper."""
    rows = [
        {
            "direction": "given" if c.person_id == person.pk else "received",
            "person": c.person.full_name,
            "helper": c.helper.full_name,
            "given_at": c.given_at,
            "revoked_at": c.revoked_at,
        }
        for c in (AssistConsent.objects.filter(person=person) | AssistConsent.objects.filter(helper=person))
        .select_related("person", "helper")
        .order_by("given_at", "id")
    ]
    return Section("recording_helpers", _("Helpers who record deeds on someone's behalf"), rows)
