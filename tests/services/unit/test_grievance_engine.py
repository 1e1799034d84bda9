"""The case engine on the kinds' definitions, without a database: every kind is
consistent, a transition is refused from the wrong state (409) or by the wrong role
(403) naming its rule, windows close, and each kind's deadlines start the clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.common.errors import Conflict, Forbidden, InvalidInput, NotFound
from services.grievance import engine, routing
from services.grievance.kinds import LATEST
from services.grievance.kinds.definition import Kind, Transition

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


def test_every_kind_is_declared_and_each_transition_names_declared_states():
    assert set(LATEST) == {"grievance", "inquiry", "inspection", "arbitration", "appeal",
                           "court_case"}
    for kind in LATEST.values():
        described = kind.describe()
        assert described["version"] >= 1 and kind.initial in kind.states
        assert all(t["to"] in kind.states for t in described["transitions"])
    with pytest.raises(ValueError, match="undeclared states"):
        Kind(name="broken", version=1, title="Broken", title_hi="", initial="a",
             states=("a",), closed_states=(), openers=(), parties=(),
             transitions=(Transition("go", ("a",), "b", ("registrar",)),))


def test_kinds_name_only_the_platforms_roles_and_declared_closed_states():
    from gateway.identity.roles import ROLE_NAMES
    from services.grievance.kinds.definition import KNOWN_ROLES

    assert set(KNOWN_ROLES) <= set(ROLE_NAMES)
    shape = {"name": "broken", "version": 1, "title": "Broken", "title_hi": "",
             "initial": "a", "states": ("a", "b"), "openers": ("citizen",), "parties": ()}
    with pytest.raises(ValueError, match=r"unknown roles \['chief'\]"):
        Kind(**shape, closed_states=("b",),
             transitions=(Transition("go", ("a",), "b", ("chief",)),))
    with pytest.raises(ValueError, match="closed states"):
        Kind(**shape, closed_states=("z",), transitions=())


def test_a_transition_from_the_wrong_state_is_409_naming_the_rule():
    grievance = engine.kind_of("grievance")
    with pytest.raises(Conflict) as refused:
        engine.check(grievance, "received", "resolve", role="dealing_officer",
                     is_complainant=False, entered_at=NOW, now=NOW)
    assert refused.value.details["rule"] == (
        "grievance v1: 'resolve' goes from assigned to resolved, taken by "
        "dealing_officer, registrar")


def test_a_role_that_may_not_take_it_is_403_naming_the_rule():
    inquiry = engine.kind_of("inquiry")
    with pytest.raises(Forbidden) as refused:
        engine.check(inquiry, "in_progress", "submit_report", role="inspector",
                     is_complainant=False, entered_at=NOW, now=NOW)
    assert "taken by inquirer" in refused.value.details["rule"]
    assert engine.check(inquiry, "in_progress", "submit_report", role="inquirer",
                        is_complainant=False, entered_at=NOW, now=NOW).to == "reported"
    with pytest.raises(Forbidden):
        engine.ensure_may_open(engine.kind_of("court_case"), "citizen")


def test_reopening_closes_thirty_days_after_resolution():
    grievance = engine.kind_of("grievance")
    resolved_at = NOW - timedelta(days=30, minutes=1)
    with pytest.raises(Conflict) as late:
        engine.check(grievance, "resolved", "reopen", role="citizen", is_complainant=True,
                     entered_at=resolved_at, now=NOW)
    assert "until 07-12-2026 15:29 IST" in late.value.message
    assert engine.check(grievance, "resolved", "reopen", role="citizen",
                        is_complainant=True, entered_at=NOW - timedelta(days=29),
                        now=NOW).to == "reopened"


def test_unknown_actions_and_kinds_are_refused_and_deadlines_follow_the_definition():
    grievance = engine.kind_of("grievance")
    with pytest.raises(InvalidInput):
        engine.check(grievance, "received", "fly", role="registrar", is_complainant=False,
                     entered_at=NOW, now=NOW)
    with pytest.raises(NotFound):
        engine.kind_of("grievance", 99)
    assert engine.next_due(grievance, None, NOW) == NOW + timedelta(days=3)
    assert engine.next_due(grievance, grievance.by_name["assign"], NOW) == (
        NOW + timedelta(days=15))
    assert engine.allowed_actions(grievance, "resolved", "citizen", True) == [
        "rate", "reopen"]


def test_housing_societies_route_to_the_monitoring_cell_of_their_office():
    chain = ["wb", "crcs"]
    assert routing.route({"type": "housing"}, chain, "accounts_and_dividend") == (
        "wb", chain, "monitoring_cell")
    assert routing.route({"type": "credit"}, chain, "membership") == (
        "wb", chain, "grievance_cell")
    assert routing.route(None, [], "portal") == ("crcs", ["crcs"], "grievance_cell")


def test_an_appeal_on_the_sixtieth_day_is_in_time_and_the_sixty_first_is_refused():
    from datetime import date

    from services.common.errors import OutsideWindow
    from services.grievance.hearings import rules

    rules.ensure_in_time(date(2026, 10, 8), date(2026, 12, 7))          # day 60
    with pytest.raises(OutsideWindow) as late:
        rules.ensure_in_time(date(2026, 10, 7), date(2026, 12, 7))
    assert "dated 07-10-2026, so the last day was 06-12-2026 (today is 07-12-2026)" in (
        late.value.message)
    with pytest.raises(InvalidInput):
        rules.ensure_in_time(date(2026, 12, 8), date(2026, 12, 7))
    assert rules.action_for_order("court_case", False) == "record_order"
    with pytest.raises(InvalidInput):
        rules.action_for_hearing("grievance")
