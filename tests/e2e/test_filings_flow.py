"""Returns through the real gateway, the registry and the filings service as processes
on the real broker and PostgreSQL: anyone reads the forms, a society's representative
files its annual return and gets every broken rule as a 422, the office returns it for
correction and accepts the corrected one; another society's representative gets 404."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from xml.etree import ElementTree

import pytest

from gateway import spreadsheets
from tests.e2e.harness import DomainStack
from tests.services.integration.test_filings_returns import ANNUAL, DOCUMENTS


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[DomainStack]:
    running = DomainStack(tmp_path_factory.mktemp("filings-stack"), "filings")
    try:
        yield running.start()
    finally:
        running.close()


def test_an_annual_return_over_http(stack):
    forms = stack.http.get("/v1/filings/forms")
    assert forms.status_code == 200
    assert "RCS/LQR/01" in {f["code"] for f in forms.json()["items"]}
    lqr = stack.http.get("/v1/filings/forms/definition",
                         params={"code": "RCS/LQR/01", "jurisdiction": "West Bengal"})
    assert lqr.status_code == 200 and lqr.json()["due"] == {"days_after_end": 15}

    society = stack.society("bhopalnagrik", "Bhopal Nagrik Sahakari Samiti",
                            office_id="mp-bhopal", state="Madhya Pradesh")
    rep = stack.token("society_representative", "society", society)
    started = stack.http.post("/v1/filings", headers=rep, json={
        "form_code": "MSCS/ANNUAL", "filer_id": society, "period_end": "2025-03-31",
        "values": {**ANNUAL, "paid_up": "6000000"}})
    assert started.status_code == 201, started.text
    filing_id = started.json()["id"]
    other = stack.token("society_representative", "society", "someoneelse")
    assert stack.http.get(f"/v1/filings/{filing_id}", headers=other).status_code == 404

    refused = stack.http.post(f"/v1/filings/{filing_id}/submit", headers=rep)
    assert refused.status_code == 422
    details = refused.json()["error"]["details"]
    assert {"values.paid_up", "values.audited_accounts"} <= set(details["fields"])
    rule = next(f for f in details["failures"] if f["rule"] == "paid_up_within_authorised")
    assert rule["figures"] == {"left": "6000000", "right": "5000000", "operator": "<="}
    assert rule["message_hi"]

    saved = stack.http.put(f"/v1/filings/{filing_id}/draft", headers=rep,
                           json={"values": {"paid_up": "3250000", **DOCUMENTS}})
    assert saved.status_code == 200, saved.text
    submitted = stack.http.post(f"/v1/filings/{filing_id}/submit", headers=rep)
    assert submitted.status_code == 200 and submitted.json()["ack_number"]

    registrar = stack.token("registrar", "office", "mp")
    assert stack.http.post(f"/v1/filings/{filing_id}/accept", headers=rep,
                           json={}).status_code == 403
    back = stack.http.post(f"/v1/filings/{filing_id}/return", headers=registrar,
                           json={"remarks": "Sign the balance sheet."})
    assert back.status_code == 200 and back.json()["status"] == "returned"
    stack.http.post(f"/v1/filings/{filing_id}/submit", headers=rep)
    accepted = stack.http.post(f"/v1/filings/{filing_id}/accept", headers=registrar,
                               json={})
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert len(accepted.json()["submissions"]) == 2


def test_a_forms_returns_as_csv(stack):
    society = stack.society("csvsamiti", "CSV Sahakari Samiti", office_id="mp-bhopal",
                            state="Madhya Pradesh")
    rep = stack.token("society_representative", "society", society)
    started = stack.http.post("/v1/filings", headers=rep, json={
        "form_code": "MSCS/ANNUAL", "filer_id": society, "period_end": "2024-03-31",
        "values": {**ANNUAL, **DOCUMENTS}})
    assert started.status_code == 201, started.text
    assert stack.http.post(f"/v1/filings/{started.json()['id']}/submit",
                           headers=rep).status_code == 200
    export = stack.http.get("/v1/filings/export.csv", headers=rep,
                            params={"form_code": "MSCS/ANNUAL"})
    assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(export.text)))
    assert [(r["filer_id"], r["members_closing"], r["paid_up"]) for r in rows] == [
        (society, "1200", "3250000")]
    workbook = stack.http.get("/v1/filings/export.xlsx", headers=rep,
                              params={"form_code": "MSCS/ANNUAL"})
    assert workbook.status_code == 200
    assert workbook.headers["content-type"] == spreadsheets.MEDIA_TYPE
    assert 'filename="MSCS-ANNUAL.xlsx"' in workbook.headers["content-disposition"]
    sheets = _xlsx_cells(workbook.content)
    returns, described = sheets["Returns"], sheets["Columns"]
    header = {col: text for col, (_, text) in returns[0].items()}
    row = {header[col]: cell for col, cell in returns[1].items()}
    # typed cells: the amount and the count as numbers, the period end as a date serial
    assert (row["filer_id"], row["members_closing"], row["paid_up"]) == (
        ("s", society), ("n", "1200"), ("n", "3250000"))
    assert row["period_end"] == ("n", "45382")              # 31-03-2024 in Excel's days
    labels = {r["A"][1]: (r["C"][1], r["D"][1]) for r in described[1:]}
    assert labels["days_late"] == ("Days late", "विलंब के दिन")
    other = stack.token("society_representative", "society", "nobody-here")
    assert len(_xlsx_cells(stack.http.get("/v1/filings/export.xlsx", headers=other, params={
        "form_code": "MSCS/ANNUAL"}).content)["Returns"]) == 1      # the header alone


def _xlsx_cells(content: bytes) -> dict[str, list[dict[str, tuple[str, str]]]]:
    """Each sheet's rows, each {column letter: (kind, text)}: ``s`` text, ``n`` number,
    ``b`` boolean; an empty cell is absent (the XML is the gateway's own workbook)."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        shared = []
        if "xl/sharedStrings.xml" in book.namelist():
            root = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))  # noqa: S314
            shared = ["".join(t.text or "" for t in si.iter(f"{{{ns['m']}}}t"))
                      for si in root.findall("m:si", ns)]
        names = [s.get("name") for s in ElementTree.fromstring(  # noqa: S314
            book.read("xl/workbook.xml")).find("m:sheets", ns)]
        sheets = {}
        for number, name in enumerate(names, start=1):
            sheet = book.read(f"xl/worksheets/sheet{number}.xml")
            root = ElementTree.fromstring(sheet)  # noqa: S314
            rows = []
            for r in root.iter(f"{{{ns['m']}}}row"):
                cells = {}
                for c in r.findall("m:c", ns):
                    kind, column = c.get("t", "n"), c.get("r").rstrip("0123456789")
                    if kind == "inlineStr":
                        cells[column] = ("s", "".join(t.text or "" for t in c.iter(
                            f"{{{ns['m']}}}t")))
                    elif kind == "s":
                        cells[column] = ("s", shared[int(c.find("m:v", ns).text)])
                    else:
                        cells[column] = (kind, c.find("m:v", ns).text)
                rows.append(cells)
            sheets[name] = rows
    return sheets
