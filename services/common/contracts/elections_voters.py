"""Contracts of the voter list part of the elections service: the draw from the member
register, the provisional and final lists, objections and their scrutiny, and the
published list read page by page (its CSV, and the PDF documents prints from
``voter_list_published``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from services.common.contracts.base import NOT_BLANK, THREE_NOT_BLANK, Contract, Event
from services.common.contracts.elections import ElectionId, Reason, Text200

VoterCategory = Literal["individual", "firm", "society"]
ObjectionKind = Literal["add", "delete", "correct"]
ObjectionStatus = Literal["pending", "upheld", "dismissed"]
ListKind = Literal["provisional", "final"]
MembershipNumber = Annotated[str, StringConstraints(
    strip_whitespace=True, min_length=1, max_length=32, pattern=r"^[A-Za-z0-9/._-]{1,32}$")]
ObjectionId = Annotated[str, StringConstraints(pattern=r"^[0-9a-f-]{36}$")]
DocumentId = Annotated[str, StringConstraints(pattern=r"^[0-9a-f-]{36}$")]
Grounds = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3,
                                           pattern=THREE_NOT_BLANK, max_length=4000)]
MAX_PAGE = 5000


class DrawVoterListV1(Contract):
    election_id: ElectionId


class VoterListStatusV1(Contract):
    election_id: str
    status: Literal["not_drawn", "drawing", "drawn", "failed"]
    voters_as_on: date
    drawn: int
    on_list: int
    individuals: int
    firms: int
    societies: int
    error: str | None = None
    requested_by: str | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    provisional_published_at: datetime | None = None
    final_published_at: datetime | None = None


class PublishVoterListV1(Contract):
    election_id: ElectionId
    kind: ListKind
    document_ids: list[DocumentId] = Field(default_factory=list, max_length=10)


class VoterListPublishedV1(Contract):
    election_id: str
    kind: str
    stage: str
    entries: int
    document_ids: list[str]
    published_at: datetime


class ListPublishedV1(Event):
    """The provisional or final list of voters was published. It names the list and
    carries none of it (no bytes, no rows on the bus): documents reads the entries from
    ``voter_list_page`` and prints the list as the election's verifiable PDF."""

    event_type = "election_voter_list_published"

    election_id: str
    number: str
    society_id: str
    society_name: str
    registration_number: str = ""
    kind: ListKind
    entries: int
    voters_as_on: date
    published_at: datetime


class FileObjectionV1(Contract):
    """An objection to the provisional list: add a member left out, delete one who
    should not be there, or correct an entry's name or category."""

    election_id: ElectionId
    kind: ObjectionKind
    membership_number: MembershipNumber
    name: Text200 | None = None
    category: VoterCategory | None = None
    grounds: Grounds
    filed_by_member: MembershipNumber | None = None

    @model_validator(mode="after")
    def _details(self) -> FileObjectionV1:
        if self.kind == "add" and (self.name is None or self.category is None):
            raise ValueError("an addition names the member's name and category")
        if self.kind == "correct" and self.name is None and self.category is None:
            raise ValueError("a correction gives the corrected name or category")
        if self.kind == "delete" and (self.name is not None or self.category is not None):
            raise ValueError("a deletion carries no name or category")
        return self


class DecideObjectionV1(Contract):
    election_id: ElectionId
    objection_id: ObjectionId
    decision: Literal["upheld", "dismissed"]
    reason: Reason


class ObjectionV1(Contract):
    id: str
    election_id: str
    kind: ObjectionKind
    membership_number: str
    details: dict
    grounds: str
    filed_by: str
    filed_by_member: str | None
    filed_at: datetime
    status: ObjectionStatus
    decision_reason: str | None
    decided_by: str | None
    decided_at: datetime | None


class ObjectionQueryV1(Contract):
    election_id: ElectionId
    status: ObjectionStatus | None = None
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000)


class ObjectionPageV1(Contract):
    items: list[ObjectionV1]
    next_offset: int | None


class VoterQueryV1(Contract):
    election_id: ElectionId
    category: VoterCategory | None = None
    q: Annotated[str | None, StringConstraints(strip_whitespace=True, min_length=1,
                                               pattern=NOT_BLANK, max_length=100)] = None
    include_struck_off: bool = False
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0, le=10_000_000)


class VoterV1(Contract):
    serial_no: int
    membership_number: str
    name: str
    category: VoterCategory
    on_list: bool
    source: Literal["register", "objection"]
    changed_by_objection: str | None
    booth: int | None = None


class VoterPageV1(Contract):
    items: list[VoterV1]
    total: int
    next_offset: int | None


class VoterListPageQueryV1(Contract):
    """A published list, a page at a time in serial order (``after``: the last serial
    number of the page before)."""

    election_id: ElectionId
    kind: ListKind
    after: int | None = Field(None, ge=0)
    limit: int = Field(1000, ge=1, le=MAX_PAGE)


class ListedVoterV1(Contract):
    serial_no: int
    membership_number: str
    name: str
    category: VoterCategory
    # The polling booth's number, once the RO has assigned the list (else absent).
    booth: int | None = None


class VoterListPageV1(Contract):
    election_id: str
    number: str
    society_name: str
    kind: ListKind
    published_at: datetime
    entries: int
    items: list[ListedVoterV1]
    next: int | None


# ----------------------------------------------------------------------------- booths

# The RO's file of membership number and booth: seed 003's 30,644 lines are ~0.33 MB; a
# 2,00,000-voter society's file with the district, state or name beside each voter (~80
# bytes a line) is ~16 MB. The gateway holds the body to the same ceiling
# (GATEWAY_ELECTIONS_MAX_BOOTH_FILE_BYTES).
MAX_BOOTH_FILE_CHARS = 16 * 1024 * 1024


class AssignBoothsV1(Contract):
    """The RO assigns the list's voters to the order's booths: ``serial_order`` (voters
    in serial order fill the booths in booth-number order, each up to the voters the
    order gives it) or ``file`` (``csv``: a header naming ``membership_number`` and
    ``booth``, one voter per line; ``rest_in_serial_order``: voters the file leaves out
    fill the room left, in serial order)."""

    election_id: ElectionId
    rule: Literal["serial_order", "file"]
    csv: Annotated[str | None, Field(max_length=MAX_BOOTH_FILE_CHARS)] = None
    rest_in_serial_order: bool = False

    @model_validator(mode="after")
    def _file(self) -> AssignBoothsV1:
        if self.rule == "file" and not (self.csv or "").strip():
            raise ValueError("the file rule needs the CSV (membership_number, booth)")
        if self.rule == "serial_order" and (self.csv is not None
                                            or self.rest_in_serial_order):
            raise ValueError("serial_order takes no file")
        return self


class BoothAssignmentQueryV1(Contract):
    election_id: ElectionId


class BoothLoadV1(Contract):
    number: int
    location: str
    district: str
    state: str
    voters_ordered: int      # what the order gives the booth: the most it may take
    voters_assigned: int     # voters on the list assigned to it


class BoothAssignmentV1(Contract):
    election_id: str
    rule: Literal["serial_order", "file", "file+serial_order"] | None
    assigned: int
    from_file: int
    unassigned: int          # voters on the list without a booth
    assigned_by: str | None
    assigned_at: datetime | None
    booths: list[BoothLoadV1]
