"""Versions of a kind an administrator publishes, over the real broker and PostgreSQL:
cases opened after follow the new version, a case already open keeps its own; a
definition naming an undeclared state or an unknown role, or dropping an action
hearings take by name, is refused naming the rule, nothing written; audited."""

from __future__ import annotations

import copy

import pytest

from services.common.errors import Forbidden, InvalidInput
from services.grievance.kinds import LATEST
from tests.services.integration.grievance_kit import complaint


def _definition(kind: str) -> dict:
    """The shipped version of ``kind`` as a body to publish."""
    shipped = LATEST[kind]
    return {"title": shipped.title, "title_hi": shipped.title_hi,
            "initial": shipped.initial, "states": list(shipped.states),
            "closed_states": list(shipped.closed_states), "openers": list(shipped.openers),
            "parties": list(shipped.parties),
            "initial_deadline_days": shipped.initial_deadline_days,
            "transitions": [{"name": t.name, "from_states": list(t.from_states),
                             "to": t.to, "roles": list(t.roles), "title_hi": t.title_hi,
                             "deadline_days": t.deadline_days,
                             "within_days": t.within_days} for t in shipped.transitions]}


def test_a_new_version_governs_cases_opened_after_and_spares_open_ones(grievance_stack):
    stack = grievance_stack
    admin = stack.as_role("administrator", actor_id="admin-1")
    society_id = stack.add_society("mp")
    citizen = stack.citizen("citizen-kinds")
    old = citizen.raise_grievance(payload=complaint(society_id))
    assert old["kind_version"] == 1

    # Version 2: the office acknowledges a grievance before assigning it.
    body = _definition("grievance")
    body["states"].append("acknowledged")
    body["transitions"].insert(0, {
        "name": "acknowledge", "from_states": ["received"], "to": "acknowledged",
        "roles": ["dealing_officer", "registrar"], "title_hi": "प्राप्ति स्वीकार की गई",
        "deadline_days": 5})
    for t in body["transitions"]:
        if t["name"] in ("assign", "withdraw"):
            t["from_states"].append("acknowledged")
    published = admin.publish_kind(payload={"kind": "grievance", **body,
                                            "note": "Acknowledge within 5 days"})
    assert (published["version"], published["in_force"]) == (2, True)

    new = citizen.raise_grievance(payload=complaint(society_id))
    assert new["kind_version"] == 2
    officer = stack.officer("mp")
    assert "acknowledge" in officer.get_case(payload={"case_id": new["id"]})[
        "allowed_actions"]
    moved = officer.take_action(payload={"case_id": new["id"], "action": "acknowledge"})
    assert moved["state"] == "acknowledged"
    # The case opened under version 1 has no such action: refused, naming its actions.
    with pytest.raises(InvalidInput) as refused:
        officer.take_action(payload={"case_id": old["id"], "action": "acknowledge"})
    assert "assign" in refused.value.details["fields"]["action"]
    assert "acknowledge" not in officer.get_case(payload={"case_id": old["id"]})[
        "allowed_actions"]

    assert [k["version"] for k in citizen.case_kinds(payload={})["items"]
            if k["kind"] == "grievance"] == [2]
    versions = citizen.kind_versions(payload={"kind": "grievance"})["items"]
    assert [(v["version"], v["source"], v["in_force"]) for v in versions] == [
        (1, "shipped", False), (2, "published", True)]
    assert versions[1]["published_by"] == "admin-1"
    trail = stack.system.audit_entries(payload={"entity_type": "grievance_kind"})["items"]
    assert [(e["action"], e["entity_id"]) for e in trail] == [
        ("kind_version_published", "grievance/v2")]


@pytest.mark.parametrize(("change", "rule", "field"), [
    (lambda b: b["transitions"][0].update(to="nowhere"),
     "every transition names declared states", "transitions[0].to"),
    (lambda b: b["transitions"][1]["from_states"].append("limbo"),
     "every transition names declared states", "transitions[1].from_states[1]"),
    (lambda b: b["transitions"][0]["roles"].append("chief_minister"),
     "roles are the platform's", "transitions[0].roles[2]"),
    (lambda b: b["openers"].append("complainant"), "roles are the platform's",
     "openers[2]"),
    (lambda b: b.update(initial="draft"), "the initial state is a declared state",
     "initial"),
    (lambda b: b["closed_states"].append("archived"), "closed states are declared states",
     "closed_states[3]"),
    (lambda b: b["transitions"].append(dict(b["transitions"][0])),
     "every action is declared once", "transitions[5].name"),
    (lambda b: b.update(transitions=[t for t in b["transitions"] if t["name"] != "hear"]),
     "appeal keeps the actions hearings and orders take", "transitions"),
])
def test_a_definition_breaking_a_rule_is_refused_naming_it(grievance_stack, change, rule,
                                                           field):
    stack = grievance_stack
    body = copy.deepcopy(_definition("appeal"))
    change(body)
    with pytest.raises(InvalidInput) as refused:
        stack.as_role("administrator").publish_kind(payload={"kind": "appeal", **body})
    assert refused.value.details["rule"].startswith(rule)
    assert field in refused.value.details["fields"]
    assert stack.sql("SELECT count(*) FROM grievance_kind_version")[0][0] == 0


def test_only_an_administrator_publishes(grievance_stack):
    stack = grievance_stack
    body = {"kind": "inquiry", **_definition("inquiry")}
    for proxy in (stack.officer("mp", "reg-mp", role="registrar"), stack.citizen()):
        with pytest.raises(Forbidden) as refused:
            proxy.publish_kind(payload=body)
        assert refused.value.details["rule"] == ("kinds of case are published by an "
                                                 "administrator")
    assert stack.as_role("administrator").publish_kind(payload=body)["version"] == 2
