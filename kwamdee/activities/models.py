"""Activities (กิจกรรมความดี / จิตอาสา): an organizer's event, its registrations and attendance."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kwamdee.activities.choices import ActivityStatus, AttendanceOutcome, AttendanceSource
from kwamdee.common.models import PublicIdModel, TimeStampedModel


class Activity(PublicIdModel):
    """An event run by an organization or a community; closing it credits every attendance."""

    title = models.CharField(_("title"), max_length=200)
    deed_type = models.ForeignKey(
        "catalog.DeedType", verbose_name=_("deed type"), on_delete=models.PROTECT, related_name="activities"
    )
    subdistrict_code = models.CharField(_("subdistrict code"), max_length=6, db_index=True)
    province_code = models.CharField(_("province code"), max_length=2)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    # Who runs it: an organization (its verifiers and admins), a community (its admins), or both.
    organization = models.ForeignKey(
        "organizations.Organization", null=True, blank=True, on_delete=models.PROTECT,
        related_name="activities",
    )  # fmt: skip
    community = models.ForeignKey(
        "areas.Community", null=True, blank=True, on_delete=models.PROTECT, related_name="activities"
    )
    organizers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("organizers"), related_name="activities_organized"
    )
    status = models.CharField(
        _("status"), max_length=8, choices=ActivityStatus.choices, default=ActivityStatus.OPEN
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    credited_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="activity_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(organization__isnull=False) | models.Q(community__isnull=False),
                name="activity_has_organizer",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Attendance(TimeStampedModel):
    """One person at one activity: registered, checked in and out, and what closing made of it."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT,
        related_name="attendances",
    )  # fmt: skip
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2, null=True, blank=True)
    # The deed closing made of it (one deed per attendance, never two).
    deed = models.OneToOneField(
        "deeds.Deed", null=True, blank=True, on_delete=models.PROTECT, related_name="attendance"
    )
    outcome = models.CharField(max_length=8, choices=AttendanceOutcome.choices, blank=True, default="")
    outcome_code = models.CharField(max_length=40, blank=True, default="")
    # Who recorded the presence: the person (scanning the activity's code), or an organizer
    # (`recorded_by`) who scanned the person's code, typed their phone, or uploaded a file.
    source = models.CharField(
        _("recorded by"), max_length=10, choices=AttendanceSource.choices, default=AttendanceSource.SELF
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # From the organizer's attendance file: the hours it gives (capped by the activity's length;
    # closing counts these instead of check-in and check-out), a note, and when it was uploaded.
    declared_hours = models.DecimalField(
        _("hours in the attendance file"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    note = models.CharField(_("note"), max_length=200, blank=True, default="")
    uploaded_at = models.DateTimeField(_("uploaded at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["activity", "person"], name="uniq_attendance_activity_person"),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id}/{self.person_id}"
