from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    """The auditor's desk (issue 10, fairness review): flags on deeds, dismissed or acted on by
    reversing a credit. It keeps no table of its own: flags and reversals belong to deeds."""

    name = "kwamdee.review"
    verbose_name = _("Fairness review")
