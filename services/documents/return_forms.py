"""A filed return as a verifiable PDF: the return as the filings service holds it (read
with the caller's own context, so a return one may not see is not printed for one),
laid out by its form's definition: each section, each field with its English and Hindi
label, each table's cells; amounts in ₹ with Indian grouping, dates DD-MM-YYYY. One PDF
per submission of a return (``owner`` below): a return sent back and filed again gets a
new one, the earlier stays."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from services.common.india import day_text, moment_text, paise_of, rupees_text
from services.documents import certificates

PRINTED = ("submitted", "accepted")
STATUS = {"submitted": "submitted / प्रस्तुत", "accepted": "accepted / स्वीकृत"}


def certificate_kind(submission: int) -> str:
    """One certificate kind per submission (the column holds 20 characters)."""
    return f"return_{submission}"


def owner(filing: dict[str, Any]) -> tuple[str, str]:
    """(owner, society_id) of a return's PDF. A society's return: owner ``filing:<id>``
    about the society (its grants and the offices over it read it). An office's own
    return: owner ``office:<id>`` (that office's staff read it), about the return
    itself, so each return of the office is its own certificate."""
    if filing["filer_kind"] == "society":
        return f"filing:{filing['id']}", filing["filer_id"]
    return f"office:{filing['filer_id']}", filing["id"]


def subject(filing: dict[str, Any]) -> dict[str, Any]:
    """What the certificate certifies (kept with it and answered by verify)."""
    latest = filing["submissions"][-1]
    return {"filing_id": filing["id"], "form_code": filing["form_code"],
            "form_version": filing["form_version"], "filer_kind": filing["filer_kind"],
            "filer_id": filing["filer_id"], "filer_name": filing["filer_name"],
            "period_end": filing["period_end"], "submission": latest["number"],
            "ack_number": latest["ack_number"], "submitted_at": latest["submitted_at"]}


def _label(raw: dict[str, str] | None, fallback: str) -> str:
    raw = raw or {}
    english, hindi = raw.get("en") or fallback, raw.get("hi")
    return f"{english}\n{hindi}" if hindi and hindi != english else english


def value_text(value: Any, kind: str) -> str:
    """A field's value as printed: ₹ with Indian grouping for amounts, ₹ lakh for
    amounts in lakh, dates DD-MM-YYYY, yes/no; blank as "—"."""
    if value is None or value == "":
        return "—"
    if kind in ("amount", "amount_lakh"):
        try:
            paise = paise_of(value)
        except (InvalidOperation, ValueError, TypeError):
            return str(value)
        text = rupees_text(paise)
        return f"{text} lakh / लाख" if kind == "amount_lakh" else text
    if kind == "count":
        try:
            whole = int(Decimal(str(value)))
        except (InvalidOperation, ValueError):
            return str(value)
        return rupees_text(whole * 100).replace("₹", "")       # 12,34,567
    if kind == "percent":
        return f"{value} %"
    if kind == "date":
        try:
            return day_text(str(value))
        except ValueError:
            return str(value)
    if isinstance(value, bool):
        return "yes / हाँ" if value else "no / नहीं"
    return str(value)


def lines_of(definition: dict[str, Any], values: dict[str, Any]) -> list[tuple[str, str]]:
    """Every section's fields and tables as (label, value) lines, in the form's order."""
    lines: list[tuple[str, str]] = []
    for section in definition.get("sections", []):
        # a section's title on a line of its own (a blank that prints: no-break space)
        lines.append((_label(section.get("title"), section["id"]), "\u00a0"))
        for field in section.get("fields", []):
            lines.append((_label(field.get("label"), field["id"]),
                          value_text(values.get(field["id"]), field.get("type", "text"))))
        for table in section.get("tables", []):
            lines.extend(_table_lines(table, values.get(table["id"])))
    return lines


def _table_lines(table: dict[str, Any], cells: Any) -> list[tuple[str, str]]:
    title = _label(table.get("label"), table["id"])
    columns = table.get("columns", [])
    rows = table.get("rows") or []
    out: list[tuple[str, str]] = []
    if rows:                                     # fixed rows: one line per row
        cells = cells if isinstance(cells, dict) else {}
        for row in rows:
            found = cells.get(row["key"]) or {}
            out.append((f"{title}: {_label(row.get('label'), row['key'])}",
                        "\n".join(f"{_label(c.get('label'), c['id']).splitlines()[0]}: "
                                  f"{value_text(found.get(c['id']), c.get('type', 'text'))}"
                                  for c in columns)))
        return out
    entries = cells if isinstance(cells, list) else []
    if not entries:
        return [(title, "—")]
    for number, entry in enumerate(entries, start=1):
        entry = entry if isinstance(entry, dict) else {}
        out.append((f"{title} ({number})",
                    "\n".join(f"{_label(c.get('label'), c['id']).splitlines()[0]}: "
                              f"{value_text(entry.get(c['id']), c.get('type', 'text'))}"
                              for c in columns)))
    return out


def return_pdf(subject_: dict[str, Any], filing: dict[str, Any],
               definition: dict[str, Any], code: str, verify_url: str,
               issued_at: datetime) -> bytes:
    title = definition.get("title") or {}
    submitted = datetime.fromisoformat(subject_["submitted_at"])
    head = [
        ("Filed by / दाखिलकर्ता", f"{filing['filer_name']} ({filing['filer_id']})"),
        ("Period ended / अवधि समाप्ति", day_text(filing["period_end"])),
        ("Due on / देय तिथि", day_text(filing["due_on"])),
        ("Acknowledgement / पावती", subject_["ack_number"]),
        ("Submitted / प्रस्तुत", f"{moment_text(submitted)} (submission "
                                 f"{subject_['submission']})"),
        ("Status / स्थिति", STATUS.get(filing["status"], filing["status"])),
        ("Days late / विलंब के दिन", str(filing.get("days_late") or 0)),
        ("Form / प्ररूप", f"{filing['form_code']}, version {filing['form_version']} "
                          f"({filing['jurisdiction']})"),
    ]
    return certificates.render(
        heading=f"{title.get('en', filing['form_code'])}\n{title.get('hi', '')}".strip(),
        issuer="Filed on the co-operative societies platform / "
               "सहकारी समितियों के प्लेटफ़ॉर्म पर दाखिल",
        lines=head + lines_of(definition, filing.get("values") or {}),
        body="This is the return as filed; the office's decision is recorded on the "
             "platform. यह विवरणी दाखिल रूप में है; कार्यालय का निर्णय प्लेटफ़ॉर्म पर दर्ज है।",
        code=code, verify_url=verify_url, issued_at=issued_at)
