"""The portal in a real browser: Debian's chromium driven by Playwright, against the
gateway, the registry and documents running as processes on the real broker and
PostgreSQL (tests/e2e/harness.py). The set-up installs chromium when it can (root with
apt-get) and fetches axe-core with npm into the user's cache (deploy/bootstrap.sh
--for-tests does both); without them the tests skip and say the command that fixes it.

Screenshots go to tests/browser/artefacts/ (git-ignored; ``PORTAL_ARTEFACTS`` moves it).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import uuid
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.harness import DomainStack, free_port, wait_until

CHROMIUM = Path("/usr/bin/chromium")
AXE_CORE_VERSION = "4.14.1"
AXE_DIR = (Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
           / "coop-platform" / f"axe-core-{AXE_CORE_VERSION}")
ARTEFACTS = Path(os.environ.get("PORTAL_ARTEFACTS") or Path(__file__).with_name("artefacts"))
WIDTHS = (360, 1280)


def _has_devanagari_font() -> bool:
    listed = subprocess.run(["fc-list", ":lang=hi"], capture_output=True, text=True)
    return listed.returncode == 0 and bool(listed.stdout.strip())


def _ensure_chromium() -> None:
    """Debian's chromium, and a Devanagari font so the Hindi screenshots show text."""
    if CHROMIUM.exists() and _has_devanagari_font():
        return
    packages = ["chromium", "fonts-lohit-deva"]
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        if CHROMIUM.exists():
            return  # the pages still work; only the screenshots lack Hindi glyphs
        pytest.skip("Debian's chromium is missing: sudo apt-get install -y "
                    + " ".join(packages))
    done = subprocess.run(["apt-get", "install", "-y", "-q", *packages],
                          capture_output=True, text=True, timeout=900,
                          env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    if not CHROMIUM.exists():
        pytest.skip("apt-get install -y chromium failed: " + done.stderr[-500:])


def _ensure_axe() -> Path:
    script = AXE_DIR / "axe.min.js"
    if script.exists():
        return script
    if shutil.which("npm") is None:
        pytest.skip("axe-core is missing and npm is not installed: deploy/bootstrap.sh "
                    "--for-tests fetches it")
    AXE_DIR.mkdir(parents=True, exist_ok=True)
    packed = subprocess.run(["npm", "pack", "--silent", f"axe-core@{AXE_CORE_VERSION}"],
                            cwd=AXE_DIR, capture_output=True, text=True, timeout=300)
    tarball = AXE_DIR / f"axe-core-{AXE_CORE_VERSION}.tgz"
    if packed.returncode != 0 or not tarball.exists():
        pytest.skip("npm pack axe-core failed: " + packed.stderr[-500:])
    subprocess.run(["tar", "-xzf", tarball.name, "--strip-components=1",
                    "package/axe.min.js"], cwd=AXE_DIR, check=True, timeout=60)
    tarball.unlink()
    return script


@pytest.fixture(scope="session")
def axe_script() -> str:
    return _ensure_axe().read_text()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    _ensure_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        try:
            yield launched
        finally:
            launched.close()


class PortalStack(DomainStack):
    """Registry, documents (or another domain service) and the gateway (with the portal)
    as processes; the certificates' QR codes point at the portal's verify page."""

    def __init__(self, work: Path, service: str = "documents", **extra: str):
        env = {"DOCUMENTS_STORE": "filesystem", "DOCUMENTS_FILES_DIR": str(work / "files"),
               "DOCUMENTS_DATA_PORT": str(free_port())} if service == "documents" else {}
        env.update(extra)
        super().__init__(work, service, **env, GATEWAY_DIRECTORY_CACHE_SECONDS="0",
                         PORTAL_COOKIE_SECURE="false", GATEWAY_OTP_CHANNEL="log")
        if service == "documents":
            self.extra_env["DOCUMENTS_VERIFY_BASE_URL"] = (
                f"http://127.0.0.1:{self.port}/verify/")

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def otp_for(self, challenge: str) -> str:
        """The code the gateway's development channel logged for this challenge."""
        gateway = next(proc for proc in self.procs if proc.name == "gateway")
        found = wait_until(lambda: re.search(rf"DEVELOPMENT OTP (\d+) .*{challenge}",
                                             gateway.log_tail(400)), 10, "the OTP line")
        return found[1]


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[PortalStack]:
    running = PortalStack(tmp_path_factory.mktemp("portal-stack"))
    try:
        yield running.start()
    finally:
        running.close()


@pytest.fixture
def page(browser, stack) -> Iterator[Any]:
    context = browser.new_context(base_url=stack.base_url, viewport={"width": 1280,
                                                                     "height": 900})
    try:
        yield context.new_page()
    finally:
        context.close()


def unique(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:6]}"


def serious_violations(page: Any, axe_script: str) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it stands."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: the page's CSP (no inline scripts)
        # does not apply to it, and stays in force for the page itself.
        page.evaluate(axe_script)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["html"][:200] for n in v["nodes"][:3]]}
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def screenshot(page: Any, name: str) -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def layout_problems(page: Any, axe_script: str, name: str, width: int) -> list[str]:
    """The page as it stands: a screenshot kept, no sideways scrolling on the phone,
    and axe-core's serious and critical violations, each named with the page and width."""
    problems = []
    screenshot(page, f"{name}-{width}")
    if width == min(WIDTHS):
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            problems.append(f"{name} at {width}px scrolls sideways by {overflow}px")
    for violation in serious_violations(page, axe_script):
        problems.append(f"{name} at {width}px: {violation}")
    return problems


def each_width_and_language(browser: Any, stack: PortalStack, axe_script: str,
                            visit: Callable[[Any, str], Iterable[str]], *,
                            username: str | None = None,
                            languages: tuple[str, ...] = ("en", "hi")) -> list[str]:
    """Every page ``visit`` opens, at each width and in each language: ``visit(page,
    language)`` goes to a page and yields its name, and the page is checked there
    (``layout_problems``). A fresh browser context per language, signed in by password
    as ``username`` first when given. The problems found, for one assertion."""
    from tests.browser.test_portal_sign_in import sign_in_by_password

    problems: list[str] = []
    for language in languages:
        context = browser.new_context(base_url=stack.base_url)
        page = context.new_page()
        try:
            if username:
                sign_in_by_password(page, username)
            context.add_cookies([{"name": "portal_lang", "value": language,
                                  "url": stack.base_url}])
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 800})
                for name in visit(page, language):
                    problems += layout_problems(page, axe_script, f"{language}-{name}", width)
        finally:
            context.close()
    return problems


REGISTRATION_FORM = {
    "address": "12 Harbour Road, Ratnagiri 415612", "state": "Maharashtra",
    "district": "Ratnagiri", "area_of_operation": ["Maharashtra", "Goa"], "type": "fishery",
    "board_seats": {"general": 9, "women": 2, "sc_st": 1},
    "office_bearers": [{"role": "Chairman", "name": "S. Naik"}],
    "contacts": {"email": "office@sahyadri.example", "phone": "+91 2352 220000",
                 "language": "en"},
    "bye_law_document_ids": ["doc-bye-laws"],
}


def register_society(stack: PortalStack, name: str) -> dict[str, Any]:
    """A promoter's registration from form to approval over the API, and the certificate
    documents issued for it: ids, the applicant's headers, the printed code, the PDF."""
    http = stack.http
    applicant = stack.token("applicant")
    created = http.post("/v1/applications", headers=applicant, json={
        "kind": "registration", "office_id": "crcs",
        "data": {**REGISTRATION_FORM, "name": name},
        "applicant": {"name": "Meera Naik", "email": "meera@example.in", "language": "en"}})
    assert created.status_code == 201, created.text
    application_id = created.json()["id"]
    promoter = http.post(f"/v1/applications/{application_id}/promoters", headers=applicant,
                         json={"name": "Meera Naik", "aadhaar_number": "456789012345",
                               "otp": "123456"})
    assert promoter.status_code == 200 and promoter.json()["verified"], promoter.text
    assert http.post(f"/v1/applications/{application_id}/submit",
                     headers=applicant).status_code == 200
    officer = stack.token("dealing_officer", "office", "crcs")
    assert http.post(f"/v1/applications/{application_id}/take-up",
                     headers=officer).status_code == 200
    approved = http.post(f"/v1/applications/{application_id}/approve",
                         headers=stack.token("registrar"))
    assert approved.status_code == 200, approved.text
    society_id = approved.json()["society_id"]

    def certificates():
        found = http.get("/v1/documents/public", params={"society_id": society_id,
                                                         "kind": "certificate"})
        return found.status_code == 200 and found.json()["items"]

    [certificate] = wait_until(certificates, 30, "the registration certificate")
    pdf = http.get(f"/v1/documents/public/{certificate['document_id']}/content").content
    verified = http.post("/v1/documents/verify", content=pdf).json()
    return {"society_id": society_id, "application_id": application_id, "name": name,
            "applicant": applicant, "code": verified["verification_code"], "pdf": pdf}


@pytest.fixture(scope="module")
def registered(stack) -> dict[str, Any]:
    return register_society(stack, unique("Sahyadri Fisheries Co-operative"))
