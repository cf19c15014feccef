from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "kwamdee.assessments"
    label = "assessments"
    verbose_name = _("Moral-organization assessment")

    def ready(self) -> None:
        import kwamdee.assessments.personal_data  # noqa: F401  (registers its personal-data section)
        from kwamdee.assessments.tasks import certificates_book

        post_migrate.connect(
            certificates_book, sender=self, dispatch_uid="kwamdee.assessments.certificates_book"
        )
