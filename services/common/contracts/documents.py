"""Contracts the documents service publishes and answers: upload slots, documents and their
versions, download tickets, certificates and their verification, and the events
``document_stored``, ``document_version_added`` and ``certificate_issued``.

Bytes never appear here: a contract carries ids, sizes, checksums and signed tokens that
the documents service's HTTP data plane accepts for the bytes themselves."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar, Literal

from pydantic import Field, model_validator

from services.common.contracts.base import Contract, Event

AccessLevel = Literal["public", "citizens_with_otp", "society_and_office", "office_only"]
ACCESS_LEVELS: tuple[str, ...] = ("public", "citizens_with_otp", "society_and_office",
                                  "office_only")
DocumentKind = Literal[
    "bye_laws", "balance_sheet", "audit_report", "annual_return", "order", "certificate",
    "voter_list", "newspaper_cutting", "template", "correspondence", "other",
]
# What a document belongs to: ``<kind>:<id>``, the same shape as a grant's scope.
OWNER_PATTERN = r"^(society|election|case|filing|application|office):[A-Za-z0-9._-]{1,64}$"
ID_PATTERN = r"^[A-Za-z0-9._-]{1,64}$"
DOCUMENT_ID_PATTERN = r"^[0-9a-f]{32}$"
SHA256_PATTERN = r"^[0-9a-f]{64}$"


# ------------------------------------------------------------------------- uploads


class BeginUploadV1(Contract):
    """``documents.begin_upload``: a new document, or (``document_id`` set) a new version
    of one. Sizes and checksums the client declares are checked against the bytes."""

    owner: str | None = Field(None, pattern=OWNER_PATTERN)
    society_id: str | None = Field(None, pattern=ID_PATTERN)
    kind: DocumentKind | None = None
    category: str | None = Field(None, min_length=1, max_length=100)
    title: str | None = Field(None, min_length=1, max_length=300)
    file_name: str = Field(min_length=1, max_length=255)
    access_level: AccessLevel | None = None
    declared_size: int | None = Field(None, ge=0)
    declared_sha256: str | None = Field(None, pattern=SHA256_PATTERN)
    document_id: str | None = Field(None, pattern=DOCUMENT_ID_PATTERN)

    @model_validator(mode="after")
    def _new_or_version(self) -> BeginUploadV1:
        if self.document_id is None:
            missing = [name for name in ("owner", "kind", "title", "access_level")
                       if getattr(self, name) is None]
            if missing:
                raise ValueError("a new document needs " + ", ".join(missing))
        return self


class UploadSlotV1(Contract):
    """Answer of ``begin_upload``: where to PUT the bytes, until when, how many at most."""

    slot_id: str
    upload_url: str
    expires_at: datetime
    max_bytes: int


class VersionV1(Contract):
    version: int
    file_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: datetime


class DocumentV1(Contract):
    """A document with its current version (and, when asked for, every version)."""

    document_id: str
    owner: str
    society_id: str | None
    kind: str
    category: str | None
    title: str
    access_level: AccessLevel
    created_at: datetime
    current: VersionV1
    versions: list[VersionV1] = []


# ------------------------------------------------------------------------- reads


class GetDocumentV1(Contract):
    document_id: str = Field(pattern=DOCUMENT_ID_PATTERN)


class OpenDownloadV1(Contract):
    document_id: str = Field(pattern=DOCUMENT_ID_PATTERN)
    version: int | None = Field(None, ge=1)


class DownloadTicketV1(Contract):
    """Answer of ``open_download``: a signed, short-lived URL on the data plane."""

    download_url: str
    document_id: str
    version: int
    file_name: str
    content_type: str
    size: int
    sha256: str
    access_level: AccessLevel


class ListDocumentsV1(Contract):
    """``list_documents``: by owner (or society), newest first; ``public_only`` lists what
    anyone may read (templates and formats among them)."""

    owner: str | None = Field(None, pattern=OWNER_PATTERN)
    society_id: str | None = Field(None, pattern=ID_PATTERN)
    kind: DocumentKind | None = None
    category: str | None = Field(None, min_length=1, max_length=100)
    public_only: bool = False
    limit: int = Field(50, ge=1, le=100)
    cursor: str | None = Field(None, max_length=200)


class DocumentPageV1(Contract):
    items: list[DocumentV1]
    next_cursor: str | None


class ListDownloadsV1(Contract):
    document_id: str = Field(pattern=DOCUMENT_ID_PATTERN)
    limit: int = Field(50, ge=1, le=100)
    cursor: str | None = Field(None, max_length=200)


class DownloadRecordV1(Contract):
    version: int
    actor_id: str
    actor_role: str
    actor_scope: str | None
    request_id: str
    downloaded_at: datetime


class DownloadPageV1(Contract):
    items: list[DownloadRecordV1]
    next_cursor: str | None


# ------------------------------------------------------------------------- certificates


class IssueOrderCertificateV1(Contract):
    """``issue_order_certificate``: the office issues an order about a society as a
    verifiable PDF."""

    society_id: str = Field(pattern=ID_PATTERN)
    order_number: str = Field(min_length=1, max_length=100)
    order_date: date
    title: str = Field(min_length=1, max_length=300)
    text: str = Field(min_length=1, max_length=4000)
    access_level: AccessLevel = "society_and_office"


class IssueReturnPdfV1(Contract):
    """``issue_return_pdf``: a submitted or accepted return as a verifiable PDF, read from
    the filings service with the caller's own context."""

    filing_id: str = Field(min_length=36, max_length=36, pattern=r"^[0-9a-f-]{36}$")


# A printed verification code as a person may type it: 12 of the code's letters and digits
# (any case; I, L and O read as 1, 1 and 0; U is never one), with dashes or spaces
# anywhere (services/documents/certificates.normalise_code takes exactly these).
CERTIFICATE_CODE_PATTERN = r"^[- ]*(?:[0-9A-TV-Za-tv-z][- ]*){12}$"


class VerifyCertificateV1(Contract):
    """``verify_certificate``: by the printed code, by the SHA-256 of a file, or both (then
    the file must be the very one the code names)."""

    code: str | None = Field(None, min_length=1, max_length=32,
                             pattern=CERTIFICATE_CODE_PATTERN)
    sha256: str | None = Field(None, pattern=SHA256_PATTERN)

    @model_validator(mode="after")
    def _something(self) -> VerifyCertificateV1:
        if self.code is None and self.sha256 is None:
            raise ValueError("give a verification code, a file, or both")
        return self


class CertificateVerificationV1(Contract):
    genuine: bool
    # None when no file was given; False when a file was given and it is not the one.
    file_matches: bool | None = None
    verification_code: str | None = None
    certificate_kind: str | None = None
    subject: dict[str, Any] | None = None
    issued_at: datetime | None = None
    document_id: str | None = None
    version: int | None = None
    sha256: str | None = None


class CertificateV1(Contract):
    document_id: str
    version: int
    verification_code: str
    certificate_kind: str
    society_id: str
    sha256: str
    issued_at: datetime


# ------------------------------------------------------------------------- events


class DocumentStoredV1(Event):
    """A new document fully arrived, matched its checks and was recorded."""

    event_type: ClassVar[str] = "document_stored"

    document_id: str
    # Not ``version``: that name is the event contract's own version (``Event.version``).
    document_version: int
    owner: str
    society_id: str | None
    kind: str
    category: str | None
    title: str
    content_type: str
    size: int
    sha256: str
    access_level: AccessLevel
    uploaded_by: str
    uploaded_at: datetime


class DocumentVersionAddedV1(DocumentStoredV1):
    """A new version of an existing document; the old versions stay as they were."""

    event_type: ClassVar[str] = "document_version_added"

    previous_version: int


class CertificateIssuedV1(Event):
    event_type: ClassVar[str] = "certificate_issued"

    document_id: str
    document_version: int
    society_id: str
    certificate_kind: Literal["registration", "order", "form_19m", "form_19n"]
    verification_code: str
    subject: dict[str, Any]
    issued_at: datetime
