"""The voter list printed by documents: a fixed number of rows per page (so the page
count is known before printing and printed on every page), the heading in English and
Hindi shaped and extracted back as written, Devanagari names and categories exact, the
booth column only where booths are assigned, the same list giving the same bytes."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from services.documents import voter_lists

SUBJECT = {"election_id": "e1", "election_number": "107/2025-26", "society_id": "s1",
           "society_name": "श्री वीरशैव को-ऑपरेटिव्ह बैंक लि.",
           "registration_number": "MSCS/CR/1259/2016", "list": "final",
           "voters_as_on": "2025-03-31", "published_at": "2025-12-06T11:30:00+00:00",
           "entries": 0}
CODE, URL = "0123456789AB", "https://coop.example/verify/0123-4567-89AB"
AT = datetime(2025, 12, 6, 12, 0, tzinfo=UTC)
FIRST, OTHER = voter_lists.ROWS_FIRST_PAGE, voter_lists.ROWS_PER_PAGE


def _voters(n: int, **extra) -> list[dict]:
    return [{"serial_no": i, "membership_number": f"M{i:05d}",
             "name": "सुनीता पाटील" if i % 2 else f"Anil Patil {i}",
             "category": "firm" if i % 5 == 0 else "individual", **extra}
            for i in range(1, n + 1)]


def _pages(voters, subject=None) -> list[str]:
    pdf = voter_lists.render({**(subject or SUBJECT), "entries": len(voters)}, voters,
                             CODE, URL, AT)
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _serials(page_text: str) -> list[int]:
    return [int(line.split()[0]) for line in page_text.splitlines()
            if line.split() and line.split()[0].isdigit()
            and len(line.split()) > 1 and line.split()[1].startswith("M")]


@pytest.mark.parametrize("rows, pages", [
    (0, 1), (1, 1), (FIRST, 1), (FIRST + 1, 2), (FIRST + OTHER, 2),
    (FIRST + OTHER + 1, 3)])
def test_rows_per_page_are_fixed_and_pages_known_ahead(rows, pages):
    assert voter_lists.page_count(rows) == pages
    text = _pages(_voters(rows))
    assert len(text) == pages
    for n, page in enumerate(text, start=1):
        assert f"Page {n} of {pages} / पृष्ठ {n} / {pages}" in page
        assert "सत्यापन कोड: 0123-4567-89AB" in page
    # Page 1 holds serials 1..FIRST, page 2 the next OTHER, in order, none lost.
    found = [s for page in text for s in _serials(page)]
    assert found == list(range(1, rows + 1))
    if rows:
        assert _serials(text[0]) == list(range(1, min(rows, FIRST) + 1))
    if pages > 1:
        assert _serials(text[1])[0] == FIRST + 1
        assert len(_serials(text[1])) == min(OTHER, rows - FIRST)


def test_the_heading_is_bilingual_and_hindi_shapes_without_question_marks():
    page = _pages(_voters(12))[0]
    for phrase in ("Final list of voters", "मतदाताओं की अंतिम सूची",
                   "श्री वीरशैव को-ऑपरेटिव्ह बैंक लि.", "पंजीयन क्रमांक MSCS/CR/1259/2016",
                   "Election No. 107/2025-26", "Members as on 31-03-2025",
                   "निर्वाचन क्रमांक 107/2025-26", "31-03-2025 की स्थिति में सदस्य",
                   "मतदाता: 12", "क्रमांक", "सदस्य क्रमांक", "नाम", "श्रेणी",
                   "1 M00001 सुनीता पाटील Individual / व्यक्तिगत",
                   "2 M00002 Anil Patil 2 Individual / व्यक्तिगत",
                   "5 M00005 सुनीता पाटील Firm / फर्म", "Verify at " + URL):
        assert phrase in page, f"{phrase!r} not in {page!r}"
    assert "?" not in page and "\x00" not in page
    assert "Booth" not in page              # no booth assigned: no booth column


def test_the_provisional_list_says_so_and_counts_group_the_indian_way():
    assert voter_lists.grouped(30644) == "30,644"
    assert voter_lists.grouped(1234567) == "12,34,567"
    page = _pages(_voters(3), {**SUBJECT, "list": "provisional"})[0]
    assert "Provisional list of voters" in page and "मतदाताओं की अनंतिम सूची" in page


def test_a_booth_column_where_booths_are_assigned():
    page = _pages(_voters(3, booth=7))[0]
    assert "Booth" in page and "बूथ" in page
    assert "Individual / व्यक्तिगत 7" in page


def test_the_booth_column_as_the_elections_service_answers_entries():
    # voter_list_page answers ``booth`` on every entry: null until the RO assigns the
    # list (no column), a number after; a voter added with every booth full has none.
    unassigned = _pages(_voters(2, booth=None))[0]
    assert "Booth" not in unassigned and "बूथ" not in unassigned
    voters = _voters(3, booth=12)
    voters[1]["booth"] = None
    page = _pages(voters)[0]
    assert "Booth" in page and "1 M00001 सुनीता पाटील Individual / व्यक्तिगत 12" in page
    assert "3 M00003 सुनीता पाटील Individual / व्यक्तिगत 12" in page
    rows = [line.strip() for line in page.splitlines() if line.startswith("2 M00002")]
    assert rows == ["2 M00002 Anil Patil 2 Individual / व्यक्तिगत"]   # its cell empty


def test_the_same_list_gives_the_same_bytes():
    voters = _voters(FIRST + 3)
    subject = {**SUBJECT, "entries": len(voters)}
    assert (voter_lists.render(subject, voters, CODE, URL, AT)
            == voter_lists.render(subject, voters, CODE, URL, AT))


def test_a_long_name_is_printed_smaller_to_fit_its_column():
    long_name = "Shrimati Suvarnalata Venkataramanarayanaswamy Chandrashekharappa Patil"
    page = _pages([{"serial_no": 1, "membership_number": "M1", "name": long_name,
                    "category": "individual"}])[0]
    assert long_name in page.replace("\n", " ")
