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


class InstalmentV1(Contract):
    """One instalment of a loan's repayment schedule: the principal due on a day."""

    due_on: date
    principal: Rupees


class SanctionV1(Contract):
    """The Registrar's sanction: an amount at most the one recommended (at most the one
    asked for a state-level society, which applies to the Registrar directly), the order's
    reference and date; for a loan, optionally its repayment schedule (instalments after
    the order, their principal adding up to the amount sanctioned)."""

    application_id: ApplicationId
    amount_sanctioned: Rupees
    order_reference: OrderReference
    order_date: date
    remarks: Remarks | None = None
    repayment_schedule: list[InstalmentV1] | None = Field(None, min_length=1,
                                                          max_length=240)


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
    # a loan's schedule as sanctioned: [{"due_on", "principal_paise"}]
    repayment_schedule: list[dict[str, Any]] | None = None


class ApplicationPageV1(Contract):
    items: list[ApplicationV1]
    next_offset: int | None = None


class AssistanceDecidedV1(Event):
    """A step of a society's application for financial assistance: the District Level
    Committee recommended it or not, it was forwarded to the Registrar, the Registrar
    sanctioned or rejected it. Notify posts it to the society's mailbox and, when it is
    forwarded, to the state office's."""

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
    # The Registrar's (state) office that decides it: told when it is forwarded.
    state_office_id: str | None = None


# ₹ that may be nothing (a repayment of interest alone has no principal).
RupeesOrNothing = Annotated[Decimal, Field(ge=0, le=Decimal("10000000000"), max_digits=13,
                                           decimal_places=2),
                            WithJsonSchema({"type": "string", "examples": ["25000.00"],
                                            "pattern": r"^(?:0|[1-9][0-9]{0,9})"
                                                       r"(?:\.[0-9]{1,2})?$"})]
RECORDS = ("releases", "utilisations", "repayments")


class ReleaseV1(Contract):
    """The Registrar's office releases sanctioned funds: an amount (all releases together
    at most the amount sanctioned), the day (on or after the sanction order, not after
    today) and the release order's reference."""

    application_id: ApplicationId
    amount: Rupees
    released_on: date
    reference: OrderReference
    remarks: Remarks | None = None


class UtilisationV1(Contract):
    """The society's utilisation certificate: the amount utilised (all certificates
    together at most the amount released), the certificate's date (not before the first
    release, not after today) and the certificate as a document id."""

    application_id: ApplicationId
    amount_utilised: Rupees
    utilised_on: date
    document_id: DocumentId
    remarks: Remarks | None = None


class RepaymentV1(Contract):
    """A repayment of a Government loan received by the office: the day, the principal
    (all repayments together at most the amount released) and the interest."""

    application_id: ApplicationId
    paid_on: date
    principal: RupeesOrNothing
    interest: RupeesOrNothing
    reference: OrderReference | None = None
    remarks: Remarks | None = None


class FundsRecordQueryV1(Contract):
    application_id: ApplicationId
    record: Literal["releases", "utilisations", "repayments"]
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=100_000)


class FundsRecordV1(Contract):
    """A release, a utilisation certificate or a repayment as recorded."""

    id: str
    application_id: str
    society_id: str
    entry: Literal["release", "utilisation", "repayment"]
    on_date: date
    amount_paise: int
    amount: str
    interest_paise: int | None = None
    interest: str | None = None
    reference: str | None = None
    document_id: str | None = None
    remarks: str | None = None
    recorded_by: str
    recorded_at: datetime
    # a repayment made while principal was overdue under the schedule (None: no schedule)
    overdue: bool | None = None
    overdue_before_paise: int | None = None


class FundsRecordPageV1(Contract):
    items: list[FundsRecordV1]
    next_offset: int | None = None


class InstalmentPositionV1(Contract):
    due_on: date
    principal_paise: int
    principal: str
    paid_paise: int
    settled_on: date | None = None
    status: Literal["paid", "paid_late", "overdue", "not_yet_due"]
    days_overdue: int | None = None


class FundsV1(Contract):
    """An application's funds as on a day: sanctioned, released, utilised and, for a
    loan, repaid, outstanding and overdue under the schedule (each in paise and as ₹)."""

    application_id: str
    society_id: str
    kind: str
    financial_year: str
    status: str
    as_on: date
    sanctioned_paise: int
    released_paise: int
    utilised_paise: int
    unutilised_paise: int
    texts: dict[str, str]
    releases: int
    utilisations: int
    repayments: int
    principal_repaid_paise: int | None = None
    interest_paid_paise: int | None = None
    outstanding_paise: int | None = None
    overdue_paise: int | None = None
    schedule: list[InstalmentPositionV1] | None = None


class FundsRecordedV1(Contract):
    """What recording a release, a certificate or a repayment answers: the record and
    the application's funds after it."""

    record: FundsRecordV1
    funds: FundsV1


class AssistanceReleasedV1(Event):
    """Sanctioned funds released to a society by the Registrar's office."""

    event_type = "assistance_released"

    application_id: str
    society_id: str
    society_name: str
    kind: str
    financial_year: str
    amount_paise: int
    released_on: date
    reference: str
    released_total_paise: int
    sanctioned_paise: int
    recorded_at: datetime


class AssistanceUtilisedV1(Event):
    """A society's utilisation certificate for assistance released to it."""

    event_type = "assistance_utilised"

    application_id: str
    society_id: str
    society_name: str
    kind: str
    financial_year: str
    amount_paise: int
    utilised_on: date
    document_id: str
    utilised_total_paise: int
    released_total_paise: int
    state_office_id: str
    recorded_at: datetime


class LoanRepaymentRecordedV1(Event):
    """A repayment of a Government loan, with what stays outstanding and overdue."""

    event_type = "loan_repayment_recorded"

    application_id: str
    society_id: str
    society_name: str
    financial_year: str
    paid_on: date
    principal_paise: int
    interest_paise: int
    outstanding_paise: int
    overdue_paise: int | None = None
    recorded_at: datetime
