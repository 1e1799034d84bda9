"""Contracts of financial assistance (seed 004, filings service): a society's application
for share capital contribution, grant-in-aid / managerial subsidy or a loan, the District
Level Committee's recommendation, forwarding to the Registrar, the Registrar's sanction or
rejection, the budget split report, and the event each decision publishes (notify posts
it to the society's mailbox).

Amounts are rupees with at most two decimals on the way in (exact decimals) and integer
paise in what the service answers, beside the amount as India writes it (``₹12,34,567``)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, WithJsonSchema

from services.common.contracts.base import NOT_BLANK, THREE_NOT_BLANK, Contract, Event
from services.common.contracts.filings import FilerId

KINDS = ("share_capital", "grant", "loan")
STATUSES = ("submitted", "recommended", "not_recommended", "forwarded", "sanctioned",
            "rejected")
# What each decision is called in the event and the notice.
OUTCOMES = ("recommended", "not_recommended", "forwarded", "sanctioned", "rejected")

Kind = Literal["share_capital", "grant", "loan"]
ApplicationId = Annotated[str, StringConstraints(min_length=36, max_length=36,
                                                 pattern=r"^[0-9a-f-]{36}$")]
# 2000-01 to 2099-00: a financial year of this century, April to March, the second part
# the year after the first (applications.ensure_financial_year), every one spelt out.
YEAR_PATTERN = "^(?:" + "|".join(f"20{y:02d}-{(y + 1) % 100:02d}" for y in range(100)) + ")$"
FinancialYear = Annotated[str, StringConstraints(pattern=YEAR_PATTERN)]
# ₹ with at most two decimals, more than nothing and at most ₹1,000 crore.
# Documented as the string it is best sent as (JSON Schema cannot say "two decimal
# places" of a number, and pydantic documents any string at all): more than 0, at most
# 99,99,99,999.99, up to two decimal places. A JSON number is taken as well.
Rupees = Annotated[Decimal, Field(gt=0, le=Decimal("10000000000"), max_digits=13,
                                  decimal_places=2),
                   WithJsonSchema({"type": "string", "examples": ["250000.00"],
                                   "pattern": r"^(?:[1-9][0-9]{0,9}(?:\.[0-9]{1,2})?"
                                              r"|0\.(?:[1-9][0-9]?|0[1-9]))$"})]
DocumentId = Annotated[str, StringConstraints(min_length=1, max_length=64,
                                              pattern=r"^[A-Za-z0-9._-]{1,64}$")]
Reasons = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3,
                                           max_length=4000, pattern=THREE_NOT_BLANK)]
Remarks = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                           max_length=4000, pattern=NOT_BLANK)]
OrderReference = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                                  max_length=80, pattern=NOT_BLANK)]


class ApplyForAssistanceV1(Contract):
    """A society's application for one kind of assistance and one financial year
    (``2026-27``), with the documents seed 004 asks for (document ids) and the figures its
    eligibility rules read."""

    society_id: FilerId
    kind: Kind
    financial_year: FinancialYear
    amount_asked: Rupees
    purpose: Reasons
    documents: list[DocumentId] = Field(min_length=1, max_length=20)
    figures: dict[str, Any] = Field(max_length=100)


class SocietyEligibilityV1(Contract):
    """The eligibility check for a named society: its figures with those the platform
    holds (audit status, accepted returns) and the rules that need its history."""

    society_id: FilerId
    kind: Kind
    figures: dict[str, Any] = Field(default_factory=dict, max_length=100)
    applied_on: date | None = None


class ApplicationRefV1(Contract):
    application_id: ApplicationId


class RecommendV1(Contract):
    """The District Level Committee's word: recommended (an amount, at most the amount
    asked) or not recommended, with its reasons either way."""

    application_id: ApplicationId
    recommended: bool
    amount_recommended: Rupees | None = None
    reasons: Reasons


class ForwardV1(Contract):
    application_id: ApplicationId
    remarks: Remarks | None = None


class SanctionV1(Contract):
    """The Registrar's sanction: an amount at most the one recommended (at most the one
    asked for a state-level society, which applies to the Registrar directly), the order's
    reference and date."""

    application_id: ApplicationId
    amount_sanctioned: Rupees
    order_reference: OrderReference
    order_date: date
    remarks: Remarks | None = None


class RejectV1(Contract):
    application_id: ApplicationId
    reasons: Reasons


class ApplicationQueryV1(Contract):
    society_id: FilerId | None = None
    kind: Kind | None = None
    financial_year: FinancialYear | None = None
    status: Literal["submitted", "recommended", "not_recommended", "forwarded",
                    "sanctioned", "rejected"] | None = None
    eligible: bool | None = None
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=100_000)


class BudgetQueryV1(Contract):
    state: Annotated[str, StringConstraints(min_length=2, max_length=60)]
    financial_year: FinancialYear


class StepV1(Contract):
    """One step of an application's way: who took it, when, with what."""

    step: str
    by: str
    at: datetime
    amount_paise: int | None = None
    reasons: str | None = None
    # the eligibility rules failed that the committee (or the Registrar, for a
    # state-level society) passed over
    despite_rules: list[str] | None = None
    to_office_id: str | None = None
    order_reference: str | None = None
    order_date: date | None = None


class ApplicationV1(Contract):
    id: str
    society_id: str
    society_name: str
    state: str
    level: Literal["state", "primary"]
    district_office_id: str | None = None
    state_office_id: str
    kind: str
    financial_year: str
    amount_asked_paise: int
    amount_asked: str
    purpose: str
    documents: list[str]
    figures: dict[str, str]
    eligible: bool
    failed_rules: list[str]
    # history rules whose figures are not on record, left to the committee's judgement
    left_to_committee: list[str] = []
    # figures the applicant declared that differ from those the platform holds (the
    # platform's decide; both are in ``eligibility.figures``)
    declared_overridden: list[str] = []
    eligibility: dict[str, Any]
    status: str
    submitted_on: date
    submitted_at: datetime
    submitted_by: str
    amount_recommended_paise: int | None = None
    amount_sanctioned_paise: int | None = None
    order_reference: str | None = None
    order_date: date | None = None
    steps: list[StepV1]


class ApplicationPageV1(Contract):
    items: list[ApplicationV1]
    next_offset: int | None = None


class AssistanceDecidedV1(Event):
    """A step of a society's application for financial assistance: the District Level
    Committee recommended it or not, it was forwarded to the Registrar, the Registrar
    sanctioned or rejected it. Notify posts it to the society's mailbox."""

    event_type = "assistance_decided"

    application_id: str
    society_id: str
    society_name: str
    kind: str
    financial_year: str
    outcome: Literal["recommended", "not_recommended", "forwarded", "sanctioned",
                     "rejected"]
    amount_asked_paise: int
    amount_paise: int | None = None
    reasons: str | None = None
    order_reference: str | None = None
    order_date: date | None = None
    decided_at: datetime
