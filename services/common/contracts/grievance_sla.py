"""Contracts of the SLA rules offices publish (grievance service): a new version of the
SLA of a category in an office's jurisdiction, the versions, and the rules in force for
a grievance opened now; and the offices' performance month by month. The national
rules are shipped with the service and are the fallback for every office and category
without a version of its own."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from services.common.contracts.base import Contract
from services.common.contracts.grievance import Body, CaseKind, Category, OfficeId

# ``*``: any category (an office's rule for every category it has no rule for).
SlaCategory = Category | Literal["*"]
Days = Annotated[int, Field(ge=1, le=365, description="whole days, at least 1")]


class PublishSlaV1(Contract):
    """A new version of an office's SLA for a category: the days each level has (level
    0, the office the grievance is routed to, first; level n the n-th office above it)
    and the overall clock from receipt. Cases opened before keep the SLA they were
    opened under. ``in_force_from``: India's date it comes into force (at 00:00 IST;
    today or later); none: at once. Until then it may be withdrawn."""

    office_id: OfficeId
    category: SlaCategory
    level_days: list[Days] = Field(min_length=1, max_length=3)
    overall_days: int = Field(ge=1, le=730)
    note: Body | None = None
    in_force_from: date | None = None


class WithdrawSlaV1(Contract):
    """Withdraw a published version not yet in force (by whoever may publish it for
    its office), with the reason, which the audit trail keeps."""

    sla_id: int = Field(ge=1, le=2**53)
    reason: Body


class SlaVersionsQueryV1(Contract):
    office_id: OfficeId | None = None
    category: SlaCategory | None = None
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=100_000)


class SlaInForceQueryV1(Contract):
    """The SLA a grievance of ``category`` routed to ``office_id`` (none: the Central
    Registrar's national rules) would be opened under now."""

    category: Category
    office_id: OfficeId | None = None


Month = Annotated[str, StringConstraints(pattern=r"^(20[0-9]{2})-(0[1-9]|1[0-2])$")]


class PerformanceQueryV1(Contract):
    """Each office's cases month by month (India's months), from ``from_month`` to
    ``to_month`` inclusive (``YYYY-MM``; at most 36 months; by default the last 12 up
    to this month); ``office_id`` narrows to the cases routed to that office, ``kind``
    to one kind of case."""

    from_month: Month | None = None
    to_month: Month | None = None
    office_id: OfficeId | None = None
    kind: CaseKind | None = None
