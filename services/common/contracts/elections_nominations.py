"""Contracts of the nominations part of the elections workflow: filing (Form of
nomination), the notice board's list, scrutiny decisions with their reasons, withdrawal,
the lists of valid nominations and contesting candidates (each printed by documents
from ``election_nominations_list_published``), and the CEA's disqualification orders
(rule 19V and others) that follow a person across societies.

The candidate's Aadhaar number is read once, digested with the service's key and
never stored or answered."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from services.common.contracts.base import NOT_BLANK, Contract, Event
from services.common.contracts.elections import ElectionId, Reason, Text200, Text500

Contest = Literal["board", "office_bearer"]
NominationStatus = Literal["filed", "accepted", "rejected", "withdrawn"]
DirectorKind = Literal["elected", "nominated", "co-opted"]
# A post (office bearers) or a board category.
Category = Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,32}$")]
MembershipNumber = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                                    max_length=32,
                                                    pattern=r"^[A-Za-z0-9/._-]{1,32}$")]
# 12 digits, the first 2-9 (UIDAI's format); the check digit is verified too.
Aadhaar = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[2-9][0-9]{11}$")]
DocumentId = Annotated[str, StringConstraints(pattern=r"^[0-9a-f-]{36}$")]
NominationId = Annotated[str, StringConstraints(pattern=r"^[0-9a-f-]{36}$")]
Mobile = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9]{10,15}$")]
RuleCode = Annotated[str, StringConstraints(strip_whitespace=True,
                                            pattern=r"^[0-9A-Za-z().-]{1,16}$")]


class FileNominationV1(Contract):
    """A nomination as the RO (or ARO) records it, or the society's representative
    files it."""

    election_id: ElectionId
    contest: Contest = "board"
    category: Category
    membership_number: MembershipNumber
    candidate_name: Text200
    relative_name: Text200 | None = None
    address: Text500 | None = None
    mobile: Mobile | None = None
    aadhaar: Aadhaar
    proposer_number: MembershipNumber | None = None
    seconder_number: MembershipNumber | None = None
    central_govt_employee: bool = False
    permission_document_id: DocumentId | None = None
    # Start of the candidate's continuous tenure as a director of this bank, if any.
    bank_director_since: date | None = None
    # Office bearers: how the candidate sits on the board (only elected directors stand).
    director_kind: DirectorKind | None = None


class NominationV1(Contract):
    id: str
    election_id: str
    contest: str
    category: str
    membership_number: str
    candidate_name: str
    relative_name: str | None
    address: str | None
    mobile: str | None
    proposer_number: str | None
    seconder_number: str | None
    central_govt_employee: bool
    permission_document_id: str | None
    bank_director_since: date | None
    director_kind: str | None
    filed_by: str
    filed_at: datetime
    status: str
    reasons: list[dict]
    decided_by: str | None
    decided_at: datetime | None
    withdrawn_at: datetime | None


class NominationQueryV1(Contract):
    election_id: ElectionId
    contest: Contest | None = None
    category: Category | None = None
    status: NominationStatus | None = None
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=100_000)


class NominationPageV1(Contract):
    items: list[NominationV1]
    next_offset: int | None


class NominationRefV1(Contract):
    election_id: ElectionId
    nomination_id: NominationId


class DecideNominationV1(Contract):
    """The RO's scrutiny: accept, or reject with reasons (the disqualifications the data
    proves are added to them, and forbid an acceptance)."""

    election_id: ElectionId
    nomination_id: NominationId
    decision: Literal["accept", "reject"]
    reasons: list[Reason] = Field(default_factory=list, max_length=20)


class ReasonV1(Contract):
    code: str
    rule: str
    reason: str


class DecisionV1(Contract):
    nomination: NominationV1
    disqualifications: list[ReasonV1]


class WithdrawNominationV1(Contract):
    election_id: ElectionId
    nomination_id: NominationId


class PublishV1(Contract):
    """A publication of the nominations part; ``document_ids`` hold its CSV/PDF."""

    election_id: ElectionId
    contest: Contest = "board"
    document_ids: list[DocumentId] = Field(default_factory=list, max_length=10)


class CandidateV1(Contract):
    nomination_id: str
    membership_number: str
    candidate_name: str
    relative_name: str | None
    address: str | None
    mobile: str | None
    category: str


class CategorySummaryV1(Contract):
    seats: int
    received: int
    pending: int
    rejected: int
    withdrawn: int
    contesting: int
    unopposed: bool
    elected_unopposed: list[CandidateV1]
    vacant: int


class ContestV1(Contract):
    """The contest's candidates by category and what each category comes to."""

    election_id: str
    contest: str
    published_at: datetime | None
    candidates: dict[str, list[CandidateV1]]
    summary: dict[str, CategorySummaryV1]


class PublicationV1(Contract):
    election_id: str
    stage: str
    kind: str
    entries: int
    document_ids: list[str]
    published_at: datetime
    summary: dict[str, CategorySummaryV1] | None = None


class ContestRefV1(Contract):
    election_id: ElectionId
    contest: Contest = "board"


# ----------------------------------------------------------------------------- printed lists

# The lists documents prints, by the stage that publishes each.
PrintedList = Literal["received", "valid", "contesting", "ob_contesting"]
# A contest's nominations are bounded by its voters filing once per category; the
# printed list carries them all (a few hundred at most in practice).
MAX_PRINTED_ROWS = 5000


class PrintedNominationV1(Contract):
    """One line of a printed list: what the notice board shows of a nomination (no
    mobile, no Aadhaar), with the remark the list gives it (a rejection's reasons, an
    election unopposed)."""

    sn: int
    category: str
    membership_number: str
    candidate_name: str
    relative_name: str | None = None
    address: str | None = None
    status: NominationStatus
    remarks: str = ""


class PrintedCategoryV1(Contract):
    """A category (board) or post (office bearers) as the list counts it; labels in
    English and Hindi."""

    category: str
    label: str
    label_hi: str
    seats: int
    received: int
    rejected: int
    withdrawn: int
    contesting: int
    unopposed: bool
    vacant: int


class NominationsListPublishedV1(Event):
    """The RO published a list of the nominations part (received, valid after scrutiny,
    the final list of contesting candidates of the board or of the office bearers): the
    list itself, small enough to travel whole. Documents prints it as the election's
    public, verifiable PDF."""

    event_type = "election_nominations_list_published"

    election_id: str
    number: str
    society_id: str
    society_name: str
    registration_number: str = ""
    list: PrintedList
    contest: Contest
    stage: str
    title: str
    title_hi: str
    published_at: datetime
    entries: int
    categories: list[PrintedCategoryV1]
    rows: list[PrintedNominationV1] = Field(default_factory=list,
                                            max_length=MAX_PRINTED_ROWS)


# ----------------------------------------------------------------------------- disqualification


class RecordDisqualificationV1(Contract):
    """The CEA's order disqualifying a person: named by Aadhaar (with the name), or by a
    nomination of any election (its candidate). Rule 19V runs 3 years from the order
    unless ``until`` says otherwise; other rules need ``until``."""

    aadhaar: Aadhaar | None = None
    name: Text200 | None = None
    nomination_id: NominationId | None = None
    rule: RuleCode
    order_ref: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                                pattern=NOT_BLANK, max_length=64)]
    order_date: date
    until: date | None = None
    reason: Reason

    @model_validator(mode="after")
    def _one_identity(self) -> RecordDisqualificationV1:
        if (self.aadhaar is None) == (self.nomination_id is None):
            raise ValueError("name the person by aadhaar (with name) or by nomination_id, "
                             "not both")
        if self.aadhaar is not None and self.name is None:
            raise ValueError("name is required with aadhaar")
        if self.until is not None and self.until < self.order_date:
            raise ValueError("until is before the order's date")
        return self


class DisqualificationV1(Contract):
    id: str
    name: str
    rule: str
    order_ref: str
    order_date: date
    until: date
    source_election_id: str | None
    reason: str
    recorded_by: str
    recorded_at: datetime


class DisqualificationQueryV1(Contract):
    in_force_on: date | None = None
    rule: RuleCode | None = None
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=100_000)


class DisqualificationPageV1(Contract):
    items: list[DisqualificationV1]
    next_offset: int | None
