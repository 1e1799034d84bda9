"""Contracts the registry publishes and answers about the member register.

The field types below are the register's rules (lengths, patterns, enumerations); the
RPC payloads and the CSV import rows use the same ones, so a member is valid in exactly
one sense wherever it comes from.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, StringConstraints
from pydantic.json_schema import SkipJsonSchema

from services.common.contracts.base import NOT_BLANK, Contract, Event

CATEGORIES = ("individual", "firm", "society")
STATUSES = ("active", "ceased")
# ISO 639 codes of the languages the platform writes to members in (notify's templates).
LANGUAGES = ("en", "hi", "as", "bn", "gu", "kn", "ml", "mr", "or", "pa", "ta", "te", "ur")
# A page of a snapshot, an export or a contact list; bigger answers are paged.
MAX_PAGE = 5000
MAX_SEARCH_PAGE = 500
# Rows per add_member_import_rows call: a chunk stays far below a reasonable RPC reply.
MAX_IMPORT_CHUNK = 2000
# Bad rows an import answer lists; the count covers all of them.
MAX_REPORTED_BAD_ROWS = 1000
# CSV columns of an import; a bulk file for many societies adds one of SOCIETY_COLUMNS.
IMPORT_REQUIRED_COLUMNS = ("membership_number", "name", "category", "admission_date")
IMPORT_OPTIONAL_COLUMNS = ("phone", "email", "language", "shares")
IMPORT_SOCIETY_COLUMNS = ("society_id", "society_registration_number")


def _blank_to_none(value: Any) -> Any:
    """CSV cells and form fields send "" for "nothing"."""
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _not_future(value: date) -> date:
    if value > date.today():
        raise ValueError("must not be in the future")
    return value


SocietyId = Annotated[str, StringConstraints(min_length=1, max_length=64,
                                             pattern=r"^[A-Za-z0-9._-]{1,64}$")]
MemberId = Annotated[str, StringConstraints(min_length=1, max_length=36,
                                            pattern=r"^[A-Za-z0-9-]{1,36}$")]
MembershipNumber = Annotated[str, StringConstraints(
    strip_whitespace=True, min_length=1, max_length=32,
    pattern=r"^[A-Za-z0-9][A-Za-z0-9/._-]*$")]
MemberName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                              pattern=NOT_BLANK, max_length=200)]
Category = Literal["individual", "firm", "society"]
Status = Literal["active", "ceased"]
StatusFilter = Literal["active", "ceased", "any"]
Language = Literal["en", "hi", "as", "bn", "gu", "kn", "ml", "mr", "or", "pa", "ta", "te",
                   "ur"]
# Indian mobile or landline with optional country code: 10 to 15 digits.
Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9]{10,15}$")]
Email = Annotated[str, StringConstraints(strip_whitespace=True, max_length=254,
                                         pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
Shares = Annotated[int, Field(ge=0, le=1_000_000_000)]
PastDate = Annotated[date, AfterValidator(_not_future)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200,
                                          pattern=NOT_BLANK)]
Cursor = Annotated[str, StringConstraints(min_length=1, max_length=200)]
OptionalPhone = Annotated[Phone | None, BeforeValidator(_blank_to_none)]
OptionalEmail = Annotated[Email | None, BeforeValidator(_blank_to_none)]
OptionalShares = Annotated[Shares | None, BeforeValidator(_blank_to_none)]


# ----------------------------------------------------------------------------- members


class MemberFieldsV1(Contract):
    """What a member is: the fields an admission sets and a CSV row carries."""

    membership_number: MembershipNumber
    name: MemberName
    category: Category
    admission_date: PastDate
    phone: OptionalPhone = None
    email: OptionalEmail = None
    language: Annotated[Language, BeforeValidator(lambda v: _blank_to_none(v) or "en")] = "en"
    shares: OptionalShares = None


class AddMemberV1(MemberFieldsV1):
    """Payload of ``registry.add_member``."""

    society_id: SocietyId


class MemberChangesV1(Contract):
    """The fields of a member to change: only those sent change (``phone`` or ``email``
    sent as null clears them). ``effective_date`` (default today) is the day from which
    the new values hold; snapshots before it keep the old ones."""

    # At least one field to change (UPDATABLE_FIELDS, below): the service refuses less.
    model_config = ConfigDict(json_schema_extra={"anyOf": [
        {"required": [name]} for name in ("name", "category", "phone", "email", "language",
                                          "shares")]})

    # Only phone, email and shares may be sent as null (CLEARABLE_FIELDS); the schema
    # offers null for no other field.
    effective_date: PastDate | SkipJsonSchema[None] = None
    name: MemberName | SkipJsonSchema[None] = None
    category: Category | SkipJsonSchema[None] = None
    phone: OptionalPhone = None
    email: OptionalEmail = None
    language: Language | SkipJsonSchema[None] = None
    shares: OptionalShares = None


class UpdateMemberV1(MemberChangesV1):
    """Payload of ``registry.update_member``: the changes and whose they are."""

    society_id: SocietyId
    member_id: MemberId


UPDATABLE_FIELDS = ("name", "category", "phone", "email", "language", "shares")
# Fields that may be cleared with null; the others only take new values.
CLEARABLE_FIELDS = ("phone", "email", "shares")


class CeaseMemberV1(Contract):
    """Payload of ``registry.cease_member``. Cessation never deletes: the member stays in
    the register (status ``ceased``) and in every snapshot before the date."""

    society_id: SocietyId
    member_id: MemberId
    cessation_date: PastDate
    reason: Reason


class GetMemberV1(Contract):
    society_id: SocietyId
    member_id: MemberId


class ActiveMembershipNumbersV1(Contract):
    """Payload of ``registry.active_membership_numbers``: which of these numbers are
    active members of the society now. For services checking a list someone gave them
    (an inquiry's supporting voters); no HTTP route reaches it, and it answers only
    the numbers, never a member's details."""

    society_id: SocietyId
    membership_numbers: Annotated[list[MembershipNumber], Field(min_length=1,
                                                                max_length=1000)]


class MemberV1(Contract):
    """A member as the register holds it (now, or as on a date)."""

    member_id: str
    society_id: str
    membership_number: str
    name: str
    category: Category
    admission_date: date
    cessation_date: date | None
    cessation_reason: str | None
    status: Status
    phone: str | None
    email: str | None
    language: str
    shares: int | None
    # The day from which these values hold (admission, or the last change before it).
    valid_from: date


class MemberFiltersV1(Contract):
    category: Category | None = None
    status: StatusFilter = "active"


class ListMembersV1(Contract):
    """Payload of ``registry.list_members``: the register now, or as on ``as_on`` (members
    admitted on or before it and not ceased on or before it), one keyset page at a time
    in membership-number order. Snapshots and CSV exports page through it."""

    society_id: SocietyId
    as_on: date | None = None
    filters: MemberFiltersV1 = MemberFiltersV1()
    after: Cursor | None = None
    limit: Annotated[int, Field(ge=1, le=MAX_PAGE)] = 1000


class MemberPageV1(Contract):
    items: list[MemberV1]
    next: str | None


class SearchMembersV1(Contract):
    """Payload of ``registry.search_members``: the current register, by name or number."""

    society_id: SocietyId
    q: Annotated[str | None, StringConstraints(strip_whitespace=True, min_length=1,
                                               pattern=NOT_BLANK, max_length=100)] = None
    category: Category | None = None
    status: StatusFilter = "any"
    admitted_from: date | None = None
    admitted_to: date | None = None
    after: Cursor | None = None
    limit: Annotated[int, Field(ge=1, le=MAX_SEARCH_PAGE)] = 50


class ListMemberContactsV1(Contract):
    """Payload of ``registry.list_member_contacts`` (mass communication pages it)."""

    society_id: SocietyId
    as_on: date | None = None
    filters: MemberFiltersV1 = MemberFiltersV1()
    after: Cursor | None = None
    limit: Annotated[int, Field(ge=1, le=MAX_PAGE)] = 1000


class MemberContactV1(Contract):
    member_id: str
    membership_number: str
    name: str
    category: Category
    phone: str | None
    email: str | None
    language: str


class MemberContactPageV1(Contract):
    items: list[MemberContactV1]
    next: str | None


# ----------------------------------------------------------------------------- import


class BeginMemberImportV1(Contract):
    society_id: SocietyId


class ImportRowV1(Contract):
    """One CSV line: its number in the file (the header is line 1) and its cells by
    column name, unvalidated (the service validates and reports per line)."""

    line: Annotated[int, Field(ge=2)]
    cells: dict[Annotated[str, StringConstraints(max_length=64)],
                Annotated[str | None, StringConstraints(max_length=1000)]]
    # What made the line unreadable before its cells could be checked (a wrong number
    # of cells): the service counts it as a bad row with this reason.
    problem: Annotated[str | None, StringConstraints(max_length=200)] = None


class AddMemberImportRowsV1(Contract):
    society_id: SocietyId
    job_id: MemberId
    rows: Annotated[list[ImportRowV1], Field(min_length=1, max_length=MAX_IMPORT_CHUNK)]


class FinishMemberImportV1(Contract):
    society_id: SocietyId
    job_id: MemberId
    skip_bad_rows: bool = False


class BadRowV1(Contract):
    line: int
    field: str
    reason: str


class MemberImportJobV1(Contract):
    """A staged import: ``open`` while rows arrive; ``imported`` or ``rejected`` after
    ``finish_member_import`` (rejected: bad rows and ``skip_bad_rows`` false; nothing
    was applied)."""

    job_id: str
    society_id: str | None
    status: Literal["open", "imported", "rejected"]
    rows_received: int
    bad_row_count: int
    imported: int
    bad_rows: list[BadRowV1] = []
    bad_rows_truncated: bool = False


# ----------------------------------------------------------------------------- events


class MemberAdmittedV1(Event):
    event_type: ClassVar[str] = "member_admitted"

    society_id: str
    member_id: str
    membership_number: str
    name: str
    category: Category
    admission_date: date


class MemberUpdatedV1(Event):
    """A member's details changed from ``effective_date``; ``changed`` names the fields
    (values are read from the register: contacts do not travel in events)."""

    event_type: ClassVar[str] = "member_updated"

    society_id: str
    member_id: str
    membership_number: str
    effective_date: date
    changed: list[str]


class MemberCeasedV1(Event):
    event_type: ClassVar[str] = "member_ceased"

    society_id: str
    member_id: str
    membership_number: str
    cessation_date: date
    reason: str


class MembersImportedV1(Event):
    """One per society per import job (never one per row)."""

    event_type: ClassVar[str] = "members_imported"

    society_id: str
    job_id: str
    count: int

