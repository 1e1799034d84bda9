"""Certificates as PDFs: the registration certificate of a society and the office's
orders, each with a verification code and a QR code pointing at the public verify page.

The PDF is made with fpdf2, its text shaped by HarfBuzz (uharfbuzz) in the Noto Sans fonts
shipped beside this module (fonts/, SIL Open Font License: fonts/OFL.txt): Latin in Noto
Sans, Devanagari (Hindi, Marathi, ...) in Noto Sans Devanagari with its conjuncts and vowel
signs, and the embedded subsets carry a ToUnicode map, so the text copies and extracts
back as written. The PDF is deterministic: its creation date is the issue time and its
file id a hash of its content, so the same facts give the same bytes; its SHA-256 is
recorded, and a file someone presents later is genuine and unaltered exactly when its
SHA-256 is a recorded one.

Verification codes: 12 characters of Crockford's base32 (60 random bits), printed as
``XXXX-XXXX-XXXX``; readers may type them in any case, with or without dashes, and with
O for 0 or I/L for 1."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import segno
from fpdf import FPDF
from fpdf.enums import Align, PathPaintRule, XPos, YPos
from fpdf.fonts import TTFFont
from fpdf.output import OutputProducer

from services.common import india

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12
_TYPOS = str.maketrans({"O": "0", "I": "1", "L": "1"})

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
# family -> style -> file; the first family is the main one, the others fill in the
# characters it lacks (fpdf2's fallback fonts, each run shaped in its own font).
_FONTS = {
    "NotoSans": {"": "NotoSans-Regular.ttf", "B": "NotoSans-Bold.ttf"},
    "NotoSansDevanagari": {"": "NotoSansDevanagari-Regular.ttf",
                           "B": "NotoSansDevanagari-Bold.ttf"},
}
_MAIN_FONT = "NotoSans"
_PRODUCER = "coop-platform documents (fpdf2)"

# A4 in millimetres, and the layout.
_PAGE_W, _PAGE_H = 210.0, 297.0
_MARGIN = 25.0
_VALUE_X = 80.0
_QR_SIZE = 35.0
_QR_BORDER = 4  # modules of quiet zone, inside _QR_SIZE
# The verification block (code, issue time, URL, QR) takes the bottom of the last page;
# text above it breaks to a new page before reaching it.
_FOOTER_TOP = _PAGE_H - _MARGIN - _QR_SIZE


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


def _text(value: Any) -> str:
    """What a fact prints as: lists joined with commas, everything else as str()."""
    if isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value)
    return str(value)


class _PDF(FPDF):
    """FPDF with the page's current font always set at the page's top level.

    fpdf2 2.8.9 sets the font lazily, inside the first text line that uses it. When that
    line starts and ends with a fallback font (a line all in Devanagari), fpdf2 wraps it
    in q ... Q, the main font's Tf inside is undone, yet fpdf2 takes it as set: the next
    Latin line then prints in a stale font size, or not at all (cf. py-pdf/fpdf2 issue
    1772). Setting the font at once, outside any q ... Q, avoids that. This and
    _OutputProducer lean on fpdf2 internals: pinned 2.8.9; tests/services/unit/
    test_certificate_hindi.py fails if an upgrade breaks either."""

    def set_font(self, family: str | None = None, style: str = "", size: float = 0) -> None:
        super().set_font(family, style, size)
        self._font_on_page()

    def set_font_size(self, size: float) -> None:
        super().set_font_size(size)
        self._font_on_page()

    def add_page(self, *args: Any, **kwargs: Any) -> None:
        super().add_page(*args, **kwargs)
        self._font_on_page()

    def _font_on_page(self) -> None:
        if self.page > 0 and self.current_font is not None \
                and not self.current_font_is_set_on_page:
            self._out(self._set_font_for_page(self.current_font, self.font_size_pt))


class _OutputProducer(OutputProducer):
    """fpdf2's writer, with each embedded font's ToUnicode map made complete.

    A shaped syllable may take several glyphs (कि: the vowel sign drawn first, then the
    consonant; र्य: the consonant, then the reph above it). fpdf2 maps the first glyph of
    such a cluster to the whole cluster's text and leaves the others out of the map, so
    text extractors print them as control characters or (cid:N). Mapping those codes to
    the empty string (``<code> <>``) makes the text extract back exactly as written."""

    def _add_fonts(self, *args: Any, **kwargs: Any) -> Any:
        silent = {font.i: sorted(code for glyph, code in font.subset.items()
                                 if glyph is not None and glyph.unicode == ())
                  for font in self.fpdf.fonts.values() if isinstance(font, TTFFont)}
        font_objs = super()._add_fonts(*args, **kwargs)
        for index, codes in silent.items():
            cmap = getattr(font_objs.get(index), "to_unicode", None)
            if not codes or cmap is None:
                continue
            blocks = b"".join(
                f"{len(chunk)} beginbfchar\n".encode()
                + b"".join(f"<{code:04X}> <>\n".encode() for code in chunk)
                + b"endbfchar\n"
                for chunk in (codes[i:i + 100] for i in range(0, len(codes), 100)))
            cmap._contents = cmap._contents.replace(b"endcmap\n", blocks + b"endcmap\n", 1)
            cmap.length = len(cmap._contents)
        return font_objs


def _new_pdf(*, title: str, author: str, created: datetime) -> FPDF:
    pdf = _PDF(orientation="portrait", unit="mm", format="A4")
    for family, styles in _FONTS.items():
        for style, file_name in styles.items():
            pdf.add_font(family, style, FONTS_DIR / file_name)
    pdf.set_fallback_fonts([f for f in _FONTS if f != _MAIN_FONT])
    pdf.set_text_shaping(True)
    # Fixed metadata: no clock, no random id (fpdf2's /ID is a hash of the content).
    pdf.set_creation_date(created)
    pdf.set_producer(_PRODUCER)
    pdf.set_creator(_PRODUCER)
    pdf.set_title(title)
    pdf.set_author(author)
    pdf.set_margins(_MARGIN, 20.0, _MARGIN)
    pdf.set_auto_page_break(True, margin=_PAGE_H - _FOOTER_TOP + 5.0)
    return pdf


def _draw_qr(pdf: FPDF, data: str, x: float, y: float, size: float) -> None:
    """The QR code as filled vector squares (one path), quiet zone included."""
    qr = segno.make_qr(data, error="m")
    rows = list(qr.matrix_iter(scale=1, border=_QR_BORDER))
    module = size / len(rows)
    with pdf.new_path(paint_rule=PathPaintRule.FILL_NONZERO) as path:
        path.style.fill_color = "#000000"
        for r, row in enumerate(rows):
            c = 0
            while c < len(row):
                if not row[c]:
                    c += 1
                    continue
                run = c
                while run < len(row) and row[run]:
                    run += 1
                path.rectangle(x + c * module, y + r * module, (run - c) * module, module)
                c = run


def render(*, heading: str, lines: list[tuple[str, Any]], body: str | None, code: str,
           verify_url: str, issued_at: datetime, issuer: str) -> bytes:
    """An A4 page (more only when the body is long): heading, the facts certified, an
    optional body text, and at the foot of the last page the code and the QR code.
    Text in any script the fonts cover (Latin, Devanagari) prints shaped.
    Same arguments, same bytes."""
    created = issued_at if issued_at.tzinfo else issued_at.replace(tzinfo=UTC)
    pdf = _new_pdf(title=heading, author=_text(issuer), created=created)
    pdf.add_page()
    width = _PAGE_W - 2 * _MARGIN

    pdf.set_xy(_MARGIN, 22.0)
    pdf.set_font(_MAIN_FONT, "B", 16)
    pdf.multi_cell(width, 8, heading, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(_MAIN_FONT, "", 10)
    pdf.multi_cell(width, 5, _text(issuer), align=Align.C,
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(10)

    for label, value in lines:
        if value in (None, "", []):
            continue
        top, page = pdf.get_y(), pdf.page
        pdf.set_font(_MAIN_FONT, "B", 11)
        pdf.set_xy(_MARGIN, top)
        pdf.multi_cell(_VALUE_X - _MARGIN - 3, 6, label, align=Align.L,
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        label_bottom = pdf.get_y()
        pdf.set_font(_MAIN_FONT, "", 11)
        pdf.set_xy(_VALUE_X, top)
        pdf.multi_cell(_PAGE_W - _MARGIN - _VALUE_X, 6, _text(value), align=Align.L,
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if pdf.page == page:  # else the value broke to a new page and goes on there
            pdf.set_y(max(label_bottom, pdf.get_y()))
        pdf.ln(2)

    if body:
        pdf.ln(4)
        pdf.set_font(_MAIN_FONT, "", 10)
        pdf.multi_cell(width, 5, body, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    # The verification block, at the foot of the (last) page.
    pdf.set_auto_page_break(False)
    if pdf.get_y() > _FOOTER_TOP:
        pdf.add_page()
    _draw_qr(pdf, verify_url, _PAGE_W - _MARGIN - _QR_SIZE, _FOOTER_TOP, _QR_SIZE)
    text_width = _PAGE_W - 2 * _MARGIN - _QR_SIZE - 5
    pdf.set_xy(_MARGIN, _FOOTER_TOP + 10)
    pdf.set_font(_MAIN_FONT, "B", 12)
    pdf.cell(text_width, 7, f"Verification code: {printed(code)}",
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(_MAIN_FONT, "", 9)
    pdf.cell(text_width, 6, f"Issued {india.moment_text(issued_at)}",
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.multi_cell(text_width, 5, f"Verify at {verify_url}", align=Align.L,
                   wrapmode="CHAR", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output(output_producer_class=_OutputProducer))


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
               ("Date of registration", india.day_text(subject["registration_date"])
                if subject.get("registration_date") else None),
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
               ("Order date", india.day_text(subject["order_date"])),
               ("Society", subject["society_id"])],
        body=text, code=code, verify_url=verify_url, issued_at=issued_at)
