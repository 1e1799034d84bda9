"""Contracts the registry publishes and answers about societies, offices and applications.

Events carry the facts a consumer needs to act without calling back (documents builds the
registration certificate from ``society_registered`` alone; notify reaches the applicant
from the ``applicant`` block of stage and deadline events).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import ConfigDict, Field

from services.common.contracts.base import Contract, Event

SOCIETY_TYPES = (
    "credit", "bank", "housing", "dairy", "pacs", "consumer", "marketing", "fishery",
    "weavers", "labour_contract", "engineers", "industrial", "cold_storage",
    "shg_federation", "others",
)
SOCIETY_STATUSES = ("registered", "under_liquidation", "wound_up", "revived", "deregistered")
APPLICATION_KINDS = ("registration", "bye_law_amendment", "branch_opening")
APPLICATION_STAGES = ("draft", "submitted", "under_scrutiny", "query_raised",
                      "hearing_scheduled", "approved", "rejected")
OFFICE_LEVELS = ("national", "state", "district")

SocietyType = Literal[SOCIETY_TYPES]  # type: ignore[valid-type]
SocietyStatus = Literal[SOCIETY_STATUSES]  # type: ignore[valid-type]
ApplicationKind = Literal[APPLICATION_KINDS]  # type: ignore[valid-type]
ApplicationStage = Literal[APPLICATION_STAGES]  # type: ignore[valid-type]


# --------------------------------------------------------------------------- shared parts


class ContactsV1(Contract):
    email: str | None = None
    phone: str | None = None
    language: str = "en"


class ApplicantV1(ContactsV1):
    """Who filed an application and how to reach them (notify needs no lookup)."""

    account_id: str
    name: str


class HearingV1(Contract):
    at: datetime
    link: str


class BranchV1(Contract):
    id: str
    name: str
    address: str
    state: str
    district: str | None = None
    opened_on: date


# --------------------------------------------------------------------------- RPC answers


class PublicSocietyV1(Contract):
    """Answer of ``registry.get_public_society`` and a directory entry: what anyone may
    read of a society."""

    id: str
    registration_number: str | None
    registration_date: date | None
    name: str
    address: str
    state: str
    district: str | None
    area_of_operation: list[str]
    type: str
    status: str
    office_id: str
    # No return overdue and the audit up to date, as the filings service last announced
    # (None: not announced yet).
    good_standing: bool | None = None


class StandingV1(Contract):
    """A society's good standing with the reasons it is not, as computed on ``as_on``."""

    good_standing: bool
    reasons: list[str]
    as_on: date


class BoardMemberV1(Contract):
    name: str
    membership_number: str
    category: str        # general, women, sc_st; for an office bearer the post


class BoardV1(Contract):
    """The society's board as its newest declared election results made it."""

    election_id: str
    election_number: str
    directors: list[BoardMemberV1]
    directors_declared_at: datetime | None
    office_bearers: list[BoardMemberV1]
    office_bearers_declared_at: datetime | None


class PublicSocietyPageV1(PublicSocietyV1):
    """Answer of ``registry.get_public_society``: the basic details and the board its
    elections declared (None before any), and its good standing with the reasons."""

    board: BoardV1 | None = None
    standing: StandingV1 | None = None


class SocietyV1(PublicSocietyV1):
    """Answer of ``registry.get_society``: the register's full entry."""

    board: BoardV1 | None = None
    standing: StandingV1 | None = None

    board_seats: dict[str, int]
    office_bearers: list[dict[str, str]]
    contacts: ContactsV1
    bye_laws_version: int | None
    branches: list[BranchV1]


class SocietyOfficesV1(Contract):
    """Answer of ``registry.society_offices``: the society's office first, national last."""

    office_ids: list[str] = Field(min_length=1)


# --------------------------------------------------------------------------- events


class SocietyRegisteredV1(Event):
    event_type = "society_registered"

    society_id: str
    registration_number: str
    registration_date: date
    name: str
    type: str
    address: str
    state: str
    district: str | None
    area_of_operation: list[str]
    office_id: str
    office_name: str
    application_id: str


class ApplicationStageChangedV1(Event):
    event_type = "application_stage_changed"

    application_id: str
    kind: str
    stage: str
    previous_stage: str | None
    society_id: str | None
    office_id: str
    applicant: ApplicantV1
    reason: str | None
    hearing: HearingV1 | None
    deadline: datetime | None = None
    at: datetime


class ApplicationDueSoonV1(Event):
    event_type = "application_due_soon"

    application_id: str
    kind: str
    stage: str
    deadline: datetime
    office_id: str
    applicant: ApplicantV1


class ApplicationOverdueV1(Event):
    event_type = "application_overdue"

    application_id: str
    kind: str
    stage: str
    deadline: datetime
    office_id: str
    applicant: ApplicantV1


class ByeLawsAmendedV1(Event):
    """On the wire the bye-laws' version is ``version``; in Python it is
    ``bye_laws_version``, since ``version`` is the event's own version."""

    event_type = "bye_laws_amended"
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)

    society_id: str
    bye_laws_version: int = Field(alias="version")
    document_ids: list[str]
    application_id: str | None = None

    def wire(self) -> dict:
        return self.model_dump(mode="json", by_alias=True)


class BranchOpenedV1(Event):
    event_type = "branch_opened"

    society_id: str
    branch: BranchV1
    application_id: str | None = None


class SocietyStatusChangedV1(Event):
    event_type = "society_status_changed"

    society_id: str
    from_status: str
    to_status: str
    reason: str
    order_ref: str | None
    office_id: str | None = None


# --------------------------------------------------------------------------- commands
# What callers send. The gateway uses the same models as request bodies, so a client
# gets every field's reason before any service is asked; the service validates again.

_Name = Field(min_length=2, max_length=300)
_Place = Field(min_length=2, max_length=100)
_DocumentIds = Field(min_length=1, max_length=50)
_Text = Field(min_length=1, max_length=4000)
_OfficeId = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]{1,64}$")


class OfficeBearerV1(Contract):
    role: str = Field(min_length=2, max_length=60)
    name: str = Field(min_length=2, max_length=200)


class BoardSeatsV1(Contract):
    """Seats by category (seed 003: General 16, Women 2, SC/ST 1)."""

    general: int = Field(ge=0, le=50)
    women: int = Field(ge=0, le=50)
    sc_st: int = Field(ge=0, le=50)


class ContactsInV1(Contract):
    email: str = Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    phone: str = Field(max_length=20, pattern=r"^\+?[0-9 ()-]{6,20}$")
    language: Literal["en", "hi"] = "en"


class RegistrationFormV1(Contract):
    """A registration application's form, complete (checked on submit)."""

    name: str = _Name
    address: str = Field(min_length=5, max_length=500)
    state: str = _Place
    district: str | None = Field(None, min_length=2, max_length=100)
    area_of_operation: list[str] = Field(min_length=1, max_length=40)
    type: SocietyType
    board_seats: BoardSeatsV1
    office_bearers: list[OfficeBearerV1] = Field(min_length=1, max_length=30)
    contacts: ContactsInV1
    bye_law_document_ids: list[str] = _DocumentIds


class ByeLawAmendmentFormV1(Contract):
    summary: str = _Text
    bye_law_document_ids: list[str] = _DocumentIds


class BranchOpeningFormV1(Contract):
    name: str = _Name
    address: str = Field(min_length=5, max_length=500)
    state: str = _Place
    district: str | None = Field(None, min_length=2, max_length=100)
    proposed_opening: date


class ApplicantInV1(Contract):
    name: str = Field(min_length=2, max_length=200)
    email: str | None = Field(None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    phone: str | None = Field(None, max_length=20, pattern=r"^\+?[0-9 ()-]{6,20}$")
    language: Literal["en", "hi"] = "en"


class CreateApplicationV1(Contract):
    """``registry.create_application``: a draft; ``data`` may be partial."""

    kind: ApplicationKind
    office_id: str | None = Field(None, min_length=1, max_length=64,
                                  pattern=r"^[A-Za-z0-9._-]{1,64}$")
    society_id: str | None = Field(None, min_length=1, max_length=36)
    applicant: ApplicantInV1
    data: dict = Field(default_factory=dict)


class SaveDraftV1(Contract):
    """``registry.save_draft``: replace the draft's form (still partial)."""

    application_id: str = Field(min_length=1, max_length=36)
    data: dict


class VerifyPromoterV1(Contract):
    """``registry.verify_promoter``: e-KYC of one promoter (Aadhaar number and OTP)."""

    application_id: str = Field(min_length=1, max_length=36)
    name: str = Field(min_length=2, max_length=200)
    aadhaar_number: str = Field(pattern=r"^[2-9][0-9]{11}$")
    otp: str = Field(pattern=r"^[0-9]{6}$")


APPLICATION_ACTIONS = ("submit", "take_up", "raise_query", "reply", "schedule_hearing",
                       "approve", "reject")


class TransitionV1(Contract):
    """``registry.transition_application``: one step of the workflow."""

    application_id: str = Field(min_length=1, max_length=36)
    action: Literal[APPLICATION_ACTIONS]  # type: ignore[valid-type]
    note: str | None = Field(None, min_length=1, max_length=4000)
    hearing_at: datetime | None = None
    hearing_link: str | None = Field(None, max_length=500, pattern=r"^https://\S+$")
    document_ids: list[str] = Field(default_factory=list, max_length=50)


class SearchSocietiesV1(Contract):
    """``registry.search_societies``: the public directory."""

    q: str | None = Field(None, min_length=2, max_length=100)
    registration_number: str | None = Field(None, min_length=1, max_length=64)
    state: str | None = Field(None, min_length=1, max_length=100)
    district: str | None = Field(None, min_length=1, max_length=100)
    type: SocietyType | None = None
    status: SocietyStatus | None = None
    limit: int = Field(20, ge=1, le=100)
    cursor: str | None = Field(None, max_length=500)


# A registration number format: text with {seq} (required), {year}, {state} and {district},
# each optionally with a format spec ({seq:05d}); literal braces doubled.
_PLACEHOLDER = r"\{(?:seq|year|state|district)(?::[0-9<>^=+ ,._a-zA-Z-]*)?\}"
_LITERAL = r"(?:[^{}]|\{\{|\}\})"
NUMBER_FORMAT_PATTERN = (rf"^(?:{_LITERAL}|{_PLACEHOLDER})*\{{seq(?::[0-9<>^=+ ,._a-zA-Z-]*)?\}}"
                         rf"(?:{_LITERAL}|{_PLACEHOLDER})*$")


class OfficeInV1(Contract):
    id: str = _OfficeId
    name: str = Field(min_length=2, max_length=200)
    level: Literal[OFFICE_LEVELS]  # type: ignore[valid-type]
    parent_id: str | None = Field(None, min_length=1, max_length=64,
                                  pattern=r"^[A-Za-z0-9._-]{1,64}$")
    state: str | None = Field(None, min_length=2, max_length=100)
    district: str | None = Field(None, min_length=2, max_length=100)
    number_format: str = Field(min_length=5, max_length=120, pattern=NUMBER_FORMAT_PATTERN,
                               examples=["MP/IDR/{seq}/{year}"])


class SlaRuleInV1(Contract):
    kind: ApplicationKind
    stage: Literal["submitted", "under_scrutiny", "query_raised", "hearing_scheduled"]
    days: int = Field(ge=1, le=365)
    due_soon_days: int = Field(ge=0, le=60)


class LiquidationOrderV1(Contract):
    """``registry.order_liquidation``: place a society under liquidation."""

    society_id: str = Field(min_length=1, max_length=36)
    order_ref: str = Field(min_length=1, max_length=100)
    ordered_on: date
    reason: str = _Text
    liquidator_name: str = Field(min_length=2, max_length=200)
    liquidator_account_id: str | None = Field(None, min_length=1, max_length=100)
    # The pending proposal (from an inquiry or inspection) this order acts on, if any.
    proposal_id: str | None = Field(None, min_length=36, max_length=36,
                                    pattern=r"^[0-9a-f-]{36}$")


class DeclineProposalV1(Contract):
    """``registry.decline_liquidation_proposal``: the registrar's reasons."""

    proposal_id: str = Field(min_length=36, max_length=36, pattern=r"^[0-9a-f-]{36}$")
    reason: str = _Text


class LiquidationProceedingV1(Contract):
    case_id: str = Field(min_length=1, max_length=36)
    held_on: date
    note: str = _Text
    charge_taken_over: bool | None = None
    traceable: bool | None = None


class LiquidationEntryV1(Contract):
    case_id: str = Field(min_length=1, max_length=36)
    side: Literal["asset", "liability"]
    direction: Literal["added", "reduced"]
    amount: float = Field(gt=0, le=1e15)
    entry_date: date
    description: str = Field(min_length=1, max_length=300)


class LiquidationEndV1(Contract):
    """``registry.end_liquidation``: close (society wound up) or revive."""

    case_id: str = Field(min_length=1, max_length=36)
    outcome: Literal["closed", "revived"]
    ended_on: date
    order_ref: str = Field(min_length=1, max_length=100)
    reason: str = _Text
