"""A society's member register in a real browser, over the real registry: the
representative pages through the members (50 a page, next and previous) and searches
them; a CSV with bad rows imports nothing and lists every bad row with its line and what
is wrong (in Hindi too); leaving the bad rows out imports the good ones, as the API's
skip_bad_rows does; another society's register is not found; the import with
JavaScript off; the register and the import's answer at 360 and 1280 px in English and
Hindi, axe-core clean."""

from __future__ import annotations

import uuid

import pytest

from tests.browser.conftest import each_width_and_language
from tests.browser.test_portal_sign_in import sign_in_by_password

HEADER = "membership_number,name,category,admission_date\n"
BAD_FILE = (HEADER + "N-001,Asha Devi,individual,2021-04-01\n"
            "M-0001,Already There,individual,2021-04-01\n"
            "N-002,Future Member,individual,2999-01-01\n"
            "N-003,Wrong Category,person,2021-04-01\n")


@pytest.fixture(scope="module")
def society(stack) -> dict:
    society_id = f"mem{uuid.uuid4().hex[:8]}"
    stack.society(society_id, "Krishna Weavers Co-operative")
    rows = "".join(f"M-{n:04d},Member {n:04d},individual,2015-06-01\n" for n in range(1, 61))
    seeded = stack.http.post(
        f"/v1/societies/{society_id}/members/import", content=(HEADER + rows).encode(),
        headers={**stack.token("society_representative", "society", society_id),
                 "Content-Type": "text/csv"})
    assert seeded.status_code == 201 and seeded.json()["imported"] == 60, seeded.text
    rep = stack.kit.make_account(role="society_representative", scope_kind="society",
                                 scope_id=society_id)
    return {"id": society_id, "username": rep["username"]}


def _members(stack, society_id: str) -> int:
    found = stack.http.get(f"/v1/societies/{society_id}/members", params={"limit": 500},
                           headers=stack.token("society_representative", "society",
                                               society_id))
    return len(found.json()["items"])


def _bad_file(tmp_path, text: str = BAD_FILE):
    path = tmp_path / "members.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_the_representative_pages_searches_and_imports(browser, stack, society, tmp_path):
    context = browser.new_context(base_url=stack.base_url)
    page = context.new_page()
    try:
        sign_in_by_password(page, society["username"])
        page.get_by_role("link", name="Member register").click()
        page.wait_for_url(f"**/members/{society['id']}")
        rows = page.locator("table.members tbody tr")
        assert rows.count() == 50
        assert rows.first.locator("td").nth(3).inner_text() == "01-06-2015"
        page.get_by_role("link", name="Next page").click()
        assert rows.count() == 10 and rows.first.inner_text().startswith("M-0051")
        page.get_by_role("link", name="Previous page").click()
        assert rows.first.inner_text().startswith("M-0001")
        page.get_by_label("Name or membership number").fill("Member 0042")
        page.get_by_role("button", name="Search").click()
        assert rows.count() == 1 and "M-0042" in rows.first.inner_text()

        page.get_by_role("link", name="Import members from a CSV file").click()
        page.get_by_label("CSV file of members").set_input_files(_bad_file(tmp_path))
        page.get_by_role("button", name="Import", exact=True).click()
        assert "Nothing was imported: 3 rows are wrong." in page.locator("main").inner_text()
        bad = page.locator("table.bad-rows tbody tr")
        lines = [bad.nth(i).locator("td").first.inner_text() for i in range(bad.count())]
        assert lines == ["3", "4", "5"]
        assert "already in the register" in bad.nth(0).inner_text()
        assert "The date is in the future." in bad.nth(1).inner_text()
        assert "individual, firm or society" in bad.nth(2).inner_text()
        assert _members(stack, society["id"]) == 60

        page.get_by_label("CSV file of members").set_input_files(_bad_file(tmp_path))
        page.get_by_label("Import the good rows and leave out the wrong ones").check()
        page.get_by_role("button", name="Import", exact=True).click()
        assert "1 members imported." in page.locator("main").inner_text()
        assert _members(stack, society["id"]) == 61

        answer = page.goto("/members/another-society")
        assert answer.status == 404
    finally:
        context.close()


def test_the_import_without_javascript_in_hindi(browser, stack, society, tmp_path):
    context = browser.new_context(base_url=stack.base_url, java_script_enabled=False,
                                  viewport={"width": 360, "height": 800})
    page = context.new_page()
    try:
        sign_in_by_password(page, society["username"])
        context.add_cookies([{"name": "portal_lang", "value": "hi",
                              "url": stack.base_url}])
        page.goto(f"/members/{society['id']}/import")
        page.get_by_label("सदस्यों की CSV फ़ाइल").set_input_files(_bad_file(
            tmp_path, HEADER + "P-001,Ravi,individual,2999-01-01\n"))
        page.get_by_role("button", name="आयात करें", exact=True).click()
        main = page.locator("main").inner_text()
        assert "कुछ भी आयात नहीं किया गया" in main and "तिथि भविष्य की है।" in main
    finally:
        context.close()


def test_the_register_fits_both_widths_and_passes_axe(browser, stack, society, axe_script,
                                                      tmp_path):
    def visit(page, language):
        page.goto(f"/members/{society['id']}")
        yield "members"
        page.goto(f"/members/{society['id']}/import")
        page.locator("input[type=file]").set_input_files(_bad_file(tmp_path))
        page.locator("form[enctype] button").click()
        yield "members-import"

    problems = each_width_and_language(browser, stack, axe_script, visit,
                                       username=society["username"])
    assert not problems, "\n".join(problems)
