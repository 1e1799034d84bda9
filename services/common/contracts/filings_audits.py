"""Contracts of audits' empanelment, allotment and reminders (filings service): an
auditor's application to be empanelled for a financial year (or renewed for the next),
the office's scrutiny (query, reply, approve, reject, suspend), the allotment of a
society's audit to an empanelled auditor, and the events each publishes (notify turns
``audit_reminder`` into a notice in the society's mailbox).

ICAI numbers as the Institute writes them: a member's membership number is six digits;
a firm's registration number (FRN) six digits and the region's letter (``012345N``), or
the letter first for an LLP (``W100047``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from services.common.contracts.base import THREE_NOT_BLANK, Contract, Event
from services.common.contracts.filings import FilerId
from services.common.contracts.filings_assistance import YEAR_PATTERN

EMPANELMENT_STATUSES = ("submitted", "queried", "empanelled", "rejected", "suspended")
ALLOTMENT_STATUSES = ("allotted", "audited", "replaced")

MEMBERSHIP_PATTERN = r"^\d{6}$"
FRN_PATTERN = r"^(\d{6}[CENSW]|[CENSW]\d{6})$"
# At least two characters that are not blank, as JSON Schema can say it of the text sent
# (pydantic measures the length after stripping).
TWO_NOT_BLANK = r"\S[\s\S]*\S"
# Every April-to-March year of this century (2026-27), one pattern with assistance's.
FinancialYear = Annotated[str, StringConstraints(pattern=YEAR_PATTERN)]
EmpanelmentId = Annotated[str, StringConstraints(min_length=36, max_length=36,
                                                 pattern=r"^[0-9a-f-]{36}$")]
MembershipNumber = Annotated[str, StringConstraints(pattern=MEMBERSHIP_PATTERN)]
FirmNumber = Annotated[str, StringConstraints(pattern=FRN_PATTERN)]
DocumentId = Annotated[str, StringConstraints(min_length=1, max_length=64,
                                              pattern=r"^[A-Za-z0-9._-]{1,64}$")]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=200,
                                        pattern=TWO_NOT_BLANK)]
Place = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=100,
                                         pattern=TWO_NOT_BLANK)]
Qualification = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2,
                                                 max_length=100, pattern=TWO_NOT_BLANK)]
Reasons = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3,
                                           max_length=4000, pattern=THREE_NOT_BLANK)]
Phone = Annotated[str, StringConstraints(pattern=r"^\+?[0-9]{10,13}$")]
Email = Annotated[str, StringConstraints(max_length=254,
                                         pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
OfficeId = Annotated[str, StringConstraints(min_length=1, max_length=64,
                                            pattern=r"^[A-Za-z0-9._-]{1,64}$")]


class ApplyForEmpanelmentV1(Contract):
    """An auditor's application for one financial year (``2026-27``) to the office that
    keeps the panel (``office_id``); for the year after one they are empanelled for, a
    renewal. ``frn`` when they audit as a firm (``firm_name`` then required)."""

    financial_year: FinancialYear
    office_id: OfficeId
    name: Name
    firm_name: Name | None = None
    membership_number: MembershipNumber
    frn: FirmNumber | None = None
    email: Email
    phone: Phone
    qualifications: list[Qualification] = Field(min_length=1, max_length=10)
    certificate_document_ids: list[DocumentId] = Field(min_length=1, max_length=20)
    states: list[Place] = Field(min_length=1, max_length=40)
    districts: list[Place] = Field(default_factory=list, max_length=200)


class EmpanelmentRefV1(Contract):
    empanelment_id: EmpanelmentId


class EmpanelmentQueryV1(Contract):
    """The office asks the applicant something (the application waits for the reply)."""

    empanelment_id: EmpanelmentId
    text: Reasons


class EmpanelmentReplyV1(Contract):
    empanelment_id: EmpanelmentId
    text: Reasons
    document_ids: list[DocumentId] = Field(default_factory=list, max_length=20)


class EmpanelmentDecisionV1(Contract):
    """Reject or suspend: the reasons are required."""

    empanelment_id: EmpanelmentId
    reasons: Reasons


class ApproveEmpanelmentV1(Contract):
    empanelment_id: EmpanelmentId
    remarks: Reasons | None = None


class EmpanelmentListV1(Contract):
    status: Literal["submitted", "queried", "empanelled", "rejected", "suspended"] | None = None
    financial_year: FinancialYear | None = None
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=100_000)


class EmpanelmentStepV1(Contract):
    step: str
    by: str
    at: datetime
    text: str | None = None
    document_ids: list[str] = Field(default_factory=list)


class EmpanelmentV1(Contract):
    id: str
    financial_year: str
    office_id: str
    applicant_id: str
    name: str
    firm_name: str | None = None
    membership_number: str
    frn: str | None = None
    email: str
    phone: str
    qualifications: list[str]
    certificate_document_ids: list[str]
    states: list[str]
    districts: list[str]
    status: str
    renewal_of: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    steps: list[EmpanelmentStepV1]
    submitted_at: datetime
    updated_at: datetime


class EmpanelmentPageV1(Contract):
    items: list[EmpanelmentV1]
    next_offset: int | None = None


class AllotAuditV1(Contract):
    """The office allots a society's audit of a financial year that has ended to an
    empanelled auditor; a second allotment of the same year (reallotment) needs reasons."""

    society_id: FilerId
    financial_year: FinancialYear
    empanelment_id: EmpanelmentId
    reasons: Reasons | None = None


class AllotmentListV1(Contract):
    society_id: FilerId | None = None
    financial_year: FinancialYear | None = None
    include_replaced: bool = False
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=100_000)


class AllotmentV1(Contract):
    id: str
    society_id: str
    society_name: str
    financial_year: str
    empanelment_id: str
    auditor_id: str
    auditor_name: str
    membership_number: str
    status: str
    reasons: str | None = None
    allotted_by: str
    allotted_at: datetime
    audited_on: date | None = None
    replaced_at: datetime | None = None
    replaced_reasons: str | None = None


class AllotmentPageV1(Contract):
    items: list[AllotmentV1]
    next_offset: int | None = None


class AuditorEmpanelledV1(Event):
    """An auditor is on the panel for a financial year (until ``valid_to``).
    ``office_name``: the panel office's name as filings last read it from the registry's
    offices, None when it has not read that office."""

    event_type = "auditor_empanelled"

    empanelment_id: str
    applicant_id: str
    name: str
    firm_name: str | None = None
    membership_number: str
    frn: str | None = None
    financial_year: str
    office_id: str
    valid_to: date
    states: list[str]
    districts: list[str]
    renewal: bool
    office_name: str | None = None


class EmpanelmentStepTakenV1(Event):
    """The office asked an applicant for empanelment a question, rejected the
    application or suspended an empanelment, with its words (``text``)."""

    event_type = "empanelment_step"

    empanelment_id: str
    applicant_id: str
    name: str
    financial_year: str
    office_id: str
    step: Literal["queried", "rejected", "suspended"]
    text: str
    at: datetime


class AuditAllottedV1(Event):
    """A society's audit of a year given to an auditor (``replaces`` on a reallotment).
    ``auditor_name`` is the firm's name when the auditor audits as a firm, else theirs;
    ``auditor_firm_name`` the firm's (None for an individual). On a reallotment
    ``replaced_auditor_id`` and ``replaced_auditor_name`` name the auditor of the
    allotment replaced (None otherwise)."""

    event_type = "audit_allotted"

    allotment_id: str
    society_id: str
    society_name: str
    financial_year: str
    empanelment_id: str
    auditor_id: str
    auditor_name: str
    membership_number: str
    replaces: str | None = None
    auditor_firm_name: str | None = None
    replaced_auditor_id: str | None = None
    replaced_auditor_name: str | None = None


class AuditReminderV1(Event):
    """A society whose audit of the year just ended is neither recorded nor allotted:
    reminder ``number`` of ``of`` (monthly, April to September), due by ``due_on``."""

    event_type = "audit_reminder"

    society_id: str
    society_name: str
    financial_year: str
    due_on: date
    number: int
    of: int
