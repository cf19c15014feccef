"""Membership of a community, approved by its committee (issue 10, fairness review;
people/membership.py): the `CommunityMembership` table, and every person who already belongs to a
community marked approved, so that nothing changes for them.

Schema and data are in one migration (as 0005): the data step comes last, after the table and its
indexes exist, so that PostgreSQL never alters a table with pending trigger events."""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

BATCH = 2000


def existing_members_approved(apps, schema_editor):
    """Each person with a community was placed in it at sign-up, before committees approved
    anyone: they become approved members, as of the day they joined (`member_since` counts from
    it, so their next deeds are not a new member's). No one decided it (`decided_by` is empty);
    no audit event, as for every data step."""
    User = apps.get_model("people", "User")
    CommunityMembership = apps.get_model("people", "CommunityMembership")
    members = (
        User.objects.filter(community__isnull=False)  # the table is new: nobody has a row yet
        .values_list("pk", "community_id", "date_joined")
        .order_by("pk")
    )
    rows = []
    for pk, community_id, joined in members.iterator(chunk_size=BATCH):
        rows.append(
            CommunityMembership(
                public_id=uuid.uuid4(),
                person_id=pk,
                community_id=community_id,
                state="approved",
                decided_at=joined,
            )
        )
        if len(rows) >= BATCH:
            CommunityMembership.objects.bulk_create(rows)
            rows = []
    CommunityMembership.objects.bulk_create(rows)
    # The request, too, is dated the day they joined (auto_now_add stamped it now).
    joined = User.objects.filter(pk=OuterRef("person_id")).values("date_joined")[:1]
    CommunityMembership.objects.filter(decided_by__isnull=True, state="approved").update(
        created_at=Subquery(joined), updated_at=Subquery(joined)
    )


def memberships_forget(apps, schema_editor):
    """Backwards: the table goes with the schema step; `User.community` was never changed."""


class Migration(migrations.Migration):
    dependencies = [
        ("areas", "0002_community_catalog_admins"),
        ("people", "0006_national_id_confirmation"),
    ]

    operations = [
        migrations.CreateModel(
            name="CommunityMembership",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "public_id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, unique=True, verbose_name="public id"
                    ),
                ),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("pending", "Waiting for the committee"),
                            ("approved", "Member"),
                            ("declined", "Not approved"),
                        ],
                        default="pending",
                        max_length=16,
                        verbose_name="state",
                    ),
                ),
                ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="decided at")),
                ("note", models.CharField(blank=True, max_length=500, verbose_name="note to the person")),
                ("ended_at", models.DateTimeField(blank=True, null=True, verbose_name="ended at")),
                (
                    "community",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="membership_requests",
                        to="areas.community",
                        verbose_name="community",
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="decided by",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="community_memberships",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="person",
                    ),
                ),
            ],
            options={
                "verbose_name": "community membership",
                "verbose_name_plural": "community memberships",
                "ordering": ["-created_at", "-id"],
                "indexes": [
                    models.Index(
                        condition=models.Q(("ended_at__isnull", True), ("state", "pending")),
                        fields=["community", "created_at"],
                        name="people_membership_waiting",
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("ended_at__isnull", True)),
                        fields=("person",),
                        name="people_one_open_community_membership",
                    )
                ],
            },
        ),
        migrations.RunPython(existing_members_approved, memberships_forget),
    ]
