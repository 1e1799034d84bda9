"""The whole platform as deployed (six services and the gateway as processes on their own
PostgreSQL databases, documents on the filesystem), with two sides seeded through the
HTTP API: side A under the Bhopal district office, side B under the neighbouring Indore
district office (made by the administrator), both under the Madhya Pradesh registrar.

Each side holds a society, a member, a registration application, an election, a return,
a grievance case, a document and a mass message, all made by the people who would make
them. ``identities`` are signed in with grants on side A only (its society, its office,
its election, the applicant who filed A's application), plus the unscoped roles, so a
test can ask every route as each of them and expect A's objects served and B's hidden.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.e2e.harness import PlatformStack, registered_society, wait_until
from tests.e2e.test_registry_flow import FORM
from tests.services.integration.elections_kit import ist, seed_order
from tests.services.integration.grievance_kit import complaint
from tests.services.integration.test_filings_returns import ANNUAL, DOCUMENTS

SERVICES = ("registry", "elections", "filings", "grievance", "notify", "documents")

# (office, state, district) of each side: two neighbouring districts of one state.
SIDES = {"A": ("mp-bhopal", "Madhya Pradesh", "Bhopal"),
         "B": ("mp-indore", "Madhya Pradesh", "Indore")}
INDORE = {"id": "mp-indore", "name": "Deputy Registrar, Indore", "level": "district",
          "parent_id": "mp", "state": "Madhya Pradesh", "district": "Indore",
          "number_format": "MP/IDR/{seq}/{year}"}


def _address() -> dict[str, str]:
    """Each sign-in from an address of its own, so the sign-in limits never meet."""
    n = uuid.uuid4().int
    return {"X-Forwarded-For": f"10.{n % 250}.{(n >> 8) % 250}.{(n >> 16) % 250}"}


@dataclass
class Side:
    """The ids of what one side holds; ``markers`` are the strings that betray it."""

    office_id: str
    society_id: str = ""
    society_name: str = ""
    ids: dict[str, str] = field(default_factory=dict)

    @property
    def markers(self) -> list[str]:
        return [self.society_id, self.society_name, *self.ids.values()]


@dataclass(frozen=True)
class Identity:
    label: str
    role: str
    scope: tuple[str, str] | None
    headers: dict[str, str]


class SeededPlatform(PlatformStack):
    def __init__(self, work: Path):
        super().__init__(work, SERVICES, ELECTIONS_CLOCK="adjustable")
        self.sides = {name: Side(office) for name, (office, _s, _d) in SIDES.items()}
        self.identities: dict[str, Identity] = {}

    def start(self) -> SeededPlatform:
        super().start()
        self._seed()
        return self

    # ------------------------------------------------------------------ people

    def sign_in(self, role: str, scope_kind: str | None = None,
                scope_id: str | None = None) -> dict[str, str]:
        """Headers of a new account holding one grant, signed in through the gateway."""
        if role == "citizen":
            return self._citizen()
        return self.token(role, scope_kind, scope_id)

    def _citizen(self) -> dict[str, str]:
        """A citizen signs in by OTP; the gateway's development channel logs the code."""
        asked = self._ok(self.http.post("/v1/auth/otp/request", headers=_address(), json={
            "channel": "email", "destination": f"c{uuid.uuid4().hex[:8]}@example.in"}), 202)
        challenge = asked["challenge_id"]
        gateway = next(proc for proc in self.procs if proc.name == "gateway")
        code = wait_until(lambda: re.search(rf"DEVELOPMENT OTP (\d+) .*{challenge}",
                                            gateway.log_tail(400)), 10, "the OTP line")[1]
        verified = self._ok(self.http.post("/v1/auth/otp/verify", headers=_address(), json={
            "challenge_id": challenge, "code": code}), 200)
        return {"Authorization": f"Bearer {verified['access_token']}"}

    def _identity(self, label: str, role: str, kind: str | None = None,
                  scope_id: str | None = None, headers: dict[str, str] | None = None) -> None:
        self.identities[label] = Identity(
            label, role, (kind, scope_id) if kind else None,
            headers or self.sign_in(role, kind, scope_id))

    # ------------------------------------------------------------------ the seed

    def _ok(self, response: httpx.Response, status: int = 201) -> dict[str, Any]:
        assert response.status_code == status, (response.request.url, response.text)
        return response.json()

    def _register(self, side: Side, name: str, state: str, district: str) -> None:
        """A registration from the promoter's form to the registrar's approval at the
        side's office, so every service hears of the society as it would in production."""
        applicant = self.sign_in("applicant")
        made = registered_society(self, {
            **FORM, "name": name, "state": state, "district": district,
            "address": f"1 Station Road, {district}", "area_of_operation": [state]},
            office_id=side.office_id, applicant=applicant)
        side.society_id, side.society_name = made["society_id"], name
        side.ids["application_id"] = made["application_id"]
        if side is self.sides["A"]:
            self._identity("applicant (A's promoter)", "applicant", headers=applicant)

    def _seed(self) -> None:
        self._ok(self.http.post("/v1/offices", headers=self.sign_in("administrator"),
                                json=INDORE))
        cea = self.sign_in("cea_official")
        self._ok(self.http.put("/v1/elections/clock", headers=cea,
                               json={"at": ist("2025-09-20 10:00").isoformat()}), 200)
        names = {"A": "Narmada Kisan Sahakari Samiti", "B": "Malwa Bunkar Sahakari Samiti"}
        for label, (_office, state, district) in SIDES.items():
            self._seed_side(label, names[label], state, district, cea)
        self._people()

    def _seed_side(self, label: str, name: str, state: str, district: str,
                   cea: dict[str, str]) -> None:
        side, http = self.sides[label], self.http
        self._register(side, name, state, district)
        society = side.society_id
        rep = self.sign_in("society_representative", "society", society)

        member = self._ok(http.post(f"/v1/societies/{society}/members", headers=rep, json={
            "membership_number": f"{label}-0001", "name": f"Walk Member {label}",
            "category": "individual", "admission_date": "2020-04-01",
            "phone": "9820000001" if label == "A" else "9830000001",
            "email": f"member-{label.lower()}@example.in", "language": "hi"}))
        side.ids["member_id"] = member["member_id"]

        election = self._ok(http.post("/v1/elections", headers=cea, json=seed_order(
            society, number=f"{300 + ord(label)}/2025-26", area_states=[state],
            booths=[{"number": 1, "location": f"Booth 1, {district}", "district": district,
                     "state": state, "voters_assigned": 10}])))
        side.ids["election_id"] = election["id"]

        filing = self._ok(http.post("/v1/filings", headers=rep, json={
            "form_code": "MSCS/ANNUAL", "filer_id": society, "period_end": "2025-03-31",
            "values": {**ANNUAL, **DOCUMENTS}}))
        side.ids["filing_id"] = filing["id"]

        case = self._ok(http.post("/v1/grievances", headers=rep, json=complaint(
            society, subject=f"Dividend not paid ({label})")))
        side.ids["case_id"] = case["id"]

        document = self._ok(http.post("/v1/documents", headers=rep, params={
            "owner": f"society:{society}", "kind": "balance_sheet",
            "title": f"Annual report {label}", "file_name": "report.pdf",
            "access_level": "society_and_office", "society_id": society},
            content=b"%PDF-1.4\n% walk\n"))
        side.ids["document_id"] = document["document_id"]
        public = self._ok(http.post("/v1/documents", headers=rep, params={
            "owner": f"society:{society}", "kind": "bye_laws",
            "title": f"Bye-laws {label}", "file_name": "bye-laws.pdf",
            "access_level": "public", "society_id": society},
            content=b"%PDF-1.4\n% public\n"))
        side.ids["public_document_id"] = public["document_id"]

        job = self._ok(http.post(f"/v1/mass-messages/societies/{society}", headers=rep, json={
            "template_key": "general_meeting_notice", "channels": ["sms"],
            "variables": {"society_name": name, "meeting": "annual general meeting",
                          "at": "2026-12-20 11:00", "venue": "Panchayat Bhavan"}}), 202)
        side.ids["job_id"] = job["id"]
        wait_until(lambda: http.get(f"/v1/mass-messages/{job['id']}", headers=rep
                                    ).json()["status"] == "completed", 60,
                   f"side {label}'s mass message")
        if label == "A":
            self._identity("society_representative@A", "society_representative", "society",
                           society, rep)

    def _people(self) -> None:
        a = self.sides["A"]
        for role in ("registrar", "dealing_officer"):
            self._identity(f"{role}@office:{a.office_id}", role, "office", a.office_id)
        for role in ("auditor", "inspector", "inquirer", "arbitrator", "liquidator"):
            self._identity(f"{role}@A", role, "society", a.society_id)
        for role in ("returning_officer", "assistant_returning_officer"):
            self._identity(f"{role}@election:A", role, "election", a.ids["election_id"])
        for role in ("cea_official", "administrator", "citizen", "registrar"):
            self._identity(f"{role} (unscoped)", role)
