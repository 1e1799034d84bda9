"""Contracts of the elections service: the CEA's order and its programme, and the
events every stage publishes (notify tells the society's members; the registry records
the new board once a result is declared).

Parts of the workflow keep their own modules beside this one (voters, nominations,
counting, forms); the shared vocabulary lives here.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator, model_validator

from services.common.contracts.base import NOT_BLANK, THREE_NOT_BLANK, Contract, Event

BOARD_CATEGORIES = ("general", "women", "sc_st")
OFFICE_BEARER_POSTS = ("chairman", "vice_chairman", "president", "vice_president")
ELECTION_STATUSES = ("ordered", "board_declared", "office_bearers_declared", "cancelled")

# What a member reads in a notice, in Hindi, for each stage of the programme.
STAGE_TITLES_HI: dict[str, str] = {
    "provisional_list": "मतदाताओं की अनंतिम सूची का प्रकाशन",
    "objections": "अनंतिम सूची पर आपत्तियाँ",
    "objection_scrutiny": "आपत्तियों की संवीक्षा",
    "final_list": "मतदाताओं की अंतिम सूची का प्रकाशन",
    "nominations": "नामांकन पत्र जारी करना और भरना",
    "nomination_display": "प्राप्त नामांकनों का प्रदर्शन",
    "nomination_scrutiny": "नामांकनों की संवीक्षा",
    "valid_nominations": "वैध नामांकनों की सूची का प्रकाशन",
    "withdrawal": "नामांकन वापसी",
    "contesting_list": "चुनाव लड़ने वाले उम्मीदवारों की अंतिम सूची का प्रकाशन",
    "poll": "मतदान",
    "counting": "मतगणना",
    "form_19m": "प्ररूप 19M प्राधिकरण को प्रस्तुत करना",
    "board_declaration": "निदेशक मंडल के परिणाम की घोषणा",
    "ob_nominations": "पदाधिकारी: नामांकन",
    "ob_scrutiny": "पदाधिकारी: नामांकनों की संवीक्षा",
    "ob_withdrawal": "पदाधिकारी: नामांकन वापसी",
    "ob_contesting_list": "पदाधिकारी: उम्मीदवारों की सूची",
    "ob_meeting": "निर्वाचन अधिकारी की अध्यक्षता में नए बोर्ड की बैठक",
    "form_19n": "प्ररूप 19N प्राधिकरण को प्रस्तुत करना",
    "ob_declaration": "पदाधिकारियों के परिणाम की घोषणा",
}

BoardCategory = Literal["general", "women", "sc_st"]
Post = Literal["chairman", "vice_chairman", "president", "vice_president"]
ElectionId = Annotated[str, StringConstraints(pattern=r"^[0-9a-f-]{36}$")]
SocietyId = Annotated[str, StringConstraints(min_length=1, max_length=64,
                                             pattern=r"^[A-Za-z0-9._-]{1,64}$")]
Text200 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, pattern=NOT_BLANK,
                                           max_length=200)]
Text500 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, pattern=NOT_BLANK,
                                           max_length=500)]
Mobile = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9]{10,15}$")]
Email = Annotated[str, StringConstraints(strip_whitespace=True, max_length=254,
                                         pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
# "107/2025-26": a serial, then the financial year.
ElectionNumber = Annotated[str, StringConstraints(
    strip_whitespace=True, pattern=r"^[0-9]{1,6}/[0-9]{4}-[0-9]{2}$")]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=4000,
                                          pattern=THREE_NOT_BLANK)]

class ReturningOfficerV1(Contract):
    name: Text200
    designation: Text200
    email: Email | None = None
    mobile: Mobile | None = None


class SeatsV1(Contract):
    """Directors to be elected by category (seed 003: 16 / 2 / 1)."""

    general: int = Field(ge=0, le=100)
    women: int = Field(ge=0, le=100)
    sc_st: int = Field(ge=0, le=100)

    @model_validator(mode="after")
    def _some(self) -> SeatsV1:
        if self.general + self.women + self.sc_st == 0:
            raise ValueError("at least one seat is to be filled")
        return self


class BoothInV1(Contract):
    number: int = Field(ge=1, le=100_000)
    location: Text500
    district: Text200
    state: Text200
    voters_assigned: int = Field(ge=0, le=10_000_000)


class StageInV1(Contract):
    """One stage of Annexure I: India dates and, where the order gives them, hours."""

    stage: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,40}$")]
    starts_on: date
    ends_on: date | None = None
    daily_from: time | None = None
    daily_to: time | None = None


class CreateElectionV1(Contract):
    """The CEA's order appointing the Returning Officer, with its programme."""

    number: ElectionNumber
    order_ref: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                                pattern=NOT_BLANK, max_length=64)]
    order_date: date
    society_id: SocietyId
    returning_officer: ReturningOfficerV1
    seats: SeatsV1
    # The board's seats by category as the society's bye-laws provide (Form 19M item
    # (iv)); the order notifies ``seats`` (item (v)), never more. Absent: as notified.
    bye_law_seats: SeatsV1 | None = None
    posts: list[Post] = Field(min_length=1, max_length=4)
    area_states: list[Text200] = Field(min_length=1, max_length=40)
    booths: list[BoothInV1] = Field(min_length=1, max_length=5000)
    # The register as on 31 March of the previous financial year, unless the order says
    # otherwise.
    voters_as_on: date | None = None
    bye_laws_require_proposer: bool = False
    stages: list[StageInV1] = Field(min_length=1, max_length=40)

    @model_validator(mode="after")
    def _notified_within_bye_laws(self) -> CreateElectionV1:
        if self.bye_law_seats is not None:
            over = [f"{c}: {getattr(self.seats, c)} notified, "
                    f"{getattr(self.bye_law_seats, c)} under the bye-laws"
                    for c in BOARD_CATEGORIES
                    if getattr(self.seats, c) > getattr(self.bye_law_seats, c)]
            if over:
                raise ValueError("more seats notified than the bye-laws provide ("
                                 + "; ".join(over) + ")")
        return self

    @field_validator("posts")
    @classmethod
    def _distinct_posts(cls, posts: list[str]) -> list[str]:
        if len(set(posts)) != len(posts):
            raise ValueError("a post is listed twice")
        return posts

    @field_validator("booths")
    @classmethod
    def _distinct_booths(cls, booths: list[BoothInV1]) -> list[BoothInV1]:
        numbers = [b.number for b in booths]
        if len(set(numbers)) != len(numbers):
            raise ValueError("two booths have the same number")
        return booths


class AmendProgrammeV1(Contract):
    """The CEA moves stages that have not opened yet, with its reasons."""

    election_id: ElectionId
    stages: list[StageInV1] = Field(min_length=1, max_length=40)
    reason: Reason


class AssignBoothOfficerV1(Contract):
    election_id: ElectionId
    booth_number: int = Field(ge=1, le=100_000)
    account_id: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    name: Text200


class ElectionQueryV1(Contract):
    society_id: SocietyId | None = None
    status: Literal["ordered", "board_declared", "office_bearers_declared",
                    "cancelled"] | None = None
    stage_open: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,40}$")] | None = None
    # The stage the programme has reached (stored; filtered in SQL).
    stage: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,40}$")] | None = None
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=100_000)


class StageV1(Contract):
    stage: str
    seq: int
    title: str
    starts_on: date
    ends_on: date
    daily_from: time | None
    daily_to: time | None
    window: str
    opens_at: datetime
    closes_at: datetime
    done_at: datetime | None


class BoothV1(Contract):
    number: int
    location: str
    district: str
    state: str
    voters_assigned: int
    officers: list[dict]


class ProgrammeStatusV1(Contract):
    """Which stages are open now, what is next, what is overdue (by the service's clock)."""

    now: datetime
    open: list[str]
    next: str | None
    next_opens_at: datetime | None
    overdue: list[str]


class ElectionV1(Contract):
    id: str
    number: str
    order_ref: str
    order_date: date
    society_id: str
    society_name: str
    registration_number: str
    society_address: str
    area_states: list[str]
    returning_officer: ReturningOfficerV1
    is_bank: bool
    voters_as_on: date
    bye_laws_require_proposer: bool
    status: str
    # The stage the programme has reached (None: the first has not opened yet).
    stage: str | None = None
    seats: SeatsV1
    bye_law_seats: SeatsV1
    posts: list[str]
    booths: list[BoothV1]
    stages: list[StageV1]
    programme: ProgrammeStatusV1
    created_at: datetime
    updated_at: datetime


class ElectionSummaryV1(Contract):
    id: str
    number: str
    society_id: str
    society_name: str
    status: str
    stage: str | None = None
    open_stages: list[str]
    next_stage: str | None
    overdue_stages: list[str]


class ElectionPageV1(Contract):
    items: list[ElectionSummaryV1]
    next_offset: int | None


class OverdueV1(Contract):
    election_id: str
    number: str
    stages: list[str]


class WaitingFormV1(Contract):
    form_id: str
    election_id: str
    number: str
    form: str
    version: int
    submitted_at: datetime


class CeaDashboardV1(Contract):
    """The CEA's view across elections, by the service's clock."""

    now: datetime
    by_status: dict[str, int]
    # Elections in progress by the stage their programme has reached ("not_started").
    at_stage: dict[str, int] = {}
    open_by_stage: dict[str, int]
    overdue: list[OverdueV1]
    overdue_count: int
    approvals_waiting: list[WaitingFormV1]
    approvals_waiting_count: int


# ----------------------------------------------------------------------------- events


class ElectionOrderedV1(Event):
    """The CEA ordered an election: notify tells the society, the RO gets to work."""

    event_type = "election_ordered"

    election_id: str
    number: str
    society_id: str
    society_name: str
    returning_officer: ReturningOfficerV1
    stages: list[StageV1]


class ProgrammeAmendedV1(Event):
    event_type = "election_programme_amended"

    election_id: str
    society_id: str
    stages: list[StageV1]
    reason: str


class StagePublishedV1(Event):
    """A stage's list or notice went out (voter lists, nominations, candidates, results):
    notify sends it to the society's members, with the document that holds it."""

    event_type = "election_stage_published"

    election_id: str
    number: str
    society_id: str
    society_name: str
    stage: str
    title: str
    document_ids: list[str]
    published_at: datetime
    # Filled from the stage when the publisher leaves it out.
    title_hi: str = ""

    @model_validator(mode="after")
    def _hindi_title(self) -> StagePublishedV1:
        if not self.title_hi:
            object.__setattr__(self, "title_hi", STAGE_TITLES_HI.get(self.stage, self.title))
        return self
