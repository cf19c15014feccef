"""Other projects' apps under names the admin shows in Thai (their own are plain strings)."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class TasksDatabaseConfig(TasksAppConfig):
    verbose_name = _("Background tasks")  # type: ignore[assignment]


class AxesConfig(AxesAppConfig):
    verbose_name = _("Sign-in lockout")  # type: ignore[assignment]
