"""Contracts of what follows a declaration: the candidates' accounts of election expenses
(rules 19U-19X: lodged with the RO within 30 days of the result, the RO's inspection
notice within 2 days of a lodging, the RO's report of those who did not lodge, the CEA's
rule 19V order), the remuneration claims of the RO, AROs and polling personnel (CEA order
of 03.06.2024, Annexure IV), and the RO's Annexure VI checklist.

Amounts travel as rupees with at most two decimals and are kept as integer paise."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from services.common.contracts.base import NOT_BLANK, THREE_NOT_BLANK, Contract, Event
from services.common.contracts.elections import ElectionId, Reason, Text200, Text500

NominationId = Annotated[str, StringConstraints(pattern=r"^[0-9a-f-]{36}$")]
DocumentId = Annotated[str, StringConstraints(pattern=r"^[0-9a-f-]{36}$")]
Rupees = Annotated[Decimal, Field(ge=0, le=Decimal("1000000000"), decimal_places=2)]
Serial = Annotated[int, Field(ge=1, le=100_000)]
Pan = Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True,
                                       pattern=r"^[A-Za-z]{5}[0-9]{4}[A-Za-z]$")]
Ifsc = Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True,
                                        pattern=r"^[A-Za-z]{4}0[A-Za-z0-9]{6}$")]
AccountNumber = Annotated[str, StringConstraints(strip_whitespace=True,
                                                 pattern=r"^[0-9]{9,18}$")]

# ----------------------------------------------------------------------------- 19U-19X


class ExpenseItemV1(Contract):
    """One item of rule 19W(1), day by day: (a) date, (b) nature, (c) amount paid and
    outstanding, (d) date of payment, (e) payee, (f) voucher serial for an amount paid,
    (g) bill serial and (h) to whom for an amount outstanding."""

    spent_on: date
    nature: Text200
    amount_paid: Rupees = Decimal(0)
    amount_outstanding: Rupees = Decimal(0)
    paid_on: date | None = None
    payee: Text500 | None = None
    voucher_serial: Serial | None = None
    # Rule 19W(3): an item without a voucher needs no amount particulars.
    no_voucher: bool = False
    bill_serial: Serial | None = None
    payable_to: Text500 | None = None


class LodgeExpenseAccountV1(Contract):
    """The RO (or an ARO) records the account a contesting candidate lodged with them,
    with the vouchers as documents (rule 19W(2): one per voucher serial)."""

    election_id: ElectionId
    nomination_id: NominationId
    items: list[ExpenseItemV1] = Field(max_length=2000)
    voucher_document_ids: list[DocumentId] = Field(default_factory=list, max_length=2000)


class InspectionNoticeV1(Contract):
    """Rule 19X: within two days of the lodging, where and when it may be inspected."""

    election_id: ElectionId
    nomination_id: NominationId
    inspect_at: datetime
    place: Text500


class InspectionNoticePostedV1(Event):
    """Rule 19X: the RO's notice that a candidate's account may be inspected; notify puts
    it on the society's notice board (its mailbox)."""

    event_type = "election_expense_inspection_notice"

    election_id: str
    number: str
    society_id: str
    society_name: str
    nomination_id: str
    candidate_name: str
    lodged_on: date
    inspect_at: datetime
    place: str


class ElectionRefV1(Contract):
    election_id: ElectionId


class ExpenseReportInV1(Contract):
    """The RO's report to the CEA, once the 30 days are over, of the contesting
    candidates who lodged no account (the service finds them; the RO adds a note)."""

    election_id: ElectionId
    note: Reason


class ExpenseDefaultDecisionInV1(Contract):
    """The CEA on one person of the RO's report: a rule 19V order (disqualified for 3
    years from the order, published in the Gazette) or a good reason accepted."""

    election_id: ElectionId
    nomination_id: NominationId
    decision: Literal["disqualify", "excuse"]
    reason: Reason
    order_ref: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                                pattern=NOT_BLANK, max_length=64)] | None = None
    order_date: date | None = None

    @model_validator(mode="after")
    def _order_named(self) -> ExpenseDefaultDecisionInV1:
        if self.decision == "disqualify" and not (self.order_ref and self.order_date):
            raise ValueError("a rule 19V order needs its order_ref and order_date")
        return self


class ExpenseLimitInV1(Contract):
    """Rule 19U(3): the Authority specifies the most a candidate may spend at the
    election, by an order; specified again, the newest stands."""

    election_id: ElectionId
    amount: Annotated[Decimal, Field(gt=0, le=Decimal("100000000"), decimal_places=2)]
    order_ref: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                                pattern=NOT_BLANK, max_length=64)]
    order_date: date


class ExpenseAccountV1(Contract):
    nomination_id: str
    candidate_name: str
    membership_number: str
    contest: str
    category: str
    lodged: bool
    lodged_at: datetime | None = None
    late: bool = False
    items: list[dict] = Field(default_factory=list)
    total_paid_paise: int = 0
    total_outstanding_paise: int = 0
    total_text: str | None = None
    voucher_document_ids: list[str] = Field(default_factory=list)
    inspection_notice: dict | None = None
    default_decision: dict | None = None
    # Rule 19U(3): by how much the total (paid and outstanding) exceeds the limit.
    over_limit_paise: int | None = None


class ExpenseStatusV1(Contract):
    """Every contesting candidate of the declared contests, lodged or not, with the
    window: from the declaration to 30 days after it (India dates)."""

    election_id: str
    window: dict | None
    items: list[ExpenseAccountV1]
    report: dict | None = None
    # Rule 19U(3): {limit_paise, limit_text, order_ref, order_date}, and who exceeded it.
    limit: dict | None = None
    over_limit: list[str] = Field(default_factory=list)


# ----------------------------------------------------------------------------- remuneration

RemunerationKind = Literal["returning_officer", "assistant_returning_officer",
                           "polling_personnel"]


class BankAccountV1(Contract):
    account_number: AccountNumber
    bank_name: Text200
    branch: Text200
    ifsc: Ifsc


class RemunerationClaimInV1(Contract):
    """One line of Annexure IV's proforma. The RO and AROs claim days of the basic pay
    drawn in the month the programme was issued (at most 15); polling personnel a fixed
    amount (at most ₹1,000)."""

    election_id: ElectionId
    kind: RemunerationKind
    name: Text200
    designation: Text200
    service: Text200
    pan: Pan
    bank_account: BankAccountV1
    cancelled_cheque_document_id: DocumentId
    basic_pay: Rupees | None = None
    days: int | None = Field(default=None, ge=1, le=31)
    amount: Rupees | None = None

    @model_validator(mode="after")
    def _shape(self) -> RemunerationClaimInV1:
        if self.kind == "polling_personnel":
            if self.amount is None:
                raise ValueError("a polling officer's claim needs the amount")
        elif self.basic_pay is None or self.days is None:
            raise ValueError("an RO's or ARO's claim needs basic_pay and days")
        return self


class RemunerationDecisionInV1(Contract):
    election_id: ElectionId
    claim_id: Annotated[str, StringConstraints(pattern=r"^[0-9a-f-]{36}$")]
    decision: Literal["approve", "reject"]
    reason: Reason


class RemunerationClaimV1(Contract):
    id: str
    election_id: str
    kind: str
    name: str
    designation: str
    service: str
    pan: str
    bank_account: dict
    cancelled_cheque_document_id: str
    basic_pay_paise: int | None
    days: int | None
    amount_paise: int
    amount_text: str
    status: str
    claimed_by: str
    claimed_at: datetime
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_reason: str | None = None


class RemunerationListV1(Contract):
    election_id: str
    items: list[RemunerationClaimV1]
    total_paise: int
    total_text: str


# ----------------------------------------------------------------------------- Annexure VI


class ChecklistRecordInV1(Contract):
    """The RO records an item of Annexure VI the platform cannot see (a meeting, a
    newspaper notice, an email to the CEA), with the day it was done."""

    election_id: ElectionId
    item: int = Field(ge=1, le=21)
    done_on: date
    note: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3,
                                           pattern=THREE_NOT_BLANK, max_length=1000)]


class ChecklistItemV1(Contract):
    item: int
    title: str
    title_hi: str
    rule: str | None
    source: Literal["platform", "recorded"]
    status: Literal["done", "open", "overdue", "pending"]
    done_on: date | None = None
    due_by: date | None = None
    note: str | None = None


class ChecklistV1(Contract):
    election_id: str
    items: list[ChecklistItemV1]
    done: int
    overdue: int
