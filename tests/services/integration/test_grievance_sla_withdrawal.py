"""Withdrawing an SLA version before it comes into force, over the real broker and
PostgreSQL: a version published for a later date is scheduled (the one before stays in
force); whoever may publish it withdraws it with a reason, audited; withdrawn, it is
never in force, not on its date, not for a grievance opened then, nor when that
grievance escalates; a version in force or past is refused with 409 naming the rule and
the date it came into force; others are refused naming the rule, and nothing changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.common.errors import Conflict, Forbidden, InvalidInput, NotFound
from services.common.india import INDIA
from services.grievance.service import GrievanceService
from tests.services.integration.grievance_kit import complaint


def _india_day(moment: datetime) -> str:
    return moment.astimezone(INDIA).strftime("%d-%m-%Y")


def test_a_scheduled_version_is_withdrawn_and_never_in_force(grievance_stack, monkeypatch):
    stack = grievance_stack
    society_id = stack.add_society("mp", kind="housing")
    registrar = stack.officer("mp", "reg-mp", role="registrar")
    real_now = datetime.now(UTC)
    tomorrow = (real_now.astimezone(INDIA) + timedelta(days=1)).date()
    first = registrar.publish_sla(payload={
        "office_id": "mp", "category": "housing", "level_days": [5, 3, 2],
        "overall_days": 12})
    assert (first["version"], first["status"], first["in_force"]) == (1, "in_force", True)
    second = registrar.publish_sla(payload={
        "office_id": "mp", "category": "housing", "level_days": [8, 4, 4],
        "overall_days": 20, "in_force_from": tomorrow.isoformat(),
        "note": "From tomorrow: more days for the monitoring cell"})
    assert (second["version"], second["status"], second["in_force"]) == (2, "scheduled",
                                                                        False)
    assert datetime.fromisoformat(second["in_force_from"]) == datetime(
        tomorrow.year, tomorrow.month, tomorrow.day, tzinfo=INDIA)
    reader = stack.officer("mp", "do-mp")
    assert reader.sla_in_force(payload={"category": "housing", "office_id": "mp"})[
        "version"] == 1

    # Refused, naming the rule; nothing changes.
    with pytest.raises(Forbidden) as other_state:
        stack.officer("wb", "reg-wb", role="registrar").withdraw_sla(
            payload={"sla_id": second["id"], "reason": "Not ours to keep"})
    assert other_state.value.details["rule"].startswith("a registrar publishes SLAs")
    with pytest.raises(Forbidden) as dealing:
        reader.withdraw_sla(payload={"sla_id": second["id"], "reason": "Too long"})
    assert dealing.value.details["required_roles"] == ["registrar", "administrator"]
    with pytest.raises(InvalidInput) as no_reason:
        registrar.withdraw_sla(payload={"sla_id": second["id"]})
    assert "reason" in no_reason.value.details["fields"]
    with pytest.raises(NotFound):
        registrar.withdraw_sla(payload={"sla_id": 999_999, "reason": "No such version"})
    with pytest.raises(InvalidInput) as past:
        registrar.publish_sla(payload={
            "office_id": "mp", "category": "housing", "level_days": [8, 4, 4],
            "overall_days": 20,
            "in_force_from": (tomorrow - timedelta(days=3)).isoformat()})
    assert past.value.details["rule"] == "in_force_from is today or later"

    withdrawn = registrar.withdraw_sla(payload={
        "sla_id": second["id"], "reason": "The state's circular of 01-12-2026 keeps 5 days"})
    assert (withdrawn["status"], withdrawn["in_force"]) == ("withdrawn", False)
    assert withdrawn["withdrawn"]["by"] == "reg-mp"
    assert withdrawn["withdrawn"]["reason"] == "The state's circular of 01-12-2026 keeps 5 days"
    with pytest.raises(Conflict) as again:
        registrar.withdraw_sla(payload={"sla_id": second["id"], "reason": "Once more"})
    assert again.value.details["rule"] == "a version is withdrawn once"

    # In force: refused naming the rule and the date it came into force.
    with pytest.raises(Conflict) as in_force:
        registrar.withdraw_sla(payload={"sla_id": first["id"], "reason": "Start again"})
    assert in_force.value.details["rule"] == "only a version not yet in force may be withdrawn"
    assert in_force.value.details["in_force_from"] == _india_day(real_now)
    assert f"came into force on {_india_day(real_now)}" in str(in_force.value)

    # Two days on, past the withdrawn version's date: still version 1, for the reading,
    # for a grievance opened then and for its escalation.
    later = real_now + timedelta(days=2)
    monkeypatch.setattr(GrievanceService, "_now", lambda self, session: later)
    assert reader.sla_in_force(payload={"category": "housing", "office_id": "mp"})[
        "version"] == 1
    raised = stack.citizen("citizen-w").raise_grievance(
        payload=complaint(society_id, category="housing"))
    assert (raised["sla"]["office_id"], raised["sla"]["version"]) == ("mp", 1)
    assert (datetime.fromisoformat(raised["due_at"]) - later) == timedelta(days=5)
    stack.sql("UPDATE grievance_case SET due_at = :d WHERE id = :i",
              d=later - timedelta(hours=1), i=raised["id"])
    assert stack.system.escalate_late_cases(payload={}) == {"escalated": 1}
    moved = stack.system.get_case(payload={"case_id": raised["id"]})
    assert moved["level"] == 1
    assert datetime.fromisoformat(moved["due_at"]) - later == timedelta(days=3)  # v1, not 4

    # A third version scheduled past today; the first is superseded once it comes in.
    day_after = (later.astimezone(INDIA) + timedelta(days=1)).date()
    third = registrar.publish_sla(payload={
        "office_id": "mp", "category": "housing", "level_days": [6, 3, 3],
        "overall_days": 15, "in_force_from": day_after.isoformat()})
    assert (third["version"], third["status"]) == (3, "scheduled")
    page = reader.sla_versions(payload={"office_id": "mp"})
    assert [(v["version"], v["status"]) for v in page["items"]] == [
        (3, "scheduled"), (2, "withdrawn"), (1, "in_force")]
    further = later + timedelta(days=2)
    monkeypatch.setattr(GrievanceService, "_now", lambda self, session: further)
    assert reader.sla_in_force(payload={"category": "housing", "office_id": "mp"})[
        "version"] == 3
    assert [(v["version"], v["status"]) for v in reader.sla_versions(
        payload={"office_id": "mp"})["items"]] == [
        (3, "in_force"), (2, "withdrawn"), (1, "superseded")]
    with pytest.raises(Conflict) as past_version:
        registrar.withdraw_sla(payload={"sla_id": first["id"], "reason": "Old"})
    assert past_version.value.details["in_force_from"] == _india_day(real_now)
    with pytest.raises(Conflict) as third_in:
        registrar.withdraw_sla(payload={"sla_id": third["id"], "reason": "Changed mind"})
    assert third_in.value.details["in_force_from"] == day_after.strftime("%d-%m-%Y")

    trail = stack.system.audit_entries(payload={"entity_type": "grievance_sla"})["items"]
    withdrawals = [e for e in trail if e["action"] == "sla_withdrawn"]
    assert [(e["entity_id"], e["actor_id"], e["changes"]["version"], e["changes"]["reason"])
            for e in withdrawals] == [
        ("mp/housing", "reg-mp", 2, "The state's circular of 01-12-2026 keeps 5 days")]


def test_an_administrator_withdraws_for_any_office(grievance_stack):
    stack = grievance_stack
    tomorrow = (datetime.now(INDIA) + timedelta(days=1)).date()
    admin = stack.as_role("administrator", actor_id="admin-1")
    scheduled = admin.publish_sla(payload={
        "office_id": "wb", "category": "*", "level_days": [10, 5],
        "overall_days": 20, "in_force_from": tomorrow.isoformat()})
    # A registrar of another state may not; the administrator may.
    with pytest.raises(Forbidden):
        stack.officer("mp", "reg-mp", role="registrar").withdraw_sla(
            payload={"sla_id": scheduled["id"], "reason": "Not ours"})
    assert admin.withdraw_sla(payload={"sla_id": scheduled["id"],
                                       "reason": "Published for the wrong office"})[
        "status"] == "withdrawn"
    assert stack.officer("wb", "do-wb").sla_in_force(
        payload={"category": "membership", "office_id": "wb"})["source"] == "national"
