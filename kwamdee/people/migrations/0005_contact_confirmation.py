"""Contact confirmation (issue 9): `User.contact_confirmed_at`, and the password reset's code
table becomes the one table of one-time codes, with a purpose (password reset, confirming a
contact): one rule for making, keeping and checking codes (people/codes.py).

Schema and data are in one migration here, against the usual rule, because the number after
this one was taken by other work; the data step comes last, after every schema change, so that
PostgreSQL never alters a table with pending trigger events."""

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def existing_people_confirmed(apps, schema_editor):
    """Everyone who joined before the rule was never asked for a code, and there is no way to ask
    after the fact without stopping them from recording deeds overnight: they are marked confirmed
    as of this migration. Everyone who joins from now on proves their phone or e-mail."""
    User = apps.get_model("people", "User")
    User.objects.filter(contact_confirmed_at__isnull=True).update(contact_confirmed_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_consent_purposes"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="contact_confirmed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="contact confirmed at"),
        ),
        migrations.RenameModel(old_name="PasswordResetCode", new_name="OneTimeCode"),
        migrations.AlterModelOptions(
            name="onetimecode",
            options={
                "ordering": ["-created_at"],
                "verbose_name": "one-time code",
                "verbose_name_plural": "one-time codes",
            },
        ),
        migrations.AlterField(
            model_name="onetimecode",
            name="person",
            field=models.ForeignKey(
                on_delete=models.deletion.CASCADE,
                related_name="one_time_codes",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        # The codes already out were all sent for password resets.
        migrations.AddField(
            model_name="onetimecode",
            name="purpose",
            field=models.CharField(
                choices=[
                    ("password_reset", "Setting a new password"),
                    ("contact_confirm", "Confirming a phone number or e-mail address"),
                ],
                default="password_reset",
                max_length=16,
                verbose_name="purpose",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(existing_people_confirmed, migrations.RunPython.noop),
    ]
