"""The monthly roll-up answers exactly what the case tables say: cases opened, assigned,
resolved, rated, closed, reopened (into another month, too), withdrawn and escalated by
the sweep (twice in a month counts once) through the real service over six months, at
three offices and two kinds; every reading of ``case_performance`` (the platform, a
state registrar's grant, a district's, one office, one kind, part of the range) equals
the series computed from the case tables the way it was before the roll-up. Then the
roll-up is rebuilt from the stored cases (what the migration does) and answers the same.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import Integer, cast, create_engine, extract, func, select
from sqlalchemy import case as when
from sqlalchemy.orm import Session

from services.common.india import INDIA
from services.grievance.cases import rollup
from services.grievance.cases.dashboard import reach_condition
from services.grievance.cases.performance import months_of
from services.grievance.service import GrievanceService
from services.grievance.tables import case, case_event
from tests.services.integration.grievance_kit import complaint

START = datetime(2026, 1, 3, 4, 30, tzinfo=UTC)
RANGE = {"from_month": "2025-12", "to_month": "2026-08"}


def _start(month: date) -> datetime:
    return datetime(month.year, month.month, 1, tzinfo=INDIA)


def _next(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def from_case_tables(session: Session, reach, query: dict) -> dict:
    """The series as it was computed before the roll-up: three GROUP BYs over the case
    tables (cases/performance.py until migration 0009)."""
    query = SimpleNamespace(**{"office_id": None, "kind": None, **query})
    months = months_of(query.from_month, query.to_month, START)
    begin, end = _start(months[0]), _start(_next(months[-1]))

    def labelled(column):
        return when(*[(column < _start(_next(m)), m.strftime("%Y-%m")) for m in months],
                    else_=None).label("month")

    routed = case.c.office_ids[0].as_string().label("office")
    conditions = [c for c in (reach_condition(reach),) if c is not None]
    if query.office_id is not None:
        conditions.append(routed == query.office_id)
    if query.kind is not None:
        conditions.append(case.c.kind == query.kind)
    series: dict = defaultdict(dict)

    def cell(office, month):
        return series[office or "-"].setdefault(month, {
            "opened": 0, "resolved": 0, "resolved_within_sla": 0, "resolved_with_sla": 0,
            "escalated": 0, "median_days_to_resolve": None})

    opened = labelled(case.c.opened_at)
    for office, month, count in session.execute(
            select(routed, opened, func.count())
            .where(case.c.opened_at >= begin, case.c.opened_at < end, *conditions)
            .group_by(routed, opened)):
        cell(office, month)["opened"] = count
    closed = labelled(case.c.closed_at)
    days = extract("epoch", case.c.closed_at - case.c.opened_at) / 86400.0
    for office, month, count, in_sla, with_sla, middle in session.execute(
            select(routed, closed, func.count(),
                   func.sum(cast(case.c.closed_at <= case.c.overall_due_at, Integer)),
                   func.count(case.c.overall_due_at),
                   func.percentile_cont(0.5).within_group(days))
            .where(case.c.closed_at >= begin, case.c.closed_at < end,
                   case.c.state.not_in(("withdrawn",)), *conditions)
            .group_by(routed, closed)):
        cell(office, month).update(resolved=count, resolved_within_sla=int(in_sla or 0),
                                   resolved_with_sla=with_sla,
                                   median_days_to_resolve=round(float(middle), 1))
    moved = labelled(case_event.c.at)
    for office, month, count in session.execute(
            select(routed, moved, func.count(func.distinct(case_event.c.case_id)))
            .join_from(case_event, case, case.c.id == case_event.c.case_id)
            .where(case_event.c.action == "escalate", case_event.c.at >= begin,
                   case_event.c.at < end, *conditions)
            .group_by(routed, moved)):
        cell(office, month)["escalated"] = count
    labels = [m.strftime("%Y-%m") for m in months]
    return {"from_month": labels[0], "to_month": labels[-1], "office_id": query.office_id,
            "kind": query.kind,
            "offices": [{"office_id": office, "months": [
                {"month": label, **cell(office, label)} for label in labels]}
                for office in sorted(series)]}


def _story(rng: random.Random, i: int) -> list[tuple[float, str, dict]]:
    """What happens to grievance ``i``: (days after it is raised, who, the action)."""
    assign = rng.uniform(0.5, 20)                   # some late at level 0 first
    resolve = assign + rng.uniform(0.2, 40)          # some past the 30-day clock
    steps = {
        0: [],                                                   # left open
        1: [(assign, "office", {"action": "assign"}),
            (resolve, "office", {"action": "resolve"}),
            (resolve + rng.uniform(0.1, 6), "complainant", {"action": "rate", "rating": 4})],
        2: [(assign, "office", {"action": "assign"}),
            (resolve, "office", {"action": "resolve"}),
            (resolve + 1, "office", {"action": "close"}),
            (resolve + rng.uniform(2, 28), "complainant", {"action": "reopen"})],
        3: [(rng.uniform(0, 12), "complainant", {"action": "withdraw"})],
        4: [(assign, "office", {"action": "assign"}),
            (resolve, "office", {"action": "resolve"}),
            (resolve + rng.uniform(1, 25), "complainant", {"action": "reopen"}),
            (resolve + 26, "office", {"action": "assign"}),
            (resolve + 27 + rng.uniform(0, 9), "office", {"action": "resolve"}),
            (resolve + 40, "complainant", {"action": "rate", "rating": 2})],
        5: [(assign, "office", {"action": "assign"}),
            (assign + 2, "office", {"action": "ask_complainant"}),
            (assign + rng.uniform(3, 30), "complainant", {"action": "withdraw"})],
    }[i % 6]
    return steps


def test_the_rollup_answers_what_the_case_tables_say(grievance_stack, monkeypatch):
    stack = grievance_stack
    clock = {"now": START}
    monkeypatch.setattr(GrievanceService, "_now", lambda self, session: clock["now"])
    offices = ["mp-bhopal", "mp", "wb"]
    societies = {office: stack.add_society(office) for office in offices}
    rng = random.Random(17)
    timeline: list[tuple[datetime, int, object]] = []
    cases: dict[int, str] = {}

    def raise_(i: int, office: str):
        def run():
            cases[i] = stack.citizen(f"citizen-{i}").raise_grievance(
                payload=complaint(societies[office]))["id"]
        return run

    def act(i: int, who: str, body: dict, office: str):
        def run():
            proxy = (stack.citizen(f"citizen-{i}") if who == "complainant"
                     else stack.officer(office, f"do-{office}"))
            payload = {"case_id": cases[i], "note": "Seen and answered.", **body}
            if body["action"] == "assign":
                payload["assignee"] = f"do-{office}"
            proxy.take_action(payload=payload)
        return run

    def inquiry(i: int, office: str, reject_after: float | None):
        def run():
            cases[i] = stack.officer(office, f"do-{office}").request_inquiry(payload={
                "kind": "inquiry", "society_id": societies[office],
                "initiator_type": "office", "subject": "Accounts of 2024-25",
                "grounds": "The audit report was not placed before the general body."})[
                "id"]
        steps = [(0.0, run)]
        if reject_after is not None:
            steps.append((reject_after, act(i, "office", {"action": "reject"}, office)))
        return steps

    for i in range(48):
        office = offices[i % 3]
        opened = START + timedelta(days=rng.uniform(0, 140), minutes=rng.randrange(1440))
        if i % 8 == 7:
            for delay, run in inquiry(i, office, rng.choice([None, rng.uniform(3, 50)])):
                timeline.append((opened + timedelta(days=delay), i, run))
            continue
        timeline.append((opened, i, raise_(i, office)))
        for delay, who, body in _story(rng, i):
            timeline.append((opened + timedelta(days=delay), i, act(i, who, body, office)))
    # The sweep every five days, and again six hours later (a second level in a month).
    moment = START
    while moment < START + timedelta(days=200):
        for later in (0, 0.25):
            timeline.append((moment + timedelta(days=later), -1, None))
        moment += timedelta(days=5)
    escalated = 0
    for at, _, run in sorted(timeline, key=lambda step: (step[0], step[1])):
        clock["now"] = at
        if run is None:
            escalated += stack.system.escalate_late_cases(payload={})["escalated"]
        else:
            run()
    assert escalated > 20
    reopened = stack.sql("SELECT count(*) FROM grievance_case_event WHERE action = 'reopen'")
    assert reopened[0][0] >= 8
    twice = stack.sql("SELECT count(*) FROM (SELECT case_id FROM grievance_case_event "
                      "WHERE action = 'escalate' GROUP BY case_id, "
                      "to_char(at AT TIME ZONE 'Asia/Kolkata', 'YYYY-MM') "
                      "HAVING count(*) > 1) AS t")
    assert twice[0][0] >= 1                     # escalated twice within one month

    readings = [
        (stack.system, None, RANGE),
        (stack.system, None, {"from_month": "2026-02", "to_month": "2026-04"}),
        (stack.system, None, {**RANGE, "office_id": "mp"}),
        (stack.system, None, {**RANGE, "kind": "inquiry"}),
        (stack.system, None, {**RANGE, "kind": "grievance", "office_id": "wb"}),
        (stack.officer("mp", "reg-mp", role="registrar"), ["mp"], RANGE),
        (stack.officer("mp-bhopal", "do-b"), ["mp-bhopal"], RANGE),
        (stack.officer("wb", "do-wb"), ["wb"], {**RANGE, "office_id": "mp-bhopal"}),
        (stack.officer("crcs", "reg-c", role="registrar"), ["crcs"], RANGE),
    ]
    engine = create_engine(stack.grievance_url)

    def compare() -> None:
        with Session(engine) as session:
            for proxy, reach, query in readings:
                answer = proxy.case_performance(payload=query)
                answer.pop("as_at")
                assert answer == from_case_tables(session, reach, query), (reach, query)

    try:
        compare()
        page = stack.system.case_performance(payload=RANGE)
        assert [o["office_id"] for o in page["offices"]] == ["mp", "mp-bhopal", "wb"]
        assert sum(m["escalated"] for o in page["offices"] for m in o["months"]) > 10
        assert sum(m["resolved"] for o in page["offices"] for m in o["months"]) > 10
        # What the migration does: the roll-up emptied and filled from the stored cases.
        with engine.begin() as connection:
            rollup.rebuild(connection, page=7)
        compare()
    finally:
        engine.dispose()
