"""SLA versions an office publishes, over the real broker and PostgreSQL: a registrar
publishes for an office under their grant; grievances opened after get the newest
version, kept on the case; a case already open keeps its clocks and escalates on the
version it was opened under; refusals name their rule and write nothing; every
publication is audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.common.errors import Forbidden, InvalidInput, NotFound
from tests.services.integration.grievance_kit import complaint


def _days_from(start: str, end: str) -> float:
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)) / timedelta(days=1)


def _publish(stack, **body):
    registrar = stack.officer("mp", "reg-mp", role="registrar")
    return registrar.publish_sla(payload={"office_id": "mp", "category": "housing",
                                          **body})


def test_a_new_version_applies_to_cases_opened_after_and_never_to_open_ones(
        grievance_stack):
    stack = grievance_stack
    society_id = stack.add_society("mp", kind="housing")
    citizen = stack.citizen("citizen-sla")
    before = citizen.raise_grievance(payload=complaint(society_id, category="housing"))
    assert before["sla"]["source"] == "national"
    assert before["sla"]["level_days"] == [10, 5, 5]

    first = _publish(stack, level_days=[5, 3, 2], overall_days=12,
                     note="Monitoring cell: housing complaints within 12 days")
    assert (first["version"], first["in_force"], first["published_by"]) == (1, True,
                                                                           "reg-mp")
    under_v1 = citizen.raise_grievance(payload=complaint(society_id, category="housing"))
    assert (under_v1["sla"]["office_id"], under_v1["sla"]["version"]) == ("mp", 1)
    assert _days_from(under_v1["opened_at"], under_v1["due_at"]) == pytest.approx(5)
    assert _days_from(under_v1["opened_at"], under_v1["overall_due_at"]) == pytest.approx(12)

    second = _publish(stack, level_days=[8, 4, 4], overall_days=20)
    assert second["version"] == 2
    under_v2 = citizen.raise_grievance(payload=complaint(society_id, category="housing"))
    assert under_v2["sla"]["version"] == 2
    assert _days_from(under_v2["opened_at"], under_v2["due_at"]) == pytest.approx(8)

    # The cases already open keep what they were opened under, clocks and all.
    for opened in (before, under_v1):
        now = citizen.get_case(payload={"case_id": opened["id"]})
        assert (now["sla"], now["due_at"], now["overall_due_at"]) == (
            opened["sla"], opened["due_at"], opened["overall_due_at"])

    # Escalated, the v1 case gets v1's level 1 (3 days), not v2's (4).
    stack.sql("UPDATE grievance_case SET due_at = now() - interval '1 hour' WHERE id = :i",
              i=under_v1["id"])
    assert stack.system.escalate_late_cases(payload={}) == {"escalated": 1}
    moved = citizen.get_case(payload={"case_id": under_v1["id"]})
    left = datetime.fromisoformat(moved["due_at"]) - datetime.now(UTC)
    assert moved["level"] == 1 and timedelta(days=2.9) < left < timedelta(days=3.1)

    page = stack.citizen("reader").sla_versions(payload={"office_id": "mp"})
    assert [(v["version"], v["in_force"]) for v in page["items"]] == [(2, True), (1, False)]
    assert page["total"] == 2 and page["next_offset"] is None
    assert {"category": "housing", "office_id": None, "version": 1, "level_days": [10, 5, 5],
            "overall_days": 21, "source": "national"} in page["national"]
    assert stack.citizen("reader").sla_versions(payload={"limit": 1})["next_offset"] == 1
    trail = stack.system.audit_entries(payload={"entity_type": "grievance_sla"})["items"]
    assert sorted((e["action"], e["entity_id"], e["changes"]["version"]) for e in trail) == [
        ("sla_published", "mp/housing", 1), ("sla_published", "mp/housing", 2)]


def test_the_rule_in_force_falls_back_from_the_office_to_the_nation(grievance_stack):
    stack = grievance_stack
    reader = stack.officer("mp-bhopal", "do-bhopal")
    assert reader.sla_in_force(payload={"category": "housing", "office_id": "mp-bhopal"})[
        "source"] == "national"
    _publish(stack, category="*", level_days=[12, 6, 6], overall_days=25)
    _publish(stack, level_days=[6, 3, 3], overall_days=14)
    found = reader.sla_in_force(payload={"category": "housing", "office_id": "mp-bhopal"})
    assert (found["office_id"], found["category"], found["chain"]) == (
        "mp", "housing", ["mp-bhopal", "mp", "crcs"])
    # Elections: the national elections rule is more specific than mp's '*' rule.
    assert reader.sla_in_force(payload={"category": "elections", "office_id": "mp"})[
        "level_days"] == [7, 3, 3]
    assert reader.sla_in_force(payload={"category": "membership", "office_id": "mp"})[
        "level_days"] == [12, 6, 6]
    assert reader.sla_in_force(payload={"category": "membership", "office_id": "wb"})[
        "level_days"] == [15, 7, 7]
    assert reader.sla_in_force(payload={"category": "portal"})["chain"] == ["crcs"]


def test_publishing_is_refused_naming_the_rule_and_writes_nothing(grievance_stack):
    stack = grievance_stack
    body = {"office_id": "mp", "category": "housing", "level_days": [5, 3],
            "overall_days": 10}
    with pytest.raises(Forbidden) as officer:
        stack.officer("mp", "do-1").publish_sla(payload=body)
    assert "registrar" in officer.value.details["rule"]
    with pytest.raises(Forbidden) as elsewhere:              # mp-bhopal's grant, mp's SLA
        stack.officer("mp-bhopal", "reg-bh", role="registrar").publish_sla(payload=body)
    assert elsewhere.value.details["chain"] == ["mp", "crcs"]
    with pytest.raises(Forbidden):
        stack.citizen().publish_sla(payload=body)
    with pytest.raises(InvalidInput) as short:
        _publish(stack, level_days=[15, 7], overall_days=10)
    assert short.value.details["rule"].startswith("overall_days >= level_days[0]")
    assert short.value.details["fields"] == {"overall_days": "at least 15 (level 0's days)"}
    with pytest.raises(InvalidInput) as zero:
        _publish(stack, level_days=[5, 0], overall_days=10)
    assert "level_days.1" in str(zero.value.details["fields"])
    with pytest.raises(InvalidInput):
        _publish(stack, level_days=[], overall_days=10)
    with pytest.raises(InvalidInput):
        _publish(stack, level_days=[5, 3, 2, 1], overall_days=10)
    with pytest.raises(NotFound):
        stack.as_role("administrator").publish_sla(payload={**body, "office_id": "nowhere"})
    assert stack.system.sla_versions(payload={})["total"] == 0
    assert stack.system.audit_entries(payload={"entity_type": "grievance_sla"})[
        "items"] == []
    # A registrar of the state publishes for a district under it; an administrator too.
    district = stack.officer("mp", "reg-mp", role="registrar").publish_sla(
        payload={**body, "office_id": "mp-bhopal"})
    assert (district["office_id"], district["version"]) == ("mp-bhopal", 1)
    assert stack.as_role("administrator").publish_sla(payload=body)["version"] == 1
