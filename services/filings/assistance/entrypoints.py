"""RPC entrypoints of financial assistance (a mixin of FilingsService): the eligibility
check, rule by rule, on the figures an applicant gives."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from services.common.contracts.base import Contract
from services.common.india import INDIA
from services.common.rpc import rpc
from services.common.validation import parse
from services.filings.assistance import eligibility


class EligibilityQuery(Contract):
    state: Annotated[str, StringConstraints(min_length=2, max_length=60)]
    kind: Literal["share_capital", "grant", "loan"]
    figures: dict[str, Any] = Field(max_length=100)
    applied_on: date | None = None


class AssistanceEntrypoints:
    @rpc
    def check_eligibility(self, payload):
        """Each machine-checkable rule of the state's guidelines: figure, threshold,
        pass or fail; eligible when every rule passes."""
        query = parse(EligibilityQuery, payload)
        applied_on = query.applied_on or datetime.now(UTC).astimezone(INDIA).date()
        return eligibility.evaluate(query.state, query.kind, query.figures, applied_on)
