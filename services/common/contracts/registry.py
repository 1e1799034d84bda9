"""Contracts the registry publishes and answers about societies, offices and applications.

Events carry the facts a consumer needs to act without calling back (documents builds the
registration certificate from ``society_registered`` alone; notify reaches the applicant
from the ``applicant`` block of stage and deadline events).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

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


class ApplicantV1(Contract):
    """Who filed an application and how to reach them (notify needs no lookup)."""

    account_id: str
    name: str
    email: str | None = None
    phone: str | None = None
    language: str = "en"


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


class SocietyV1(Contract):
    """Answer of ``registry.get_society``: the register's full entry."""

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
    event_type = "bye_laws_amended"

    society_id: str
    version: int
    document_ids: list[str]
    application_id: str | None = None


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
