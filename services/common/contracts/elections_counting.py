"""Contracts of the counting part of the elections workflow: booth results by double
entry, the RO's reconciliation of mismatched booths, the count (totals, winners, ties at
the last seat and the RO's draw of lots), Forms 19M and 19N (Section A built by the
service from its records and the RO's few inputs, Section B the CEA's decision), and the
declarations of the board and of the office bearers.

Votes are keyed by nomination id; every figure is a non-negative integer."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, model_validator

from services.common.contracts.base import THREE_NOT_BLANK, Contract, Event
from services.common.contracts.elections import ElectionId, Reason, Text200, Text500

Contest = Literal["board", "office_bearer"]
FormKind = Literal["19M", "19N"]
NominationId = Annotated[str, StringConstraints(pattern=r"^[0-9a-f-]{36}$")]
FormId = Annotated[str, StringConstraints(pattern=r"^[0-9a-f-]{36}$")]
Category = Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,32}$")]
Votes = Annotated[int, Field(ge=0, le=10_000_000)]
BoothNumber = Annotated[int, Field(ge=1, le=100_000)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=4000,
                                        pattern=THREE_NOT_BLANK)]
NOT_APPLICABLE = "Not applicable"


class BoothFiguresV1(Contract):
    """One booth's figures: ballots cast, rejected, and votes per contesting candidate."""

    votes_cast: Votes
    rejected: Votes
    votes: dict[NominationId, Votes] = Field(max_length=1000)


class EnterBoothResultV1(BoothFiguresV1):
    election_id: ElectionId
    booth_number: BoothNumber
    contest: Literal["board"] = "board"


class BoothEntryAnswerV1(Contract):
    """What an officer is told after an entry: never the other officer's figures."""

    booth_number: int
    contest: str
    entries: int
    status: Literal["awaiting_second_entry", "matched", "mismatch"]


class ReconcileBoothV1(BoothFiguresV1):
    election_id: ElectionId
    booth_number: BoothNumber
    contest: Literal["board"] = "board"
    reason: Reason


class CountRefV1(Contract):
    election_id: ElectionId
    contest: Literal["board"] = "board"


class EntryV1(Contract):
    account_id: str
    votes_cast: int
    rejected: int
    votes: dict[str, int]
    entered_at: datetime


class QueueItemV1(Contract):
    booth_number: int
    location: str
    voters_assigned: int
    entries: list[EntryV1]


class ReconciliationQueueV1(Contract):
    election_id: str
    contest: str
    items: list[QueueItemV1]


class BoothResultV1(Contract):
    booth_number: int
    contest: str
    status: str
    votes_cast: int | None
    rejected: int | None
    votes: dict[str, int] | None
    reconciled_by: str | None
    reason: str | None
    updated_at: datetime


class CandidateCountV1(Contract):
    nomination_id: str
    membership_number: str
    candidate_name: str
    category: str
    votes: int | None            # None: elected unopposed (no poll in the category)
    elected: bool | None         # None: withheld until a tie is resolved


class TieV1(Contract):
    category: str
    tied: list[str]              # nomination ids
    votes: int
    remaining_seats: int


class CategoryCountV1(Contract):
    seats: int
    contesting: int
    unopposed: bool
    polled_seats: int
    vacant: int
    candidates: list[CandidateCountV1]
    winners: list[str] | None    # None while a tie at the last seat is unresolved
    tie: TieV1 | None
    draw: dict[str, Any] | None


class CountV1(Contract):
    election_id: str
    contest: str
    polled: bool
    booths_counted: int
    votes_cast: int
    rejected: int
    categories: dict[str, CategoryCountV1]
    ties: list[TieV1]
    complete: bool
    elected: list[CandidateCountV1]


class ResolveTieV1(Contract):
    """The RO's draw of lots at a tie for the last seat(s) of a category."""

    election_id: ElectionId
    contest: Literal["board"] = "board"
    category: Category
    winners: list[NominationId] = Field(min_length=1, max_length=100)
    note: Note


class TieDecisionV1(Contract):
    election_id: str
    contest: str
    category: str
    tied: list[str]
    winners: list[str]
    note: str
    decided_by: str
    decided_at: datetime


class DrawV1(Contract):
    winners: list[NominationId] = Field(min_length=1, max_length=10)
    note: Note


class FormInputsV1(Contract):
    """What the RO alone can tell the form; the service fills every other item.

    19M: (iii) peaceful and, if not, the description; 8 court cases; reasons for vacant
    seats (by category) beyond the default. 19N also, unless the RO has recorded the
    office bearers' meeting (``RecordObMeetingV1``; the record is then used and these
    are not): the board meeting (date and time, venue, incumbent elected directors,
    those who attended), whether the RO chaired it and the name, the votes at the
    meeting per candidate of a polled post, and a draw of lots for a post tied at the
    meeting."""

    election_id: ElectionId
    peaceful: bool = True
    disruption: Text500 | None = None
    court_cases: Text500 | None = None
    vacant_reasons: dict[Category, Text500] = Field(default_factory=dict, max_length=20)
    # 19N only
    meeting_at: datetime | None = None
    venue: Text500 | None = None
    incumbent_directors: int | None = Field(None, ge=0, le=1000)
    attended: int | None = Field(None, ge=0, le=1000)
    chaired_by_ro: bool | None = None
    chair_name: Text200 | None = None
    votes: dict[NominationId, Votes] = Field(default_factory=dict, max_length=100)
    draws: dict[Category, DrawV1] = Field(default_factory=dict, max_length=10)

    @model_validator(mode="after")
    def _described(self) -> FormInputsV1:
        if not self.peaceful and not self.disruption:
            raise ValueError("disruption: describe the instances of disruption when the "
                             "election was not held peacefully (item iii)")
        return self


MembershipNumber = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                                    max_length=64)]


class PostVotesV1(Contract):
    """One contested post at the office bearers' meeting: the votes each candidate on
    the post's final contesting list got (0 if none), and the RO's draw of lots where
    the most votes are tied."""

    votes: dict[NominationId, Votes] = Field(min_length=1, max_length=100)
    draw: DrawV1 | None = None


class RecordObMeetingV1(Contract):
    """The RO's record of the meeting of the newly elected board that elects the office
    bearers (rule 19N(1)-(2)): when and where, the elected directors present (membership
    numbers), who chaired it, and the votes per contested post. Recorded again, it
    replaces the record, until Form 19N is submitted."""

    election_id: ElectionId
    meeting_at: datetime
    venue: Text500
    directors_present: list[MembershipNumber] = Field(min_length=1, max_length=1000)
    chaired_by_ro: bool = True
    chair_name: Text200 | None = None
    posts: dict[Category, PostVotesV1] = Field(default_factory=dict, max_length=10)

    @model_validator(mode="after")
    def _chaired(self) -> RecordObMeetingV1:
        if not self.chaired_by_ro and not self.chair_name:
            raise ValueError("chair_name: name who chaired the meeting when the Returning "
                             "Officer did not (rule 19N(2))")
        if self.meeting_at.tzinfo is None:
            raise ValueError("meeting_at: give the time zone (e.g. +05:30)")
        return self


class ObMeetingRefV1(Contract):
    election_id: ElectionId


class DirectorPresentV1(Contract):
    membership_number: str
    candidate_name: str
    category: str


class ObMeetingV1(Contract):
    """The recorded meeting and its result by post (every office-bearer post: the
    contested ones with the votes as recorded, the unopposed ones without a poll)."""

    election_id: str
    meeting_at: datetime
    venue: str
    chaired_by_ro: bool
    chair_name: str
    directors_in_office: int
    directors_present: list[DirectorPresentV1]
    posts: dict[str, CategoryCountV1]
    elected: list[CandidateCountV1]
    recorded_by: str
    recorded_at: datetime


class SubmitFormV1(FormInputsV1):
    form: FormKind


class FormBodyV1(Contract):
    """A generated form (not stored): Section A and the cross-checks it passed."""

    election_id: str
    form: str
    body: dict[str, Any]


class FormV1(Contract):
    id: str
    election_id: str
    form: str
    version: int
    status: Literal["submitted", "approved", "rejected"]
    body: dict[str, Any]
    submitted_by: str
    submitted_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_reason: str | None


class FormListV1(Contract):
    items: list[FormV1]


class FormRefV1(Contract):
    election_id: ElectionId
    form_id: FormId


class FormQueryV1(Contract):
    election_id: ElectionId
    form: FormKind | None = None


class DecideFormV1(Contract):
    """Section B: the CEA approves or rejects the RO's recommendation, with reasons."""

    election_id: ElectionId
    form_id: FormId
    decision: Literal["approve", "reject"]
    reason: Reason


class DeclareV1(Contract):
    election_id: ElectionId


class ElectedV1(Contract):
    nomination_id: str
    membership_number: str
    candidate_name: str
    category: str
    votes: int | Literal["unopposed"]


class DeclarationV1(Contract):
    election_id: str
    contest: str
    form_id: str
    elected: list[ElectedV1]
    declared_by: str
    declared_at: datetime


class DeclarationListV1(Contract):
    items: list[DeclarationV1]


# ----------------------------------------------------------------------------- events


class FormSubmittedV1(Event):
    """The RO submitted Form 19M or 19N for the CEA's prior approval."""

    event_type = "election_form_submitted"

    election_id: str
    number: str
    society_id: str
    society_name: str
    form: str
    form_id: str
    form_version: int
    submitted_at: datetime
    # The form as submitted (Section A, the elected recommended): documents prints it.
    body: dict[str, Any] = Field(default_factory=dict)


class ResultDeclaredV1(Event):
    """A result was declared after the CEA approved its form: the board's directors
    (contest ``board``) or the office bearers; the registry records the new board."""

    event_type = "election_result_declared"

    election_id: str
    number: str
    society_id: str
    society_name: str
    contest: str
    form_id: str
    elected: list[ElectedV1]
    declared_at: datetime
