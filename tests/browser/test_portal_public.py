"""What anyone can do on the portal, in a real browser: search the directory and open a
society, page through results, switch the language (remembered), check a certificate by
its code, its QR link and its file."""

from __future__ import annotations

import re

from tests.browser.conftest import unique


def test_directory_search_leads_to_the_society_page(page, stack, registered):
    page.goto("/")
    page.get_by_label("Name begins with").fill(registered["name"][:12])
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/societies\?q="))
    page.get_by_role("link", name=registered["name"]).click()
    assert page.get_by_role("heading", level=1).inner_text() == registered["name"]
    facts = page.locator("dl.facts").inner_text()
    assert "MSCS/" in facts and "Fishery" in facts and "Registered" in facts
    assert "Goa, Maharashtra" in facts
    # the register's date, as India writes it
    assert re.search(r"\b\d{2}-\d{2}-\d{4}\b", facts)
    assert "No election has declared a board yet." in page.content()


def test_directory_filters_and_pages_forward_and_back(page, stack):
    prefix = unique("Pagewalk")
    for n in range(23):
        stack.society(f"pw{prefix[-6:]}{n:02d}", f"{prefix} Dairy {n:02d}",
                      state="Karnataka", district="Mysuru")
    page.goto("/societies")
    page.get_by_label("Name begins with").fill(prefix)
    page.get_by_label("State").fill("Karnataka")
    page.get_by_role("button", name="Search").click()
    rows = page.locator("table.list tbody tr")
    assert rows.count() == 20
    assert page.get_by_role("link", name="Previous page").count() == 0
    page.get_by_role("link", name="Next page").click()
    assert rows.count() == 3
    assert f"{prefix} Dairy 22" in page.locator("table.list").inner_text()
    assert page.get_by_role("link", name="Next page").count() == 0
    page.get_by_role("link", name="Previous page").click()
    assert rows.count() == 20
    assert f"{prefix} Dairy 00" in page.locator("table.list").inner_text()
    # the filters stay in the form
    assert page.get_by_label("State").input_value() == "Karnataka"


def test_a_bad_filter_is_explained_beside_its_field(page, stack):
    page.goto("/societies?q=K")
    error = page.locator("#e-q")
    assert error.inner_text() == "Type at least two letters of the name."
    assert page.get_by_label("Name begins with").get_attribute("aria-invalid") == "true"


def test_the_language_switch_is_on_every_page_and_remembered(page, stack, registered):
    page.goto("/verify")
    page.get_by_role("link", name="हिन्दी").click()
    page.wait_for_url("**/verify")
    assert page.locator("html").get_attribute("lang") == "hi"
    assert page.get_by_role("heading", level=1).inner_text() == "प्रमाणपत्र सत्यापित करें"
    # remembered: the next pages open in Hindi without asking again
    page.goto(f"/societies/{registered['society_id']}")
    assert "पंजीकरण संख्या" in page.locator("dl.facts").inner_text()
    assert "मत्स्य" in page.locator("dl.facts").inner_text()
    page.goto("/guides/register-a-society")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "बहु-राज्य सहकारी समिति का पंजीकरण कराएँ")
    page.goto("/societies?q=K")
    assert page.locator("#e-q").inner_text() == "नाम के कम से कम दो अक्षर लिखें।"
    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto("/")
    assert page.get_by_role("heading", level=1).inner_text() == "Co-operative societies portal"


def test_a_certificate_verifies_by_code_by_qr_link_and_by_file(page, stack, registered,
                                                               tmp_path):
    code = registered["code"]
    page.goto("/verify")
    page.get_by_label("Verification code").fill(code.lower().replace("-", " "))
    page.get_by_role("button", name="Verify", exact=True).click()
    result = page.locator("section.result")
    assert "Genuine" in result.inner_text()
    assert registered["name"] in result.inner_text()
    assert "Registration certificate" in result.inner_text()
    assert re.search(r"\d{2}-\d{2}-\d{4} \d{2}:\d{2} IST", result.inner_text())

    # the QR code's link opens the same answer
    page.goto(f"/verify/{code}")
    assert "Genuine" in page.locator("section.result").inner_text()

    genuine = tmp_path / "certificate.pdf"
    genuine.write_bytes(registered["pdf"])
    page.goto("/verify")
    page.get_by_label("The certificate's PDF file").set_input_files(str(genuine))
    page.get_by_role("button", name="Check the file").click()
    assert "byte for byte" in page.locator("section.result").inner_text()

    altered = bytearray(registered["pdf"])
    altered[len(altered) // 2] ^= 0x01
    forged = tmp_path / "altered.pdf"
    forged.write_bytes(bytes(altered))
    page.get_by_label("The certificate's PDF file").set_input_files(str(forged))
    page.get_by_role("button", name="Check the file").click()
    assert "Not genuine" in page.locator("section.result").inner_text()


def test_a_mistyped_code_is_explained_beside_the_field(page, stack):
    page.goto("/verify?code=12")
    assert "12 letters and digits" in page.locator("#e-code").inner_text()
    page.goto("/verify?code=ABCD-EFGH-JKLM")
    assert "no certificate has this code" in page.locator("section.result").inner_text()


def test_pages_carry_a_strict_content_security_policy(page, stack):
    response = page.goto("/")
    headers = response.headers
    policy = headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
