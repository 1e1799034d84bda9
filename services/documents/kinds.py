"""What each kind of document may be: the content types it accepts (as detected from the
bytes, never as the client claims) and its size limit."""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
CSV = "text/csv"
TEXT = "text/plain"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"

_SCANS = (PDF, PNG, JPEG)
_OFFICE = (DOCX, XLSX, ODT, ODS)


@dataclass(frozen=True)
class KindRule:
    content_types: tuple[str, ...]
    max_bytes: int
    # Uploaded by people; False: only the service makes them (certificates).
    uploadable: bool = True
    # Readable by anyone, whatever the uploader asks (templates and formats).
    always_public: bool = False


RULES: dict[str, KindRule] = {
    "bye_laws": KindRule((*_SCANS, DOCX, ODT), 50 * MB),
    "balance_sheet": KindRule((*_SCANS, XLSX, ODS, CSV), 50 * MB),
    "audit_report": KindRule((*_SCANS, DOCX, ODT), 100 * MB),
    "annual_return": KindRule((*_SCANS, XLSX, ODS, CSV), 50 * MB),
    "order": KindRule((PDF,), 20 * MB),
    "certificate": KindRule((PDF,), 5 * MB, uploadable=False),
    # A voter list of tens of thousands of members, as a CSV or a printed PDF.
    "voter_list": KindRule((CSV, TEXT, PDF, XLSX, ODS), 256 * MB),
    "newspaper_cutting": KindRule((PDF, PNG, JPEG), 20 * MB),
    "template": KindRule((PDF, *_OFFICE, CSV, TEXT), 20 * MB, always_public=True),
    "correspondence": KindRule((*_SCANS, DOCX, ODT, TEXT), 20 * MB),
    "other": KindRule(_SCANS + _OFFICE + (CSV, TEXT), 50 * MB),
}

# The largest body any upload may have (the gateway's ceiling for upload routes).
LARGEST_UPLOAD = max(rule.max_bytes for rule in RULES.values())
TEXT_TYPES = (CSV, TEXT)


def rule_for(kind: str) -> KindRule:
    return RULES[kind]
