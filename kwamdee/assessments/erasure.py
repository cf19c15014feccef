"""The assessment's part of erasure (common/erasure.py). An assessment is the organization's
certification record: who started, answered, submitted and scored it stays, naming the
tombstone (the person's row, which the people app's eraser empties of everything personal), so
that a certificate can still be traced to an independent assessor. The notes and comments are
about the organization's work, not about the person, and stay. Nothing here holds the person's
name, phone or e-mail, so there is nothing to overwrite: this eraser says so, and changes no row.
(`Assessment.started_by`, `submitted_by`, `assessor` and `Answer.answered_by` are PROTECT, but
erasure deletes no person, so they never fire.)"""

from typing import Any

from kwamdee.common.erasure import personal_data_eraser


@personal_data_eraser("assessments", order=72)
def assessments_erase(person: Any) -> int:
    return 0
