"""Contracts of the grievance service: raising a grievance, taking an action on a case
of any kind, reading cases, and the events a case publishes (notify tells the
complainant and the office; the escalation event tells the next level)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from services.common.contracts.base import NOT_BLANK, THREE_NOT_BLANK, Contract, Event
from services.common.contracts.registry_members import Phone

CaseKind = Literal["grievance", "inquiry", "inspection", "arbitration", "appeal",
                   "court_case"]
# What the grievance is about (SLA and routing rules are kept per category).
Category = Literal["membership", "accounts_and_dividend", "loans_and_deposits",
                   "elections", "management", "housing", "services", "portal", "other"]
CaseOrder = Literal["newest", "due"]
AgainstType = Literal["society", "board_member", "officer", "external_user", "portal"]
ComplainantType = Literal["member", "creditor", "citizen"]
CaseId = Annotated[str, StringConstraints(pattern=r"^[0-9a-f-]{36}$")]
SocietyId = Annotated[str, StringConstraints(min_length=1, max_length=64,
                                             pattern=r"^[A-Za-z0-9._-]{1,64}$")]
DocumentId = Annotated[str, StringConstraints(pattern=r"^[0-9a-f-]{36}$")]
Action = Annotated[str, StringConstraints(pattern=r"^[a-z_]{2,48}$")]
Subject = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3,
                                           pattern=THREE_NOT_BLANK, max_length=300)]
Body = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3,
                                        pattern=THREE_NOT_BLANK, max_length=8000)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                        pattern=NOT_BLANK, max_length=300)]
ActorId = Annotated[str, StringConstraints(min_length=1, max_length=64)]


class RaiseGrievanceV1(Contract):
    complainant_type: ComplainantType
    against_type: AgainstType
    against_name: Name | None = None
    # Required unless the grievance is against the portal.
    society_id: SocietyId | None = None
    category: Category
    subject: Subject
    description: Body
    language: Literal["en", "hi"] = "en"
    document_ids: list[DocumentId] = Field(default_factory=list, max_length=20)


class TakeActionV1(Contract):
    case_id: CaseId
    action: Action
    note: Body | None = None
    document_ids: list[DocumentId] = Field(default_factory=list, max_length=20)
    assignee: ActorId | None = None          # "assign"
    rating: int | None = Field(None, ge=1, le=5)   # "rate"


class CaseRefV1(Contract):
    case_id: CaseId


class CaseQueryV1(Contract):
    kind: CaseKind | None = None
    state: Annotated[str, StringConstraints(pattern=r"^[a-z_]{2,32}$")] | None = None
    office_id: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = None
    mine: bool = False
    category: Category | None = None
    # True: cases not closed; False: closed ones; None: both.
    open: bool | None = None
    # newest: opened latest first; due: the level's deadline soonest first (the office's
    # queue), cases with no clock running last.
    order: CaseOrder = "newest"
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


class CaseOpenedV1(Event):
    """A case was opened: notify tells whoever opened it (their mailbox, in their
    language) its number and how to follow it, and, for a grievance against a society,
    the society's mailbox. The opener's phone is the gateway's (accounts), not here."""

    event_type = "case_opened"

    case_id: str
    number: str
    kind: str
    office_id: str | None
    desk: str
    society_id: str | None
    category: str | None
    opened_by: str
    language: str
    subject: str
    # Added fields (a consumer of the first shape ignores them): what the case is
    # against, when it was received, the kind's titles and the opener's message.
    against_type: str | None = None
    opened_by_role: str | None = None
    opened_at: datetime | None = None
    title_en: str = ""
    title_hi: str = ""
    message_en: str = ""
    message_hi: str = ""


class CaseTransitionedV1(Event):
    event_type = "case_transitioned"

    case_id: str
    number: str
    kind: str
    action: str
    from_state: str
    to_state: str
    office_id: str | None
    opened_by: str
    language: str
    # What the complainant reads, in English and Hindi.
    message_en: str
    message_hi: str


class CaseEscalatedV1(Event):
    """A late case moved up a level (its next office); the assignee stays responsible."""

    event_type = "case_escalated"

    case_id: str
    number: str
    kind: str
    from_level: int
    to_level: int
    from_office_id: str | None
    to_office_id: str | None
    assignee: str | None
    due_at: datetime
    overall_breached: bool
    opened_by: str
    language: str


OrderRef = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                            pattern=NOT_BLANK, max_length=100)]
OfficeId = Annotated[str, StringConstraints(min_length=1, max_length=64,
                                            pattern=r"^[A-Za-z0-9._-]{1,64}$")]
CourtCaseNumber = Annotated[str, StringConstraints(
    strip_whitespace=True, pattern=r"^[A-Za-z0-9()./ -]{1,100}$")]


class FileAppealV1(Contract):
    """An appeal against an order or decision: filed within 60 days of the order."""

    order_ref: OrderRef
    order_date: date
    order_office_id: OfficeId | None = None     # the office that made the order
    society_id: SocietyId | None = None
    respondent: Name
    subject: Subject
    grounds: Body
    language: Literal["en", "hi"] = "en"
    document_ids: list[DocumentId] = Field(default_factory=list, max_length=20)


class OpenCourtCaseV1(Contract):
    number: CourtCaseNumber                     # the court's own: "W.P.(C) 1234/2025"
    court: Name
    petitioners: list[Name] = Field(min_length=1, max_length=50)
    respondents: list[Name] = Field(min_length=1, max_length=50)
    subject: Subject
    description: Body
    office_id: OfficeId | None = None           # default: the officer's own office
    society_id: SocietyId | None = None
    document_ids: list[DocumentId] = Field(default_factory=list, max_length=20)


class ScheduleHearingV1(Contract):
    case_id: CaseId
    hearing_at: datetime                        # naive: India time
    place: Name
    purpose: Name
    # Mobile numbers to alert by SMS the day before (the parties' advocates, say); the
    # complainant and the society are reminded in their mailboxes anyway.
    alert_phones: list[Phone] = Field(default_factory=list, max_length=10)


class RecordOrderV1(Contract):
    case_id: CaseId
    order_date: date
    summary: Body
    document_id: DocumentId | None = None
    final: bool = False


class CaseNumberRefV1(Contract):
    number: CourtCaseNumber


class HearingScheduledV1(Event):
    """A hearing is fixed: notify alerts the parties (SMS, mailbox) before the day."""

    event_type = "case_hearing_scheduled"

    case_id: str
    number: str
    kind: str
    reference: str | None
    court: str | None
    hearing_at: datetime
    place: str
    purpose: str
    office_id: str | None
    society_id: str | None
    opened_by: str
    language: str


class HearingReminderV1(HearingScheduledV1):
    """A hearing is due within the reminder period (a day by default): notify reminds the
    complainant and the society in their mailboxes and texts each alert number. Sent once
    per hearing."""

    event_type = "case_hearing_reminder"

    alert_phones: list[str]


MembershipNumber = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                                    pattern=NOT_BLANK, max_length=32)]
InitiatorType = Literal["office", "board_member", "federal_cooperative", "creditor",
                        "member"]


class RequestInquiryV1(Contract):
    """A request for an inquiry or an inspection of a society (seed 000). Board members'
    and members' requests carry the supporting voters' membership numbers."""

    kind: Literal["inquiry", "inspection"]
    society_id: SocietyId
    initiator_type: InitiatorType
    subject: Subject
    grounds: Body
    supporting_voters: list[MembershipNumber] = Field(default_factory=list, max_length=500)
    language: Literal["en", "hi"] = "en"
    document_ids: list[DocumentId] = Field(default_factory=list, max_length=20)


class WindingUpRecommendedV1(Event):
    """An inquirer or inspector recommends winding up: the registry's liquidation
    proposal follows from it."""

    event_type = "case_winding_up_recommended"

    case_id: str
    number: str
    kind: str
    society_id: str | None
    office_id: str | None
    recommended_by: str
    note: str | None
    document_ids: list[str]


class DashboardQueryV1(Contract):
    office_id: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = None


class FileDisputeV1(Contract):
    """A dispute for arbitration touching a society: between members, a member and the
    society, the board, an officer or an employee (seed 000)."""

    society_id: SocietyId
    respondent: Name
    subject: Subject
    claim: Body
    language: Literal["en", "hi"] = "en"
    document_ids: list[DocumentId] = Field(default_factory=list, max_length=20)
