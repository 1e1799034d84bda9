"""Certificates as PDFs: the registration certificate of a society and the office's
orders, each with a verification code and a QR code pointing at the public verify page.

The PDF is made with reportlab in invariant mode (no creation date, no random document
id), so the same facts give the same bytes; its SHA-256 is recorded, and a file someone
presents later is genuine and unaltered exactly when its SHA-256 is a recorded one.

Verification codes: 12 characters of Crockford's base32 (60 random bits), printed as
``XXXX-XXXX-XXXX``; readers may type them in any case, with or without dashes, and with
O for 0 or I/L for 1."""

from __future__ import annotations

import io
import secrets
from datetime import datetime
from typing import Any

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12
_TYPOS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str | None:
    """The stored form of a typed code, or None if it cannot be one."""
    code = text.upper().replace("-", "").replace(" ", "").translate(_TYPOS)
    if len(code) != CODE_LENGTH or any(c not in ALPHABET for c in code):
        return None
    return code


def printed(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def _ascii(value: Any) -> str:
    """Helvetica draws Latin-1 only; other scripts are kept in the record and the event,
    and shown here as '?' rather than as missing glyphs."""
    if isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value)
    return str(value).encode("latin-1", "replace").decode("latin-1")


def render(*, heading: str, lines: list[tuple[str, Any]], body: str | None, code: str,
           verify_url: str, issued_at: datetime, issuer: str) -> bytes:
    """One A4 page: heading, the facts certified, an optional body text, the code and
    the QR code. Same arguments, same bytes."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1)
    pdf.setTitle(heading)
    pdf.setAuthor(_ascii(issuer))
    width, height = A4
    y = height - 30 * mm
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawCentredString(width / 2, y, _ascii(heading))
    y -= 8 * mm
    pdf.setFont("Helvetica", 10)
    pdf.drawCentredString(width / 2, y, _ascii(issuer))
    y -= 16 * mm
    for label, value in lines:
        if value in (None, "", []):
            continue
        pdf.setFont("Helvetica-Bold", 11)
        pdf.drawString(25 * mm, y, _ascii(label))
        pdf.setFont("Helvetica", 11)
        pdf.drawString(80 * mm, y, _ascii(value)[:90])
        y -= 8 * mm
    if body:
        y -= 4 * mm
        text = pdf.beginText(25 * mm, y)
        text.setFont("Helvetica", 10)
        for paragraph in body.splitlines() or [""]:
            words, line = _ascii(paragraph).split(), ""
            for word in words:
                if len(line) + len(word) + 1 > 95:
                    text.textLine(line)
                    line = word
                else:
                    line = f"{line} {word}".strip()
            text.textLine(line)
        pdf.drawText(text)
    qr = QrCodeWidget(verify_url)
    x0, y0, x1, y1 = qr.getBounds()
    size = 35 * mm
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(qr)
    renderPDF.draw(drawing, pdf, width - 25 * mm - size, 25 * mm)
    pdf.setFont("Helvetica-Bold", 12)
    pdf.drawString(25 * mm, 45 * mm, f"Verification code: {printed(code)}")
    pdf.setFont("Helvetica", 9)
    pdf.drawString(25 * mm, 38 * mm, f"Issued {issued_at.strftime('%Y-%m-%d %H:%M UTC')}")
    pdf.drawString(25 * mm, 32 * mm, _ascii(f"Verify at {verify_url}")[:100])
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def registration_subject(event) -> dict[str, Any]:
    """What a registration certificate certifies, from registry's event."""
    facts = {
        "society_id": event.society_id,
        "registration_number": event.registration_number,
        "registration_date": (str(event.registration_date)
                              if event.registration_date is not None else None),
        "name": event.name,
        "type": event.type,
        "address": event.address,
        "state": event.state,
        "district": event.district,
        "area_of_operation": event.area_of_operation,
        "office_id": event.office_id,
        "office_name": event.office_name,
    }
    return {key: value for key, value in facts.items() if value not in (None, "", [])}


def registration_pdf(subject: dict[str, Any], code: str, verify_url: str,
                     issued_at: datetime) -> bytes:
    return render(
        heading="Certificate of Registration",
        issuer=subject.get("office_name") or "Registrar of Cooperative Societies",
        lines=[("Society", subject.get("name")),
               ("Registration number", subject.get("registration_number")),
               ("Date of registration", subject.get("registration_date")),
               ("Type", subject.get("type")),
               ("Address", subject.get("address")),
               ("State / district", " / ".join(
                   str(subject[k]) for k in ("state", "district") if subject.get(k))),
               ("Area of operation", subject.get("area_of_operation"))],
        body=("This is to certify that the society named above has been registered "
              "under the applicable Co-operative Societies Act."),
        code=code, verify_url=verify_url, issued_at=issued_at)


def order_pdf(subject: dict[str, Any], text: str, code: str, verify_url: str,
              issued_at: datetime) -> bytes:
    return render(
        heading=subject["title"], issuer="Registrar of Cooperative Societies",
        lines=[("Order number", subject["order_number"]),
               ("Order date", subject["order_date"]),
               ("Society", subject["society_id"])],
        body=text, code=code, verify_url=verify_url, issued_at=issued_at)
