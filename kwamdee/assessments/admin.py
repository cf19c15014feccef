from django.contrib import admin

from kwamdee.assessments.models import (
    Answer,
    Assessment,
    Certificate,
    Template,
    TemplateActivity,
    TemplateItem,
    TemplateLevel,
)
from kwamdee.common.admin import ReadOnlyAdmin

admin.site.register(
    [Template, TemplateLevel, TemplateActivity, TemplateItem, Assessment, Answer, Certificate], ReadOnlyAdmin
)
