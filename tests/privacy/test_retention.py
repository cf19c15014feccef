"""Retention (issue 9): each app says how long it keeps what; a daily task applies every rule."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from kwamdee.common.models import AuditEvent
from kwamdee.common.retention import retention_rules
from kwamdee.deeds.models import Deed
from kwamdee.deeds.retention import EXPIRED_TEXT
from kwamdee.deeds.services import deed_record, deed_reject
from kwamdee.privacy.retention import retention_apply
from kwamdee.privacy.tasks import next_run
from tests.factories import days_ago, make_person

pytestmark = pytest.mark.django_db


def test_every_rule_is_registered():
    assert sorted(retention_rules()) == [
        "data_request_text", "idempotency_records", "one_time_codes", "read_notifications", "rejected_deed_evidence", "rejected_deed_text", "signin_records",
    ]  # fmt: skip


def test_a_rejected_deeds_text_goes_after_its_period_and_the_rest_stays(deed_types, verifier, settings):
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "rejected_deed_text": 30}
    kind = deed_types["returning-lost-property"]
    old, recent = (
        deed_record(
            actor=make_person(),
            deed_type_public_id=kind.public_id,
            performed_on=days_ago(d),
            description=f"เก็บกระเป๋าได้ {d}",
        )
        for d in (2, 1)
    )
    for deed in (old, recent):
        deed_reject(actor=verifier, deed_public_id=deed.public_id, reason_code="other", reason="ไม่มีพยาน")
    Deed.objects.filter(pk=old.pk).update(decided_at=timezone.now() - timedelta(days=31))
    pending = deed_record(
        actor=make_person(), deed_type_public_id=kind.public_id, performed_on=days_ago(3), description="รอ"
    )
    counts = retention_apply()
    assert counts["rejected_deed_text"] == 1
    old.refresh_from_db(), recent.refresh_from_db(), pending.refresh_from_db()
    assert old.description == EXPIRED_TEXT and old.rejection_reason == EXPIRED_TEXT
    assert old.status == "rejected" and old.performed_on == days_ago(2)  # the statistics stay
    assert recent.description == "เก็บกระเป๋าได้ 1" and pending.description == "รอ"
    event = AuditEvent.objects.get(event_type="retention:apply")
    assert event.system_actor == "retention" and event.data["counts"]["rejected_deed_text"] == 1
    assert retention_apply()["rejected_deed_text"] == 0  # nothing twice


def test_the_daily_run_is_at_three_in_the_morning():
    tz = timezone.get_current_timezone()
    evening = timezone.make_aware(datetime(2026, 11, 23, 22, 0), tz)
    night = timezone.make_aware(datetime(2026, 11, 24, 1, 0), tz)
    assert timezone.localtime(next_run(evening)) == timezone.make_aware(datetime(2026, 11, 24, 3, 0), tz)
    assert timezone.localtime(next_run(night)) == timezone.make_aware(datetime(2026, 11, 24, 3, 0), tz)


def test_migrate_books_one_daily_run_and_the_run_books_the_next(settings):
    settings.RETENTION_AUTOBOOK = True
    from django_tasks_db.models import DBTaskResult

    from kwamdee.privacy.tasks import retention_book, retention_daily

    DBTaskResult.objects.filter(task_path=retention_daily.module_path).delete()
    retention_book()
    retention_book()  # a second migrate books nothing more
    waiting = DBTaskResult.objects.filter(task_path=retention_daily.module_path, status="READY")
    assert waiting.count() == 1 and waiting.get().run_after > timezone.now()
    retention_daily.call()  # what the worker runs at 03:00
    assert DBTaskResult.objects.filter(task_path=retention_daily.module_path, status="READY").count() == 2
