from django.utils.translation import gettext_lazy as _

from kwamdee.common.errors import ServiceError, ValidationFailed


class TemplateInvalid(ValidationFailed):
    code = "assessment_template_invalid"
    message = _("The assessment template is not valid; nothing was saved.")


class NoTemplate(ServiceError):
    code = "assessment_no_template"
    status = 409
    message = _("No assessment template is in force yet.")


class AssessmentRefused(ServiceError):
    """Why this step cannot be taken on this assessment now: nothing changed."""

    code = "assessment_refused"
    status = 409
    message = _("This cannot be done with this assessment now.")


class AssessmentOpen(AssessmentRefused):
    code = "assessment_open"
    message = _("This organization already has an assessment in progress.")


class AnswerInvalid(ValidationFailed):
    code = "assessment_answer_invalid"
    message = _("The answer is not valid.")


class AssessmentIncomplete(AssessmentRefused):
    code = "assessment_incomplete"
    message = _("Answer every item, with evidence where it is asked for, before you submit.")


class NotAnAssessor(ServiceError):
    code = "assessment_not_assessor"
    status = 403
    message = _("Only an assessor may score an assessment.")


class ConflictOfInterest(ServiceError):
    code = "assessment_conflict_of_interest"
    status = 403
    message = _(
        "You cannot score this assessment: you act for this organization or the organization above it. "
        "An independent assessor must score it."
    )


class ScoresInvalid(ValidationFailed):
    code = "assessment_scores_invalid"
    message = _("Give every item a score of 2, 1 or 0.")
