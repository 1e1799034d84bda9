"""The bulk command ``python -m services.registry.members.bulk_import`` on PostgreSQL
and on SQLite: every bad line reported with its line and reason, nothing applied unless
asked, good rows applied exactly as written (escapes, normalised cells), and on
PostgreSQL the same register whether the indexes are kept or rebuilt around the insert."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import uuid

import pytest
from sqlalchemy import create_engine, func, inspect, select

from services.common.migrate import upgrade
from services.registry.members.tables import member
from tests.perf.bench_registry_members import insert_societies

HEADER = ["society_registration_number", "membership_number", "name", "category",
          "admission_date", "phone", "email", "language", "shares"]


@pytest.fixture(params=["postgresql", "sqlite"])
def database(request, pg_database, tmp_path):
    url = (pg_database("bulk") if request.param == "postgresql"
           else f"sqlite:///{tmp_path / 'registry.db'}")
    upgrade("registry", url)
    engine = create_engine(url)
    with engine.begin() as connection:
        insert_societies(connection, [(f"s-{key}", f"REG/{key}", f"Society {key}")
                                      for key in "ABCD"])
    engine.dispose()
    return url


def write(path, rows: list[list[str]]):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def bulk(path, url: str, *options: str) -> dict:
    """The command as an operator runs it; its JSON report, with the exit code."""
    done = subprocess.run([sys.executable, "-m", "services.registry.members.bulk_import",
                           str(path), "--database-url", url, *options],
                          capture_output=True, text=True, check=False, timeout=120)
    return {**json.loads(done.stdout), "exit": done.returncode}


def members(url: str, society_id: str) -> list[dict]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(select(member).where(member.c.society_id == society_id)
                                      .order_by(member.c.membership_number)).mappings()
            return [dict(row) for row in rows]
    finally:
        engine.dispose()


def count(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(member)).scalar_one()
    finally:
        engine.dispose()


def row(society: str, number: str, name: str = "", **cells) -> list[str]:
    values = {"category": "individual", "admission_date": "2019-03-31", "phone": "",
              "email": "", "language": "", "shares": "", **cells}
    return [f"REG/{society}", number, name or f"Member {number}",
            *(values[c] for c in HEADER[3:])]


def test_a_file_with_bad_lines_changes_nothing_unless_asked(database, tmp_path):
    first = bulk(write(tmp_path / "first.csv", [row("A", "EXIST")]), database)
    assert first["status"] == "imported" and first["imported"] == 1
    path = write(tmp_path / "members.csv", [
        row("A", "1", language="hi", shares="10"),                      # 2 good
        row("A", "2", category="club"),                                  # 3 bad category
        row("Z", "3"),                                                   # 4 no society
        row("A", "1"),                                                   # 5 repeats line 2
        row("A", "EXIST"),                                               # 6 in the register
        row("B", "1", "Tab\tand \\ backslash", category="firm",
            phone="+919876543210", email="b\\1@example.in"),             # 7 good
        row("B", " 2 ", "  Padded name ", shares=" 7 "),                 # 8 good, normalised
        row("A", "4", admission_date="2999-01-01"),                      # 9 bad date
        ["REG/A", "5"],                                                  # 10 too short
    ])
    rejected = bulk(path, database)
    assert rejected["status"] == "rejected" and rejected["imported"] == 0
    assert rejected["exit"] == 1
    assert rejected["rows"] == 9 and rejected["bad_row_count"] == 6
    assert [(bad["line"], bad["field"]) for bad in rejected["bad_rows"]] == [
        (3, "category"), (4, "society"), (5, "membership_number"),
        (6, "membership_number"), (9, "admission_date"), (10, "line")]
    reasons = {bad["line"]: bad["reason"] for bad in rejected["bad_rows"]}
    assert reasons[4] == "no such society"
    assert reasons[5] == "membership number repeats line 2"
    assert reasons[6] == "membership number already in the register"
    assert reasons[9] == "must not be in the future"
    assert count(database) == 1

    done = bulk(path, database, "--skip-bad-rows")
    assert done["status"] == "imported" and done["imported"] == 3 and done["exit"] == 0
    assert done["bad_row_count"] == 6 and done["societies"] == 2
    a = {m["membership_number"]: m for m in members(database, "s-A")}
    assert sorted(a) == ["1", "EXIST"]
    assert (a["1"]["language"], a["1"]["shares"], a["1"]["phone"]) == ("hi", 10, None)
    b = members(database, "s-B")
    assert [(m["membership_number"], m["name"], m["category"], m["phone"], m["email"],
             m["language"], m["shares"]) for m in b] == [
        ("1", "Tab\tand \\ backslash", "firm", "+919876543210", "b\\1@example.in", "en",
         None),
        ("2", "Padded name", "individual", None, None, "en", 7)]
    assert all(m["status"] == "active" and m["valid_to"] is None
               and str(m["valid_from"]) == "2019-03-31" for m in b)
    assert len({m["member_id"] for m in b}) == 2


def _snapshot(rows: list[dict]) -> list[tuple]:
    return [(m["membership_number"], m["name"], m["category"], m["admission_date"],
             m["valid_from"], m["status"], m["phone"], m["email"], m["language"],
             m["shares"]) for m in rows]


def test_rebuilt_indexes_give_the_same_register_and_still_guard_it(database, tmp_path):
    if not database.startswith("postgresql"):
        pytest.skip("indexes are only set aside on PostgreSQL")
    cells = [dict(name=f"Member {i}", category="firm" if i % 7 == 0 else "individual",
                  phone=f"98{i:08d}", email=f"m{i}@example.in", language="mr",
                  shares=str(i)) for i in range(300)]
    kept = bulk(write(tmp_path / "c.csv", [
        row("C", f"N{i:04d}", **c) for i, c in enumerate(cells)]), database)
    rebuilt = bulk(write(tmp_path / "d.csv", [
        row("D", f"N{i:04d}", **c) for i, c in enumerate(cells)]), database,
        "--indexes", "rebuild")
    assert (kept["indexes"], rebuilt["indexes"]) == ("kept", "rebuilt")
    assert kept["imported"] == rebuilt["imported"] == 300
    assert _snapshot(members(database, "s-C")) == _snapshot(members(database, "s-D"))
    for society in ("s-C", "s-D"):
        ids = [m["member_id"] for m in members(database, society)]
        assert {uuid.UUID(i).version for i in ids} == {7}  # counted in key order:
        assert ids == sorted(ids) and len(set(ids)) == 300  # the id index grows at its edge

    engine = create_engine(database)
    try:
        schema = inspect(engine)
        assert {index["name"] for index in schema.get_indexes("member")} == {
            "uq_member_current", "ix_member_member_id"}
        assert schema.get_pk_constraint("member")["name"] == "pk_member"
        assert [fk["referred_table"] for fk in schema.get_foreign_keys("member")] == [
            "society"]
    finally:
        engine.dispose()
    again = bulk(tmp_path / "d.csv", database, "--indexes", "rebuild")
    assert again["status"] == "rejected" and again["bad_row_count"] == 300
    assert {bad["reason"] for bad in again["bad_rows"]} == {
        "membership number already in the register"}
    assert count(database) == 600
