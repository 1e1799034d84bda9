"""The OpenAPI says what the API does: a property-based run (schemathesis) over every
operation of ``/openapi.json`` against the whole platform as deployed
(tests/e2e/seeded.py: six services and the gateway as processes, real scoped data),
anonymous and as an administrator, a registrar with an office grant, a society
representative with a society grant and a citizen.

Each operation gets a bounded number of generated requests (``EXAMPLES``) with generated
path parameters, and as many again with the seeded side A's ids in the path, so the
answers that carry data are checked too. Every answer must be:

- no 5xx;
- a status the operation documents, in a media type it documents for that status;
- a body that matches the documented schema (the problem document for every failure);
- for a request the schema allows, not a 422: a route validates what it documents and
  nothing else (its patterns, lengths, formats and required fields are the schema's).

Failures are collected over the whole run and reported together, one line per operation
and check, so one run shows every mismatch.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.e2e.seeded import SeededPlatform, Side

pytestmark = pytest.mark.timeout(1200)

# Generated requests per operation and identity, for each of the two path-parameter
# sources; FUZZ_EXAMPLES raises it for a longer run by hand.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]

ANONYMOUS = "anonymous"
IDENTITIES = (ANONYMOUS, "administrator (unscoped)", "registrar@office:mp-bhopal",
              "society_representative@A", "citizen (unscoped)")
# Operations that end the identity's own session: asked anonymously only, so the rest of
# the run keeps its token (a password change needs the current password, never generated).
OWN_SESSION = {("POST", "/v1/auth/sign-out")}

# Path parameters filled from side A's seeded objects.
SEEDED_PATH = {"society_id": lambda s: s.society_id, "office_id": lambda s: s.office_id,
               **{name: (lambda s, n=name: s.ids[n]) for name in (
                   "election_id", "application_id", "filing_id", "document_id", "member_id",
                   "job_id", "case_id")}}


@dataclass
class Findings:
    """What the run found, by (operation, what failed): the first example of each."""

    items: dict[tuple[str, str], str] = field(default_factory=dict)
    requests: int = 0

    def add(self, operation: str, title: str, example: str) -> None:
        self.items.setdefault((operation, title), example)

    def report(self) -> str:
        return "\n".join(f"{operation}: {title}\n    {example}"
                         for (operation, title), example in sorted(self.items.items()))


@pytest.fixture(scope="module")
def platform(tmp_path_factory) -> Iterator[SeededPlatform]:
    seeded = SeededPlatform(tmp_path_factory.mktemp("fuzz"))
    try:
        yield seeded.start()
    finally:
        seeded.close()


@pytest.fixture(scope="module")
def api(platform) -> Any:
    document = platform.http.get("/openapi.json").json()
    schema = schemathesis.openapi.from_dict(document)
    schema.config.update(base_url=str(platform.http.base_url).rstrip("/"))
    return schema


# Refusals of well-formed requests for reasons no OpenAPI schema can state: another
# field's value, today's date, the object's state, a form definition. By operation, the
# fields (a trailing * for a family) that may be refused so, and why. Anything else a
# request the schema allows is refused for is a mismatch between schema and route.
ANY_LIST = {"cursor": "a cursor the list never gave", "query.cursor": "the same, read by "
            "the gateway", "after": "the same, read by the service"}
SEMANTIC_REFUSALS: dict[str, dict[str, str]] = {
    "GET /v1/documents": {"owner": "owner or society_id: one of the two"},
    "POST /v1/documents": {"society_id": "the owner society's id when the owner is one",
                           "sha256": "X-Content-SHA256 is the body's own digest"},
    "POST /v1/documents/{document_id}/versions": {
        "sha256": "X-Content-SHA256 is the body's own digest"},
    "GET /v1/liquidation/return": {"period_to": "on or after period_from"},
    "POST /v1/appeals": {"order_date": "not after today"},
    "POST /v1/auth/password": {"old_password": "the current password",
                               "new_password": "differs from the old one, not the username"},
    "POST /v1/applications": {"society_id": "required for every kind but a registration"},
    "POST /v1/offices": {"parent_id": "required below the national office, refused on it",
                         "state": "required for a state or district office",
                         "district": "required for a district office"},
    "POST /v1/templates/{template_key}/versions": {
        "subject": "only the template's own placeholders", "body": "the same"},
    "POST /v1/cases/slas": {"overall_days": "at least level 0's days"},
    "GET /v1/cases/dashboard/monthly": {"from_month": "not after to_month",
                                        "to_month": "within 36 months of from_month"},
    "POST /v1/cases/kinds/{kind}/versions": {
        "states": "each declared once", "initial": "a declared state",
        "closed_states*": "declared states", "openers*": "the platform's roles",
        "transitions*": "declared states, known roles, each action once, and the actions "
                        "hearings and orders take"},
    "POST /v1/cases/{case_id}/actions": {"action": "one of the case's allowed_actions"},
    "POST /v1/cases/{case_id}/hearings": {"hearing_at": "in the future"},
    "POST /v1/cases/{case_id}/orders": {"final": "a grievance takes final orders only"},
    "POST /v1/elections/{election_id}/objections": {
        "payload": "what an objection names follows its kind"},
    "POST /v1/filings/forms": {"definition.*": "the form-definition rules"},
    "PUT /v1/filings/{filing_id}/draft": {"values.*": "the form's own fields"},
    "POST /v1/grievances": {"society_id": "required unless the complaint is against the "
                                          "portal"},
    "POST /v1/societies/{society_id}/members": {"admission_date": "not in the future"},
    "PATCH /v1/societies/{society_id}/members/{member_id}": {
        "effective_date": "not before the member's last change, not in the future"},
    "POST /v1/societies/{society_id}/members/import": {
        "membership_number": "the CSV's header names its columns", "name": "the same",
        "category": "the same", "admission_date": "the same", "line": "the CSV's rows"},
    "POST /v1/societies/{society_id}/members/{member_id}/cease": {
        "cessation_date": "on or after the member's admission and today"},
}


def _semantic(label: str, field: str) -> bool:
    allowed = {**ANY_LIST, **SEMANTIC_REFUSALS.get(label, {})}
    return field in allowed or any(
        key.endswith("*") and field.startswith(key[:-1]) for key in allowed)


def _request_id(response: Any) -> str | None:
    """The gateway's X-Request-ID, to find the request in its log."""
    for name, value in response.headers.items():
        if name.lower() == "x-request-id":
            return value[0] if isinstance(value, list) else value
    return None


def _seeded_path(operation: Any, side: Side) -> dict[str, str]:
    names = {parameter.name for parameter in operation.path_parameters}
    return {name: fill(side) for name, fill in SEEDED_PATH.items() if name in names}


def _refused_valid_input(label: str, response: Any) -> str | None:
    """A request the schema allows answered 422 for a reason the schema could have said:
    the route validates more than it documents."""
    if response.status_code != 422:
        return None
    try:
        fields = response.json()["error"]["details"].get("fields", {})
    except (ValueError, KeyError, AttributeError):
        fields = {}
    unexplained = {f: reason for f, reason in fields.items() if not _semantic(label, f)}
    if fields and not unexplained:
        return None
    return f"valid input refused: {unexplained or response.text[:200]}"


def _exercise(operation: Any, headers: dict[str, str], findings: Findings,
              path_parameters: dict[str, str] | None) -> None:
    strategy = operation.as_strategy(path_parameters=path_parameters or None)

    @hypothesis.settings(max_examples=EXAMPLES, deadline=None, database=None,
                         derandomize=True, phases=[Phase.explicit, Phase.generate],
                         suppress_health_check=list(HealthCheck), print_blob=False)
    @given(case=strategy)
    def run(case: Any) -> None:
        response = case.call(headers=headers, timeout=30)
        findings.requests += 1
        label = f"{operation.method.upper()} {operation.path}"
        example = (f"{response.status_code} {response.request.method} {response.request.url}"
                   f" (request id {_request_id(response)})")
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except FailureGroup as group:
            for failure in group.exceptions:
                findings.add(label, failure.title, f"{example}: {failure.message[:300]}")
        refused = _refused_valid_input(label, response)
        if refused:
            findings.add(label, "valid input refused", f"{example}: {refused}")

    run()


@pytest.mark.parametrize("who", IDENTITIES)
def test_every_operation_answers_as_its_schema_says(api, platform, who):
    headers = {} if who == ANONYMOUS else platform.identities[who].headers
    side = platform.sides["A"]
    findings = Findings()
    for result in api.get_all_operations():
        assert isinstance(result, Ok), result
        operation = result.ok()
        if who != ANONYMOUS and (operation.method.upper(), operation.path) in OWN_SESSION:
            continue
        _exercise(operation, headers, findings, None)
        seeded = _seeded_path(operation, side)
        if seeded:
            _exercise(operation, headers, findings, seeded)
    assert findings.requests > 0
    assert not findings.items, (f"{len(findings.items)} mismatches over "
                                f"{findings.requests} requests as {who}:\n{findings.report()}")
