"""Voter lists as verifiable PDFs: the provisional and the final list of an election,
printed from the published list the elections service answers page by page
(``elections.voter_list_page``), headed in English and Hindi (society, election,
provisional or final, the date the list stands as on), one row per voter (serial number,
membership number, name, category, and the booth where one is assigned), every page
numbered and carrying the verification code; the QR code on the first page.

The PDF is made like every certificate (``certificates.py``: fpdf2, text shaped by
HarfBuzz in the shipped Noto fonts, deterministic). Rows per page are fixed, so the page
count is known before the first page is drawn and no ``{nb}`` alias is needed.

Rendering is CPU-bound (seed 003's 30,644 rows take tens of seconds), so the documents
service never renders a list inside its eventlet hub: ``render_in_subprocess`` writes
the list to a file and runs ``python -m services.documents.voter_lists <in> <out>`` in a
child process through eventlet's green ``subprocess``, the hub serving other RPCs while
it waits (docs/documents.md, "Voter lists").
"""

from __future__ import annotations

import json
import math
import os
import sys
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fpdf.enums import PDFResourceType, XPos, YPos

from services.common import india
from services.documents import certificates

TITLES = {
    "provisional": ("Provisional list of voters", "मतदाताओं की अनंतिम सूची"),
    "final": ("Final list of voters", "मतदाताओं की अंतिम सूची"),
}
# The certificate kind (and document category) of each list: kind ``voter_list``.
CERTIFICATE_KINDS = {"provisional": "voters_provisional", "final": "voters_final"}
CATEGORIES = {"individual": "Individual / व्यक्तिगत", "firm": "Firm / फर्म",
              "society": "Society / संस्था"}

# A4 portrait, in millimetres.
_W, _H = 210.0, 297.0
_MARGIN = 12.0
_ROW_H = 5.6
_HEAD_TOP = 12.0
_TABLE_TOP_FIRST = 62.0     # below the heading block and the QR code
_TABLE_TOP = 24.0           # below the running head of the other pages
_FOOTER_Y = _H - 14.0
_QR = 30.0
# Rows below the column header, before the footer: fixed, so pages are known ahead.
ROWS_FIRST_PAGE = int((_FOOTER_Y - 3 - _TABLE_TOP_FIRST - _ROW_H) // _ROW_H)
ROWS_PER_PAGE = int((_FOOTER_Y - 3 - _TABLE_TOP - _ROW_H) // _ROW_H)

_NAME_MAX_PT, _NAME_MIN_PT, _ROW_PT = 9.0, 6.0, 9.0
# Long names are measured (shaped) to fit their column; shorter ones fit as they are.
_NAME_MEASURE_FROM = 38


def page_count(rows: int) -> int:
    if rows <= ROWS_FIRST_PAGE:
        return 1
    return 1 + math.ceil((rows - ROWS_FIRST_PAGE) / ROWS_PER_PAGE)


def grouped(number: int) -> str:
    """A count as India groups it: 30,644; 1,23,456."""
    return india.rupees_text(number * 100).removeprefix("₹")


def subject(event: Any) -> dict[str, Any]:
    """What the list's certificate certifies (kept with it and answered by verify)."""
    return {"election_id": event.election_id, "election_number": event.number,
            "society_id": event.society_id, "society_name": event.society_name,
            "registration_number": event.registration_number, "list": event.kind,
            "voters_as_on": event.voters_as_on.isoformat(),
            "published_at": event.published_at.isoformat(), "entries": event.entries}


def _columns(with_booth: bool) -> list[tuple[str, float, str]]:
    """(header, width, align) of each column; the name takes what is left."""
    cols = [("S. No.\nक्रमांक", 16.0, "R"), ("Member no.\nसदस्य क्रमांक", 30.0, "L"),
            ("Name\nनाम", 0.0, "L"), ("Category\nश्रेणी", 36.0, "L")]
    if with_booth:
        cols.append(("Booth\nबूथ", 16.0, "R"))
    used = sum(width for _, width, _ in cols)
    return [(h, w or (_W - 2 * _MARGIN - used), a) for h, w, a in cols]


def _ascii(text: str) -> bool:
    return text.isascii()


class _Printer:
    def __init__(self, subject_: dict[str, Any], code: str, verify_url: str,
                 issued_at: datetime, rows: int, with_booth: bool):
        self.s = subject_
        self.code, self.verify_url = code, verify_url
        self.pages = page_count(rows)
        self.cols = _columns(with_booth)
        title, title_hi = TITLES[subject_["list"]]
        self.title, self.title_hi = title, title_hi
        created = issued_at if issued_at.tzinfo else issued_at.replace(tzinfo=UTC)
        self.issued_at = created
        self.pdf = certificates._new_pdf(
            title=f"{title}: {subject_['election_number']}, {subject_['society_name']}",
            author="Returning Officer / निर्वाचन अधिकारी", created=created)
        self.pdf.set_auto_page_break(False)
        self.pdf.set_margins(_MARGIN, _HEAD_TOP, _MARGIN)
        self._drawn: dict[tuple, tuple[bytes, float, float]] = {}

    # -- text. fpdf2's ``cell`` costs about a millisecond, most of a row's time, so the
    # rows go two faster ways (measured in docs/documents.md, "Voter lists"):
    # - Latin text (numbers, most names) is written directly: the glyphs picked in the
    #   embedded subset as fpdf2 picks them, at the position ``cell`` would use;
    # - text in a script that needs shaping (Hindi) is shaped by ``cell`` the first time
    #   and its drawing replayed, moved, wherever the same text appears again.
    def text(self, width: float, height: float, value: str, align: str = "L",
             bold: bool = False, size: float = _ROW_PT) -> None:
        pdf = self.pdf
        pdf.set_font(certificates._MAIN_FONT, "B" if bold else "", size)
        if _ascii(value):
            self._latin(width, height, value, align)
        else:
            self._shaped(width, height, value, align, bold, size)

    def _latin(self, width: float, height: float, value: str, align: str) -> None:
        pdf = self.pdf
        pdf.set_text_shaping(False)
        if align == "R":
            dx = width - pdf.c_margin - pdf.get_string_width(value)
        elif align == "C":
            dx = (width - pdf.get_string_width(value)) / 2
        else:
            dx = pdf.c_margin
        k = pdf.k
        pdf._out(f"BT {(pdf.x + dx) * k:.2f} "
                 f"{(pdf.h - pdf.y - 0.5 * height - 0.3 * pdf.font_size) * k:.2f} Td "
                 f"{pdf.current_font.encode_text(value)} ET")
        pdf.set_x(pdf.x + width)

    def _shaped(self, width: float, height: float, value: str, align: str, bold: bool,
                size: float) -> None:
        pdf = self.pdf
        key = (value, width, height, align, bold, size)
        drawn = self._drawn.get(key)
        x, y = pdf.x, pdf.y
        if drawn is None:
            contents = pdf.pages[pdf.page].contents
            start = len(contents)
            pdf.set_text_shaping(True)
            pdf.cell(width, height, value, align=align, new_x=XPos.RIGHT, new_y=YPos.TOP)
            self._drawn[key] = (bytes(contents[start:]), x, y)
            return
        stream, x0, y0 = drawn
        k = pdf.k
        pdf._out(f"q 1 0 0 1 {(x - x0) * k:.2f} {(y0 - y) * k:.2f} cm".encode()
                 + b"\n" + stream + b"Q")
        pdf.set_xy(x + width, y)

    def _fonts_on_page(self) -> None:
        """Every embedded font in the page's resources (a replayed drawing may use any)."""
        for font in self.pdf.fonts.values():
            self.pdf._resource_catalog.add(PDFResourceType.FONT, font.i, self.pdf.page)

    def block(self, width: float, height: float, value: str, align: str = "L",
              bold: bool = False, size: float = _ROW_PT) -> None:
        pdf = self.pdf
        pdf.set_font(certificates._MAIN_FONT, "B" if bold else "", size)
        pdf.set_text_shaping(True)
        pdf.multi_cell(width, height, value, align=align, new_x=XPos.LMARGIN,
                       new_y=YPos.NEXT)

    # -- page parts
    def heading(self) -> None:
        pdf, s = self.pdf, self.s
        width = _W - 2 * _MARGIN - _QR - 4
        pdf.set_xy(_MARGIN, _HEAD_TOP)
        self.block(width, 6.5, f"{self.title}\n{self.title_hi}", bold=True, size=14)
        society = s["society_name"]
        if s.get("registration_number"):
            society += f" (Registration No. / पंजीयन क्रमांक {s['registration_number']})"
        self.block(width, 5, society, bold=True, size=10)
        number = s["election_number"]
        as_on = india.day_text(s["voters_as_on"])
        published = india.day_text(datetime.fromisoformat(s["published_at"])
                                   .astimezone(india.INDIA).date())
        self.block(width, 5,
                   f"Election No. {number} · Members as on {as_on} · "
                   f"Published {published} · Voters: {grouped(s['entries'])}\n"
                   f"निर्वाचन क्रमांक {number} · {as_on} की स्थिति में सदस्य · "
                   f"प्रकाशित {published} · मतदाता: {grouped(s['entries'])}", size=9)
        certificates._draw_qr(pdf, self.verify_url, _W - _MARGIN - _QR, _HEAD_TOP, _QR)
        pdf.set_xy(_W - _MARGIN - _QR - 6, _HEAD_TOP + _QR)
        self.text(_QR + 6, 4, certificates.printed(self.code), align="C", size=8)

    def running_head(self) -> None:
        pdf, s = self.pdf, self.s
        pdf.set_xy(_MARGIN, _HEAD_TOP)
        self.text(_W - 2 * _MARGIN, 5,
                  f"{self.title} / {self.title_hi} · {s['election_number']} · "
                  f"{s['society_name']}", bold=True, size=9)

    def column_header(self, top: float) -> None:
        pdf = self.pdf
        pdf.set_line_width(0.2)
        pdf.line(_MARGIN, top - 0.5, _W - _MARGIN, top - 0.5)
        x = _MARGIN
        for header, width, align in self.cols:
            pdf.set_xy(x, top)
            english, hindi = header.split("\n")
            self.text(width, _ROW_H / 2, english, align=align, bold=True, size=7.5)
            pdf.set_xy(x, top + _ROW_H / 2)
            self.text(width, _ROW_H / 2, hindi, align=align, bold=True, size=7.5)
            x += width
        pdf.line(_MARGIN, top + _ROW_H + 0.3, _W - _MARGIN, top + _ROW_H + 0.3)

    def footer(self) -> None:
        pdf, page = self.pdf, self.pdf.page
        pdf.set_xy(_MARGIN, _FOOTER_Y)
        half = (_W - 2 * _MARGIN) / 2
        self.text(half, 5, f"Page {page} of {self.pages} / पृष्ठ {page} / {self.pages}",
                  size=8)
        self.text(half, 5, f"Verification code / सत्यापन कोड: "
                           f"{certificates.printed(self.code)}", align="R", size=8)
        if page == self.pages:
            pdf.set_xy(_MARGIN, _FOOTER_Y + 4.5)
            self.text(_W - 2 * _MARGIN, 4,
                      f"Issued {india.moment_text(self.issued_at)} · Verify at "
                      f"{self.verify_url}", size=7)

    def row(self, top: float, voter: dict[str, Any]) -> None:
        pdf = self.pdf
        x = _MARGIN
        values = [str(voter["serial_no"]), voter["membership_number"], voter["name"],
                  CATEGORIES.get(voter["category"], voter["category"])]
        if len(self.cols) == 5:
            booth = voter.get("booth")
            values.append("" if booth is None else str(booth))
        for column, ((_, width, align), value) in enumerate(
                zip(self.cols, values, strict=True)):
            pdf.set_xy(x, top)
            size = _ROW_PT
            if column == 2 and len(value) >= _NAME_MEASURE_FROM:
                size = self._fitting(value, width - 2)
            self.text(width, _ROW_H, value, align=align, size=size)
            x += width

    def _fitting(self, value: str, width: float) -> float:
        """The largest size, down to the smallest, at which the name fits its column."""
        pdf = self.pdf
        pdf.set_text_shaping(not _ascii(value))
        size = _NAME_MAX_PT
        while size > _NAME_MIN_PT:
            pdf.set_font(certificates._MAIN_FONT, "", size)
            if pdf.get_string_width(value) <= width:
                return size
            size -= 0.5
        return _NAME_MIN_PT

    def print(self, voters: Sequence[dict[str, Any]]) -> bytes:
        pdf = self.pdf
        index = 0
        for page in range(1, self.pages + 1):
            pdf.add_page()
            self._fonts_on_page()
            if page == 1:
                self.heading()
                top, capacity = _TABLE_TOP_FIRST, ROWS_FIRST_PAGE
            else:
                self.running_head()
                top, capacity = _TABLE_TOP, ROWS_PER_PAGE
            self.column_header(top)
            y = top + _ROW_H + 0.6
            for voter in voters[index:index + capacity]:
                self.row(y, voter)
                y += _ROW_H
            index += capacity
            if page == 1 and not voters:
                pdf.set_xy(_MARGIN, y)
                self.text(_W - 2 * _MARGIN, _ROW_H, "No voters / कोई मतदाता नहीं")
            self.footer()
        return bytes(pdf.output(output_producer_class=certificates._OutputProducer))


def render(subject_: dict[str, Any], voters: Sequence[dict[str, Any]], code: str,
           verify_url: str, issued_at: datetime) -> bytes:
    """The list as a PDF. Same arguments, same bytes."""
    with_booth = any(v.get("booth") is not None for v in voters)
    return _Printer(subject_, code, verify_url, issued_at, len(voters),
                    with_booth).print(voters)


# ---------------------------------------------------------------------- out of the hub


_CHUNK = 1000
# The directory that holds the ``services`` package.
_ROOT = str(Path(__file__).resolve().parents[2])


def render_in_subprocess(subject_: dict[str, Any], voters: Sequence[dict[str, Any]],
                         code: str, verify_url: str, issued_at: datetime,
                         timeout: float = 600.0) -> bytes:
    """``render`` in a child process; the calling green thread waits without holding
    the hub (eventlet's green subprocess and pipes)."""
    import eventlet
    from eventlet.green import subprocess

    with tempfile.TemporaryDirectory(prefix="voter-list-") as work:
        source, target = os.path.join(work, "list.json"), os.path.join(work, "list.pdf")
        # The job as JSON lines: the facts, then the rows a chunk per line, the hub let
        # go between chunks (30,644 rows in one json.dumps hold it for a quarter second).
        with open(source, "w", encoding="utf-8") as out:
            out.write(json.dumps({"subject": subject_, "code": code,
                                  "verify_url": verify_url,
                                  "issued_at": issued_at.isoformat()}) + "\n")
            for start in range(0, len(voters), _CHUNK):
                out.write(json.dumps(list(voters[start:start + _CHUNK])) + "\n")
                eventlet.sleep(0)
        # The child finds this package wherever the service was started from.
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (_ROOT, env.get("PYTHONPATH")) if p)
        child = subprocess.Popen(
            [sys.executable, "-m", "services.documents.voter_lists", source, target],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        try:
            _, errors = child.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
            raise RuntimeError(f"the voter list PDF took over {timeout:.0f}s") from None
        if child.returncode != 0:
            tail = errors.decode(errors="replace")[-2000:]
            raise RuntimeError(f"the voter list renderer failed ({child.returncode}): "
                               f"{tail}")
        with open(target, "rb") as made:
            return made.read()


def main(argv: list[str]) -> int:
    source, target = argv
    # Below the service's own process: on a busy machine its hub gets the CPU first.
    os.nice(10)
    voters: list[dict[str, Any]] = []
    with open(source, encoding="utf-8") as given:
        job = json.loads(given.readline())
        for line in given:
            voters.extend(json.loads(line))
    pdf = render(job["subject"], voters, job["code"], job["verify_url"],
                 datetime.fromisoformat(job["issued_at"]))
    with open(target + ".part", "wb") as out:
        out.write(pdf)
    os.replace(target + ".part", target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
