"""Two kinds of notification: a community committee approved, or declined, a request to join
(people/membership.py). Choices only: nothing changes in the database."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="notification",
            name="kind",
            field=models.CharField(
                choices=[
                    ("deed_verified", "Deed verified"),
                    ("deed_rejected", "Deed not verified"),
                    ("deed_questioned", "More information asked"),
                    ("appeal_upheld", "Appeal decided: the decision stands"),
                    ("appeal_overturned", "Appeal decided: the decision was changed"),
                    ("membership_approved", "Request to join a community approved"),
                    ("membership_declined", "Request to join a community not approved"),
                ],
                max_length=32,
                verbose_name="kind",
            ),
        ),
    ]
