"""Contracts of the filings service: form definitions, filings and their lifecycle, and
the events it publishes (notify turns the due-soon and overdue ones into reminders, the
registry shows a society's good standing in its directory)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from services.common.contracts.base import Contract, Event

FILING_STATUSES = ("draft", "submitted", "accepted", "returned")

FormCode = Annotated[str, StringConstraints(min_length=2, max_length=40,
                                            pattern=r"^[A-Za-z0-9/&._ -]{2,40}$")]
FilingId = Annotated[str, StringConstraints(min_length=36, max_length=36,
                                            pattern=r"^[0-9a-f-]{36}$")]
FilerId = Annotated[str, StringConstraints(min_length=1, max_length=64,
                                           pattern=r"^[A-Za-z0-9._-]{1,64}$")]


class FormSummaryV1(Contract):
    code: str
    jurisdiction: str
    version: int
    filer: Literal["society", "office"]
    title: dict[str, str]


class FormPageV1(Contract):
    items: list[FormSummaryV1]
    next_offset: int | None = None


class PublishDefinitionV1(Contract):
    definition: dict[str, Any]


class StartFilingV1(Contract):
    form_code: FormCode
    filer_kind: Literal["society", "office"] = "society"
    filer_id: FilerId
    period_end: date
    values: dict[str, Any] = Field(default_factory=dict)


class SaveDraftV1(Contract):
    filing_id: FilingId
    values: dict[str, Any]


class FilingRefV1(Contract):
    filing_id: FilingId


class DecideFilingV1(Contract):
    filing_id: FilingId
    remarks: str | None = Field(None, max_length=4000)


class ReturnFilingV1(Contract):
    filing_id: FilingId
    remarks: str = Field(min_length=3, max_length=4000)


class SubmissionV1(Contract):
    number: int
    ack_number: str
    submitted_at: datetime
    submitted_by: str
    late: bool
    outcome: str | None = None
    remarks: str | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None


class FilingV1(Contract):
    id: str
    form_code: str
    jurisdiction: str
    form_version: int
    filer_kind: str
    filer_id: str
    filer_name: str
    period_end: date
    due_on: date
    status: str
    values: dict[str, Any]
    ack_number: str | None = None
    submitted_at: datetime | None = None
    late: bool
    days_late: int
    remarks: str | None = None
    submissions: list[SubmissionV1] = Field(default_factory=list)


class FilingQueryV1(Contract):
    form_code: FormCode | None = None
    filer_id: FilerId | None = None
    status: Literal["draft", "submitted", "accepted", "returned"] | None = None
    late: bool | None = None
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=100_000)


class FilingPageV1(Contract):
    items: list[FilingV1]
    next_offset: int | None = None


class FilingSubmittedV1(Event):
    """A return was submitted (or resubmitted): the office's queue, the filer's mailbox."""

    event_type = "filing_submitted"

    filing_id: str
    form_code: str
    filer_kind: str
    filer_id: str
    filer_name: str
    period_end: date
    ack_number: str
    submitted_at: datetime
    late: bool


class FilingDecidedV1(Event):
    """The office accepted a return or returned it for correction with its remarks."""

    event_type = "filing_decided"

    filing_id: str
    form_code: str
    filer_kind: str
    filer_id: str
    period_end: date
    outcome: Literal["accepted", "returned"]
    remarks: str | None = None


class SocietyStandingChangedV1(Event):
    """A society's good standing was first computed or changed (a return filed, decided or
    fallen overdue, an audit recorded): the registry shows it in its directory."""

    event_type = "society_standing_changed"

    society_id: str
    good_standing: bool
    reasons: list[str]
    as_on: date
    changed_at: datetime


class FilingDueSoonV1(Event):
    """A society's return is due within the reminder window and not yet filed (sent once
    per form, society and period): notify reminds the society."""

    event_type = "filing_due_soon"

    form_code: str
    form_title: dict[str, str]
    society_id: str
    society_name: str
    period_end: date
    due_on: date


class FilingOverdueV1(Event):
    """A society's return is past its due date and not filed (sent once)."""

    event_type = "filing_overdue"

    form_code: str
    form_title: dict[str, str]
    society_id: str
    society_name: str
    period_end: date
    due_on: date


class OfficeFilingDueSoonV1(Event):
    """An office's own return (one an office files, e.g. a movement-at-a-glance table) is
    due within the reminder window and not yet filed (sent once per form, office, period):
    notify posts it to the office's mailbox, which its staff read."""

    event_type = "office_filing_due_soon"

    form_code: str
    form_title: dict[str, str]
    office_id: str
    office_name: str
    period_end: date
    due_on: date


class OfficeFilingOverdueV1(Event):
    """An office's own return is past its due date and not filed (sent once)."""

    event_type = "office_filing_overdue"

    form_code: str
    form_title: dict[str, str]
    office_id: str
    office_name: str
    period_end: date
    due_on: date
