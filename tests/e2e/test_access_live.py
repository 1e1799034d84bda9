"""The route-by-role walk against the real services: every GET route of the API and every
page of the portal (the bearer token in place of the portal's cookies), asked by
every identity of the seeded platform (tests/e2e/seeded.py) with side A's objects and with
side B's. The identities hold grants on side A only, so for each route a role may call:

- side A's object is served (200), whoever checks the scope: the gateway or the service;
- side B's object answers 404, as if it did not exist, for every scoped identity;
- no answer to a scoped identity carries any of side B's ids or its society's name,
  lists included;
- nothing answers 5xx.

The unit walk (tests/gateway/unit/test_gateway_access_matrix.py) proves the gateway's rules
behind a fake bus; this one proves the services keep the same promise with real data, so
a read that forgets its scope check fails here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from gateway.access import MATRIX, api_routes
from gateway.main import create_app
from tests.e2e.seeded import SeededPlatform, Side
from tests.gateway.identity_kit import settings_for

pytestmark = pytest.mark.timeout(900)

# Path parameters filled from a side's seeded objects, by route (the same name means
# different things on different paths) and then by name.
BY_ROUTE = {
    "cases.kind": {"kind": lambda s: "grievance"},
    "cases.kind_versions": {"kind": lambda s: "grievance"},
    "elections.voters.page": {"kind": lambda s: "provisional"},
    "elections.voters.export": {"kind": lambda s: "provisional"},
    "documents.public_get": {"document_id": lambda s: s.ids["public_document_id"]},
    "documents.public_download": {"document_id": lambda s: s.ids["public_document_id"]},
}
BY_NAME = {"society_id": lambda s: s.society_id, "office_id": lambda s: s.office_id,
           **{name: (lambda s, n=name: s.ids[n]) for name in (
               "election_id", "application_id", "filing_id", "document_id", "member_id",
               "job_id")}}
# Query parameters a route needs to answer at all.
QUERY = {"members.snapshot": {"as_on": "2026-01-01"},
         "cases.slas.in_force": {"category": "housing"}}
# What each scoped grant covers on side A, by the path parameter naming the object: a
# route naming only such objects must serve them. Unscoped grants see every side and are
# only held to "never 5xx".
OWN = {"society_id", "filing_id", "document_id", "case_id", "member_id", "job_id"}
SERVED = {
    ("society_representative", "society"): OWN,
    ("registrar", "office"): {*OWN, "office_id", "application_id"},
    ("dealing_officer", "office"): {*OWN, "office_id", "application_id"},
    ("returning_officer", "election"): {"election_id"},
    ("assistant_returning_officer", "election"): {"election_id"},
    **{(role, "society"): {"society_id"} for role in (
        "auditor", "inspector", "inquirer", "arbitrator", "liquidator")},
}
# Grievance cases are the only cases the seed makes; a liquidation case is another thing.
CASE_ROUTES = re.compile(r"^(/v1)?/cases/\{case_id\}")

# Routes whose object the seed does not make, with why; they are still asked with ids
# that exist nowhere and must answer 404 (never 5xx, never another side's data).
NOT_SEEDED = {
    "elections.counting.get_form": "no Form 19M/19N is submitted before the count",
    "elections.nominations.get": "nominations open later in the programme",
    "elections.counting.result": "nothing is declared before the count",
    "elections.ob_meeting": "the office bearers' meeting follows the board's declaration",
    "notify.get_delivery": "deliveries are numbered by notify; the walk reads them by job",
    # {application_id} here is an application for assistance, not the registration.
    "filings.assistance.get": "applications for assistance are taken 1 April to 30 June "
                              "(tests/e2e/test_filings_assistance_http.py inserts one)",
    # releases, certificates, repayments and the funds follow a sanction of such an
    # application (tests/e2e/test_filings_assistance_http.py records them)
    **{f"filings.assistance.{name}": "no application for assistance is seeded, so none "
                                     "is sanctioned" for name in (
        "releases", "utilisations", "repayments", "funds")},
    # The programme has not reached these stages (tests/e2e/test_elections_flow.py runs it).
    "elections.nominations.list": "the nominations are displayed later in the programme",
    "elections.nominations.contesting": "the contesting list is published after scrutiny",
    "elections.voters.page": "the provisional list is published by the RO's draw",
    "elections.voters.export": "the provisional list is published by the RO's draw",
    # A message page names one of notify's message ids; the seed posts none the walk can
    # name (tests/browser/test_portal_mailbox.py opens them).
    "portal.society_message": "the seed posts no mailbox message the walk can name",
    "portal.office_message": "the seed posts no mailbox message the walk can name",
    # The election pages of the count (tests/browser/test_portal_returning_officer.py runs them).
    "portal.election_form": "no Form 19M/19N is submitted before the count",
    "portal.election_form_19m_preview": "Form 19M is built from the count (409 before it)",
}


def fill(route: str, path: str, side: Side) -> str:
    values: dict[str, str] = {}
    for name in re.findall(r"{(\w+)}", path):
        fixed = BY_ROUTE.get(route, {}).get(name)
        if fixed:
            values[name] = fixed(side)
        elif name == "case_id" and CASE_ROUTES.match(path):
            values[name] = side.ids["case_id"]
        elif name in BY_NAME:
            values[name] = BY_NAME[name](side)
        else:
            values[name] = "walk-nothing-here"
    return path.format(**values)


@pytest.fixture(scope="module")
def platform(tmp_path_factory) -> Iterator[SeededPlatform]:
    seeded = SeededPlatform(tmp_path_factory.mktemp("seeded"))
    try:
        yield seeded.start()
    finally:
        seeded.close()


def test_every_read_serves_its_own_side_and_hides_the_other(platform):
    a, b = platform.sides["A"], platform.sides["B"]
    routes = _named_get_routes(platform)
    assert len(routes) > 60
    problems: list[str] = []
    checked = {"hidden": 0, "served": 0, "leaks": 0}
    for name, path in routes:
        rule = MATRIX[name]
        for identity in platform.identities.values():
            allowed = rule.who != "roles" or identity.role in rule.roles
            scoped = identity.scope is not None
            for side_name, side in (("A", a), ("B", b)):
                url = fill(name, path, side)
                answer = platform.http.get(url, headers=identity.headers,
                                           params=QUERY.get(name))
                status, seen = answer.status_code, answer.text
                where = f"{identity.label} GET {url} ({name}, side {side_name})"
                if status >= 500:
                    problems.append(f"{where}: {status} {seen[:200]}")
                    continue
                if not allowed:
                    if status not in (401, 403):
                        problems.append(f"{where}: a role the rule refuses got {status}")
                    continue
                has_id = "{" in path
                if rule.who == "roles" and scoped and side_name == "B" and has_id \
                        and _names_side_object(path):
                    checked["hidden"] += 1
                    if status != 404:
                        problems.append(f"{where}: another side's object answered {status}"
                                        f" {seen[:160]}")
                    continue
                if rule.who == "roles" and scoped:
                    checked["leaks"] += 1
                    leaked = [m for m in b.markers if m and m in seen]
                    if leaked:
                        problems.append(f"{where}: shows side B's {leaked}")
                if side_name == "A" and _serves(identity, path) and name not in NOT_SEEDED:
                    checked["served"] += 1
                    if status == 200:
                        continue
                    problems.append(f"{where}: its own object answered {status} "
                                    f"{seen[:160]}")
    assert not problems, f"{len(problems)} answers broke the matrix:\n" + "\n".join(problems)
    # The walk asked enough to mean something (it would pass vacuously on an empty seed).
    assert checked["hidden"] > 120 and checked["served"] > 100 and checked["leaks"] > 230, \
        checked


def _objects(path: str) -> set[str]:
    return set(re.findall(r"{(\w+)}", path)) & {*BY_NAME, "case_id"} \
        if not path.startswith("/v1/liquidation") else set()


def _serves(identity, path: str) -> bool:
    """Whether the identity's grant covers every object the path names on side A."""
    objects = _objects(path)
    if identity.role == "applicant":
        return objects == {"application_id"}
    covered = SERVED.get((identity.role, identity.scope[0])) if identity.scope else None
    return bool(objects) and covered is not None and objects <= covered


def _names_side_object(path: str) -> bool:
    """Whether the path names one of the seed's objects (not a kind, a code or a form)."""
    params = set(re.findall(r"{(\w+)}", path))
    return bool(params & {*BY_NAME, "case_id"}) and not path.startswith("/v1/liquidation")


def _named_get_routes(platform: SeededPlatform) -> list[tuple[str, str]]:
    app = create_app(settings_for(f"sqlite:///{platform.work / 'walk-routes.db'}"))
    return sorted((route.name, route.path_format) for route in api_routes(app)
                  if "GET" in (route.methods or ()) and (
                      route.path_format.startswith("/v1/") or route.name.startswith("portal.")))
