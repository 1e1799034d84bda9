"""What opening a case answers and emits, whatever its kind: the case with the message
its opener reads (English and Hindi), the ``case_opened`` event and the audit line."""

from __future__ import annotations

from typing import Any

from services.common.contracts import grievance as contracts
from services.grievance import messages
from services.grievance.cases import store
from services.grievance.kinds import Kind


def opened(uow: Any, kind: Kind, case_id: str, action: str) -> tuple[Any, list, tuple]:
    """``(answer, events, audit)`` as ``Commands._write``'s ``apply`` returns them."""
    row = store.case_row(uow.session, case_id)
    en, hi = messages.message(kind, "opened", row.number)
    answer = store.case_dict(uow.session, uow.ctx, row)
    answer["message"] = {"en": en, "hi": hi}
    event = contracts.CaseOpenedV1(
        case_id=case_id, number=row.number, kind=row.kind, office_id=row.office_id,
        desk=row.desk, society_id=row.society_id, category=row.category,
        opened_by=row.opened_by, language=row.language, subject=row.subject,
        against_type=row.against_type, opened_by_role=row.opened_by_role,
        opened_at=row.opened_at, title_en=kind.title, title_hi=kind.title_hi,
        message_en=en, message_hi=hi)
    return answer, [event], (action, "case", case_id,
                             {"number": row.number, "office_id": row.office_id,
                              "desk": row.desk, "category": row.category,
                              "reference": row.reference})
