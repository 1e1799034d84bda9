"""The register on PostgreSQL: the CSV import (checks by line, all or nothing, repeated
numbers), the public directory (filters, name search, stable pages), liquidation with its
return's arithmetic, and reports rolled up the office hierarchy."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from services.common.contracts import registry as contracts
from services.common.errors import Conflict, Forbidden, InvalidInput, NotFound
from services.common.migrate import upgrade
from services.registry.service import RegistryService

HEADER = ["registration_number", "registration_date", "name", "address", "state",
          "district", "area_of_operation", "type", "status", "office_id", "email", "phone",
          "language"]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def society_row(n: int, **overrides) -> list[str]:
    values = {"registration_number": f"MP/{n}/2001", "registration_date": "2001-04-01",
              "name": f"Narmada Dairy Society {n}", "address": f"{n} Lake Road, Bhopal",
              "state": "Madhya Pradesh", "district": "Bhopal", "area_of_operation": "",
              "type": "dairy", "status": "registered", "office_id": "mp-bhopal",
              "email": "", "phone": "", "language": "hi"}
    values.update(overrides)
    return [values[c] for c in HEADER]


@dataclass
class Imported:
    rows: int
    loaded: int
    bad: int
    problems: list[str]
    exit_code: int


def run_import(url: str, path: Path, skip: bool = False, **env: str) -> Imported:
    """The import command as operators run it (its own process: COPY needs a plain,
    non-green connection)."""
    argv = [sys.executable, "-m", "services.registry.societies.bulk_import", str(path),
            "--database-url", url, *(["--skip-bad-rows"] if skip else [])]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120,
                          env={**os.environ, **env}, cwd=Path(__file__).parents[3])
    summary = done.stdout.split()
    figures = dict(zip(summary[::2], summary[1::2], strict=False))
    return Imported(int(figures["rows"]), int(figures["loaded"]), int(figures["bad"]),
                    done.stderr.splitlines(), done.returncode)


def count(url: str, sql: str) -> int:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return connection.execute(text(sql)).scalar_one()
    finally:
        engine.dispose()


@pytest.fixture
def database(pg_database):
    url = pg_database("registry")
    upgrade("registry", url)
    return url


def test_import_reports_every_bad_line_and_loads_nothing_unless_told(database, tmp_path):
    path = write_csv(tmp_path / "register.csv", [
        society_row(1),
        society_row(2, registration_date="2001-02-30", type="bakery", email="nope"),
        society_row(1, name="Repeats the first"),
        society_row(4, office_id="atlantis", name=""),
    ])
    report = run_import(database, path)
    assert report.loaded == 0 and report.rows == 4 and report.exit_code == 1
    assert report.problems == [
        "line 3: registration_date: must be a date, YYYY-MM-DD; type: one of "
        + ", ".join(contracts.SOCIETY_TYPES) + "; email: not an e-mail address",
        "line 5: name: required; office_id: no such office",
        "line 4: registration_number: MP/1/2001 repeats line 2",
    ]
    assert count(database, "SELECT count(*) FROM society") == 0
    assert count(database, "SELECT count(*) FROM audit_entry") == 0

    report = run_import(database, path, skip=True)
    assert (report.loaded, report.bad) == (1, 3)
    again = run_import(database, write_csv(tmp_path / "again.csv", [society_row(1),
                                                                    society_row(5)]))
    assert again.problems == ["line 2: registration_number: MP/1/2001 already in the "
                              "register"]
    assert count(database, "SELECT count(*) FROM society") == 1
    assert count(database, "SELECT count(*) FROM audit_entry "
                           "WHERE action = 'societies_imported'") == 1


def test_a_large_import_rebuilds_the_directory_indexes(database, tmp_path):
    rows = [society_row(n, area_of_operation="Madhya Pradesh;Maharashtra",
                        email=f"s{n}@example.in") for n in range(1, 301)]
    report = run_import(database, write_csv(tmp_path / "big.csv", rows),
                        REGISTRY_IMPORT_REBUILD_BYTES="1")
    assert (report.loaded, report.bad, report.exit_code) == (300, 0, 0)
    assert count(database, "SELECT count(*) FROM pg_indexes WHERE tablename = 'society' "
                           "AND indexname LIKE 'ix_society_%'") == 4
    engine = create_engine(database, poolclass=NullPool)
    with engine.connect() as connection:
        one = connection.execute(text(
            "SELECT name_key, area_of_operation, contacts, registration_year, length(id) "
            "FROM society WHERE registration_number = 'MP/7/2001'")).one()
    engine.dispose()
    assert one == ("narmada dairy society 7", ["Madhya Pradesh", "Maharashtra"],
                   {"email": "s7@example.in", "phone": None, "language": "hi"}, 2001, 36)


@pytest.fixture
def loaded(database, tmp_path, containers):
    """A small register: Bhopal dairies, Kolkata fisheries, a multi-state credit society."""
    rows = [society_row(n) for n in range(1, 26)]
    rows += [society_row(100 + n, registration_number=f"WB/{n}/1999", state="West Bengal",
                         district="Kolkata", office_id="wb-kolkata", type="fishery",
                         name=f"Hooghly Matsya Samabay {n}",
                         status="wound_up" if n == 1 else "registered")
             for n in range(1, 6)]
    rows.append(society_row(900, registration_number="MSCS/CR/77/2016", office_id="crcs",
                            name="Sahyadri Multi-State Credit", type="credit",
                            state="Maharashtra", district="Pune",
                            area_of_operation="Maharashtra;Karnataka",
                            registration_date="2016-08-01"))
    assert run_import(database, write_csv(tmp_path / "loaded.csv", rows)).bad == 0
    containers(RegistryService, database)
    return database


@pytest.fixture
def registry_as(rpc_proxy):
    def make(role: str, scope: str | None = None):
        context = {"actor_id": f"{role}-{uuid.uuid4().hex[:6]}", "actor_role": role}
        if scope:
            context["actor_scope"] = scope
        return rpc_proxy(**context).registry
    return make


def test_directory_filters_searches_and_pages_stably(loaded, registry_as):
    public = registry_as("anonymous", "public")
    first = public.search_societies(payload={"state": "Madhya Pradesh", "limit": 10})
    names = [i["name"] for i in first["items"]]
    assert names == sorted(names, key=str.lower) and len(names) == 10
    seen, cursor = [], None
    while True:
        page = public.search_societies(payload={"district": "Bhopal", "limit": 7,
                                                "cursor": cursor})
        seen += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 25
    assert [i["registration_number"] for i in public.search_societies(
        payload={"q": "  HOOGHLY   matsya ", "status": "registered"})["items"]] == [
        f"WB/{n}/1999" for n in (2, 3, 4, 5)]
    assert public.search_societies(payload={"q": "matsya"})["items"] == []  # a beginning
    [credit] = public.search_societies(payload={"registration_number": "MSCS/CR/77/2016"}
                                       )["items"]
    assert credit["area_of_operation"] == ["Karnataka", "Maharashtra"]
    assert "contacts" not in credit  # the public page has basic details only
    assert public.get_public_society(payload={"society_id": credit["id"]})["name"] == \
        "Sahyadri Multi-State Credit"
    with pytest.raises(NotFound):  # the full entry is not public
        public.get_society(payload={"society_id": credit["id"]})
    with pytest.raises(InvalidInput) as invalid:
        public.search_societies(payload={"type": "bakery", "limit": 500, "cursor": "x"})
    assert set(invalid.value.fields) == {"type", "limit"}
    with pytest.raises(InvalidInput) as invalid:
        public.search_societies(payload={"cursor": "not-a-cursor"})
    assert set(invalid.value.fields) == {"cursor"}


@pytest.mark.parametrize("engine_kind", ["postgresql", "sqlite"])
def test_every_filter_combination_pages_through_exactly_its_societies(
        engine_kind, pg_database, tmp_path):
    """Searches one index answers in order and combined ones (page ids first, then rows)
    page alike: every matching society once, in name then id order, names shared by many
    rows included, on both databases."""
    from services.common.validation import parse
    from services.registry.societies import register as societies

    url = (pg_database("registry") if engine_kind == "postgresql"
           else f"sqlite:///{tmp_path / 'registry.db'}")
    upgrade("registry", url)
    kinds, statuses = ["dairy", "credit", "housing"], ["registered", "wound_up"]
    rows = [society_row(n, name=f"Kaveri Society {n % 4}",  # ten rows per name
                        district=["Bhopal", "Indore"][n % 2], type=kinds[n % 3],
                        status=statuses[(n // 3) % 2]) for n in range(1, 41)]
    assert run_import(url, write_csv(tmp_path / "register.csv", rows)).bad == 0
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as connection:
        register = connection.execute(text(
            "SELECT id, name_key, state, district, type, status FROM society")).all()
        for filters in ({"district": "Indore"}, {"type": "credit"},
                        {"district": "Bhopal", "type": "dairy"},
                        {"state": "Madhya Pradesh", "district": "Indore",
                         "status": "wound_up"},
                        {"q": "kaveri society 2", "type": "housing"},
                        {"q": "kaveri", "status": "registered", "type": "credit"}):
            expected = sorted(
                (r.name_key, r.id) for r in register
                 if all((r.name_key.startswith(v) if k == "q" else getattr(r, k) == v)
                        for k, v in filters.items()))
            seen, cursor = [], None
            while True:
                page = societies.search(connection, parse(contracts.SearchSocietiesV1, {
                    **filters, "limit": 3, "cursor": cursor}))
                seen += [(societies.name_key(i["name"]), i["id"]) for i in page["items"]]
                cursor = page["next_cursor"]
                if cursor is None:
                    break
            assert expected and seen == expected, filters
        for literal in ("kaveri_society", "kaveri%"):  # no wildcards in a name beginning
            assert societies.search(connection, parse(contracts.SearchSocietiesV1, {
                "q": literal}))["items"] == []
    engine.dispose()


def test_liquidation_from_order_to_closure_and_its_return(loaded, registry_as):
    public = registry_as("anonymous", "public")
    ids = [i["id"] for i in public.search_societies(payload={"district": "Bhopal",
                                                             "limit": 3})["items"]]
    registrar = registry_as("registrar", "office:mp")
    with pytest.raises(Forbidden):
        registry_as("dealing_officer", "office:mp").order_liquidation(payload={
            "society_id": ids[0], "order_ref": "X", "ordered_on": "2025-01-10",
            "reason": "r", "liquidator_name": "L. Verma"})
    cases = []
    for society_id, ordered_on in zip(ids, ("2014-01-10", "2025-02-01", "2025-03-01"),
                                      strict=True):
        cases.append(registrar.order_liquidation(payload={
            "society_id": society_id, "order_ref": f"LQ/{ordered_on}",
            "ordered_on": ordered_on, "reason": "Defunct for three years",
            "liquidator_name": "S. Verma"}))
    with pytest.raises(Conflict) as conflict:
        registrar.order_liquidation(payload={
            "society_id": ids[0], "order_ref": "again", "ordered_on": "2025-04-01",
            "reason": "again", "liquidator_name": "S. Verma"})
    assert conflict.value.details == {"society_status": "under_liquidation"}
    liquidator = registry_as("liquidator", f"society:{ids[1]}")
    liquidator.add_liquidation_entry(payload={
        "case_id": cases[1]["id"], "side": "asset", "direction": "added", "amount": 50000,
        "entry_date": "2025-02-10", "description": "Building"})
    liquidator.add_liquidation_entry(payload={
        "case_id": cases[1]["id"], "side": "asset", "direction": "reduced",
        "amount": 20000, "entry_date": "2025-03-10", "description": "Sold the vehicle"})
    with pytest.raises(InvalidInput):
        liquidator.add_liquidation_entry(payload={
            "case_id": cases[1]["id"], "side": "liability", "direction": "reduced",
            "amount": 1, "entry_date": "2025-03-10", "description": "nothing to reduce"})
    with pytest.raises(NotFound):  # not this liquidator's society
        liquidator.get_liquidation_case(payload={"case_id": cases[0]["id"]})
    proceeding = liquidator.add_liquidation_proceeding(payload={
        "case_id": cases[1]["id"], "held_on": "2025-02-15", "note": "Charge taken over",
        "charge_taken_over": True})
    assert proceeding["charge_taken_over"] is True and proceeding["assets"] == "30000.00"
    registrar.end_liquidation(payload={"case_id": cases[2]["id"], "outcome": "revived",
                                       "ended_on": "2025-05-01", "order_ref": "RV/1",
                                       "reason": "Members revived it"})
    registrar.end_liquidation(payload={"case_id": cases[0]["id"], "outcome": "closed",
                                       "ended_on": "2025-06-01", "order_ref": "CL/1",
                                       "reason": "Assets distributed"})
    with pytest.raises(Conflict):
        registrar.add_liquidation_proceeding(payload={
            "case_id": cases[0]["id"], "held_on": "2025-06-02", "note": "too late"})
    statuses = {s: registrar.get_society(payload={"society_id": s})["status"] for s in ids}
    assert statuses == {ids[0]: "wound_up", ids[1]: "under_liquidation", ids[2]: "revived"}

    lqr = registrar.liquidation_return(payload={"office_id": "mp", "period_from":
                                                "2025-01-01", "period_to": "2025-06-30"})
    assert (lqr["opening"], lqr["placed_under_liquidation"], lqr["closed"], lqr["revived"],
            lqr["closing"]) == (1, 2, 1, 1, 1)
    assert lqr["closing"] == (lqr["opening"] + lqr["placed_under_liquidation"]
                              - lqr["closed"] - lqr["revived"])
    assert lqr["charge_taken_over"] == 1
    assert lqr["pending"] == {"up_to_5_years": 1, "5_to_10_years": 0, "above_10_years": 0}
    assert lqr["assets"] == {"opening": "0", "added": "50000.00", "total": "50000.00",
                             "reduced": "20000.00", "closing": "30000.00"}
    assert lqr["by_type"] == [{"type": "dairy", "count": 1}]
    with pytest.raises(NotFound):
        registry_as("registrar", "office:wb").liquidation_return(payload={
            "office_id": "mp", "period_from": "2025-01-01", "period_to": "2025-06-30"})
    changes = count(loaded, "SELECT count(*) FROM outbox_message "
                            "WHERE event_type = 'society_status_changed'")
    assert changes == 5


def test_reports_roll_up_the_office_hierarchy(loaded, registry_as):
    national = registry_as("registrar")
    by_state = national.report_societies(payload={"by": "state"})
    assert by_state["rows"] == [{"state": "Madhya Pradesh", "count": 25},
                                {"state": "Maharashtra", "count": 1},
                                {"state": "West Bengal", "count": 5}]
    west_bengal = registry_as("dealing_officer", "office:wb")
    assert west_bengal.report_societies(payload={"by": "status"})["rows"] == [
        {"status": "registered", "count": 4}, {"status": "wound_up", "count": 1}]
    assert west_bengal.report_societies(payload={"by": "registration_year"})["total"] == 5
    with pytest.raises(NotFound):
        west_bengal.report_societies(payload={"by": "type", "office_id": "mp"})
    with pytest.raises(Forbidden):
        registry_as("anonymous", "public").report_societies(payload={"by": "type"})
    assert national.report_applications(payload={"by": "stage"}) == {
        "by": "stage", "rows": [], "total": 0}


def _recommend_winding_up(society_id: str | None, case_id: str) -> None:
    import json

    from kombu import Connection, Exchange, Producer

    from services.common.contracts.grievance import WindingUpRecommendedV1
    from tests.support.broker import AMQP_URI

    body = WindingUpRecommendedV1(
        case_id=case_id, number="INQ/2026/000004", kind="inquiry", society_id=society_id,
        office_id="mp-bhopal", recommended_by="inquirer-1",
        note="Accounts not kept for three years; members' deposits unpaid.",
        document_ids=[]).wire()
    exchange = Exchange("grievance.events", type="topic", durable=True)
    with Connection(AMQP_URI) as connection:
        Producer(connection.channel()).publish(
            json.dumps(body), exchange=exchange, routing_key="case_winding_up_recommended",
            content_type="application/json", declare=[exchange], delivery_mode=2,
            headers={"nameko.event_id": uuid.uuid4().hex})


def test_an_inquirys_winding_up_recommendation_waits_for_the_registrar(loaded, registry_as):
    import time

    bhopal = [i["id"] for i in registry_as("anonymous", "public").search_societies(
        payload={"district": "Bhopal", "limit": 2})["items"]]
    first_case, second_case = str(uuid.uuid4()), str(uuid.uuid4())
    _recommend_winding_up(bhopal[0], first_case)
    _recommend_winding_up(bhopal[0], first_case)          # the same case again: kept once
    _recommend_winding_up(bhopal[1], second_case)
    registrar = registry_as("registrar", "office:mp")
    deadline = time.monotonic() + 20
    while len(registrar.list_liquidation_proposals(payload={})["items"]) < 2 \
            and time.monotonic() < deadline:
        time.sleep(0.1)
    pending = registrar.list_liquidation_proposals(payload={"status": "pending"})["items"]
    assert sorted(p["source_case_id"] for p in pending) == sorted([first_case, second_case])
    assert registry_as("registrar", "office:wb").list_liquidation_proposals(
        payload={})["items"] == []
    first = next(p for p in pending if p["source_case_id"] == first_case)
    second = next(p for p in pending if p["source_case_id"] == second_case)
    with pytest.raises(NotFound):
        registry_as("registrar", "office:wb").get_liquidation_proposal(
            payload={"proposal_id": first["id"]})

    order = {"order_ref": "LQ/INQ/4", "ordered_on": "2026-12-01",
             "reason": "Inquiry INQ/2026/000004 found the society defunct.",
             "liquidator_name": "S. Verma"}
    with pytest.raises(Conflict, match="another society"):
        registrar.order_liquidation(payload={**order, "society_id": bhopal[1],
                                             "proposal_id": first["id"]})
    case = registrar.order_liquidation(payload={**order, "society_id": bhopal[0],
                                                "proposal_id": first["id"]})
    done = registrar.get_liquidation_proposal(payload={"proposal_id": first["id"]})
    assert done["status"] == "ordered" and done["liquidation_case_id"] == case["id"]
    with pytest.raises(Forbidden):
        registry_as("dealing_officer", "office:mp").decline_liquidation_proposal(payload={
            "proposal_id": second["id"], "reason": "Revival plan under way."})
    declined = registrar.decline_liquidation_proposal(payload={
        "proposal_id": second["id"], "reason": "A revival plan was approved last month."})
    assert declined["status"] == "declined"
    with pytest.raises(Conflict, match="already declined"):
        registrar.decline_liquidation_proposal(payload={
            "proposal_id": second["id"], "reason": "Again."})
