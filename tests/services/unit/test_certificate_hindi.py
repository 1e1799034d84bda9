"""Certificates in Hindi: the registration certificate and an order whose society name,
office and text are in Devanagari print shaped (conjuncts, vowel signs) in the embedded
Noto Sans Devanagari, extract back exactly as written, and the same facts give the same
bytes, also in another process. With pdftoppm (poppler-utils) the first page is also
rendered to a PNG under /tmp, for a person to look at."""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from services.documents import certificates

ROOT = Path(__file__).resolve().parents[3]
SOCIETY = "श्री गणेश सहकारी पतसंस्था मर्यादित"     # श्र, र्य; ी ि ा ं
OFFICE = "क्षेत्रीय प्रबंधक"                         # क्ष, त्र, प्र; े ी ं
CODE = "0123456789AB"
URL = "https://coop.example/verify/0123-4567-89AB"
ISSUED = datetime(2026, 11, 30, 10, 15, tzinfo=UTC)
SUBJECT = {
    "society_id": "soc-1",
    "registration_number": "MH/PUN/123/2024",
    "registration_date": "2024-04-01",
    "name": SOCIETY,
    "type": "credit",
    "address": "12 MG Road, पुणे 411001",
    "state": "Maharashtra",
    "district": "पुणे",
    "area_of_operation": ["पुणे", "Satara"],
    "office_name": f"{OFFICE}, सहकार विभाग",
}
ORDER = {"society_id": "soc-1", "order_number": "ORD/7", "order_date": "2026-11-30",
         "title": f"आदेश: {OFFICE} की नियुक्ति"}
# A Devanagari line, then a Latin one (fpdf2 once dropped the font for the second).
ORDER_TEXT = (f"{SOCIETY} को ₹ 1,25,000 का अनुदान दिया जाता है।\n"
              "The society shall hold its AGM within 30 days; fee ₹500.")


def registration() -> bytes:
    return certificates.registration_pdf(SUBJECT, CODE, URL, ISSUED)


def order() -> bytes:
    return certificates.order_pdf(ORDER, ORDER_TEXT, CODE, URL, ISSUED)


def page_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def fonts(pdf: bytes) -> dict[str, bool]:
    """Base font name -> whether its font file is embedded, over all pages."""
    found = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            found[str(font["/BaseFont"])] = "/FontFile2" in descriptor.get_object()
    return found


@pytest.mark.parametrize("make, expected", [
    (registration, [SOCIETY, OFFICE, "सहकार विभाग", "12 MG Road, पुणे 411001",
                    "Certificate of Registration", "Verification code: 0123-4567-89AB"]),
    (order, [ORDER["title"], OFFICE, SOCIETY, "₹ 1,25,000",
             "The society shall hold its AGM within 30 days; fee ₹500.",
             "Verification code: 0123-4567-89AB"]),
], ids=["registration", "order"])
def test_hindi_extracts_back_exactly(make, expected):
    text = page_text(make())
    for phrase in expected:
        assert phrase in text, f"{phrase!r} not in the extracted text {text!r}"
    # every glyph code is in the ToUnicode map: no control characters, no '?'
    assert not re.search(r"[\x00-\x08\x0b-\x1f]", text), repr(text)
    assert "?" not in text


def test_latin_after_a_devanagari_line_keeps_its_font_and_size():
    """fpdf2 2.8.9 loses the page font after a line all in the fallback font; the text
    after it then prints in whatever font size was set before (certificates._PDF)."""
    shown = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            shown.append((text.strip(), str(font.get("/BaseFont")) if font else None, size))

    PdfReader(io.BytesIO(order())).pages[0].extract_text(visitor_text=visit)
    body = [(font, size) for text, font, size in shown
            if text.startswith("The society shall hold its AGM")]
    assert body == [("/MPDFAA+NotoSans", 10.0)], shown


@pytest.mark.parametrize("make", [registration, order], ids=["registration", "order"])
def test_devanagari_font_is_embedded(make):
    embedded = fonts(make())
    devanagari = [name for name in embedded if "NotoSansDevanagari" in name]
    assert devanagari, embedded
    assert all(embedded.values()), embedded  # every font used is embedded, none from the host
    assert any("NotoSans" in name and "Devanagari" not in name for name in embedded)


def test_same_facts_same_bytes():
    first, second = registration(), registration()
    assert first == second
    assert order() == order()
    assert first != order()
    assert PdfReader(io.BytesIO(first)).metadata["/CreationDate"] == "D:20261130101500Z"


def test_same_bytes_in_another_process():
    """No clock, no random id, no hash-order dependence: another interpreter with another
    hash seed makes the same file."""
    script = ("import hashlib, sys\n"
              "from tests.services.unit import test_certificate_hindi as t\n"
              "sys.stdout.write(hashlib.sha256(t.registration() + t.order()).hexdigest())\n")
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    other = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=120, check=True)
    assert other.stdout == hashlib.sha256(registration() + order()).hexdigest()


def test_a_naive_issue_time_is_taken_as_utc():
    naive = certificates.registration_pdf(SUBJECT, CODE, URL, ISSUED.replace(tzinfo=None))
    assert naive == registration()


def test_long_order_text_goes_on_to_further_pages():
    text = "\n".join(f"{n}. {OFFICE} shall file the audit report; penalty ₹{n * 100}."
                     for n in range(80))
    pdf = certificates.order_pdf(ORDER, text, CODE, URL, ISSUED)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) > 1
    extracted = page_text(pdf)
    assert f"79. {OFFICE} shall file the audit report; penalty ₹7900." in extracted
    # the verification block is printed once, on the last page
    assert extracted.count("Verification code: 0123-4567-89AB") == 1
    assert "Verification code" in reader.pages[-1].extract_text()


@pytest.mark.parametrize("make, name", [(registration, "registration"), (order, "order")])
def test_page_renders_with_poppler(make, name, tmp_path):
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.skip("pdftoppm not installed (Debian: apt-get install poppler-utils); "
                    "the PNG rendering check is skipped")
    pdf = tmp_path / f"{name}.pdf"
    pdf.write_bytes(make())
    out = Path("/tmp") / f"certificate_hindi_{name}"
    done = subprocess.run([pdftoppm, "-r", "100", "-png", "-f", "1", "-l", "1",
                           "-singlefile", str(pdf), str(out)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Error" not in done.stderr, done.stderr  # e.g. "No font in show"
    png = out.with_suffix(".png")
    assert png.stat().st_size > 10_000


def test_dates_print_as_india_writes_them():
    text = page_text(registration())
    assert "01-04-2024" in text  # the registration date, day first
    assert "Issued 30-11-2026 15:45 IST" in text  # 10:15 UTC in India Standard Time
