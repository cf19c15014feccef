# Witnesses of a deed, assisted recording (a helper's standing consent), and the first approval
# of a high credit waiting for a second verifier.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('deeds', '0009_deed_rejection_code_alter_deed_status_deedquestion'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='deed',
            name='first_approved_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='first approved at'),
        ),
        migrations.AddField(
            model_name='deed',
            name='first_approved_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='deed',
            name='recorded_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='deeds_recorded_for_others', to=settings.AUTH_USER_MODEL, verbose_name='recorded by'),
        ),
        migrations.AlterField(
            model_name='deed',
            name='status',
            field=models.CharField(choices=[('awaiting_witnesses', 'waiting for witnesses'), ('pending', 'pending'), ('verified', 'verified'), ('rejected', 'rejected'), ('needs_info', 'waiting for your answer')], default='pending', max_length=20, verbose_name='status'),
        ),
        migrations.CreateModel(
            name='AssistConsent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('given_at', models.DateTimeField(verbose_name='given at')),
                ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='revoked at')),
                ('helper', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assist_consents_received', to=settings.AUTH_USER_MODEL, verbose_name='helper')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assist_consents_given', to=settings.AUTH_USER_MODEL, verbose_name='person')),
            ],
            options={
                'verbose_name': 'consent to record on one\'s behalf',
                'verbose_name_plural': 'consents to record on one\'s behalf',
                'ordering': ['-given_at', '-id'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('revoked_at__isnull', True)), fields=('person', 'helper'), name='uniq_active_assist_consent')],
            },
        ),
        migrations.CreateModel(
            name='DeedWitness',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('answer', models.CharField(choices=[('asked', 'not answered yet'), ('confirmed', 'confirmed'), ('declined', 'declined')], default='asked', max_length=16, verbose_name='answer')),
                ('answered_at', models.DateTimeField(blank=True, null=True, verbose_name='answered at')),
                ('deed', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='witnesses', to='deeds.deed')),
                ('witness', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='deeds_witnessed', to=settings.AUTH_USER_MODEL, verbose_name='witness')),
            ],
            options={
                'verbose_name': 'witness of a deed',
                'verbose_name_plural': 'witnesses of deeds',
                'ordering': ['created_at', 'id'],
                'constraints': [models.UniqueConstraint(fields=('deed', 'witness'), name='uniq_deed_witness')],
            },
        ),
    ]
