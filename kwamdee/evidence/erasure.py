"""The evidence app's part of erasure (common/erasure.py): the photos and documents of the
person's deeds are deleted, the stored files and their rows. Files are deleted from storage once
the erasure's transaction commits (a rolled-back erasure leaves them); nothing of them is kept."""

from functools import partial
from typing import Any

from django.db import transaction

from kwamdee.common.erasure import personal_data_eraser
from kwamdee.evidence.models import EvidenceFile
from kwamdee.evidence.services import evidence_files_delete


@personal_data_eraser("evidence", order=29)  # before the deeds' eraser
def evidence_erase(person: Any) -> int:
    files = EvidenceFile.objects.filter(deed__person=person)
    names = [name for name in files.values_list("file", flat=True) if name]
    count, _by_model = files.delete()
    transaction.on_commit(partial(evidence_files_delete, names))
    return count
