"""The member register on SQLite, the embedded default (``make up``), over the real
broker: admissions and changes with their history, a snapshot as on a date, and a
chunked import that applies all of its rows or none."""

from __future__ import annotations

import time
import uuid

import pytest
from sqlalchemy import create_engine, func, select

from services.common.migrate import upgrade
from services.registry.members.tables import member, member_import_row
from services.registry.service import RegistryService
from tests.perf.bench_registry_members import insert_societies


@pytest.fixture
def registry(tmp_path, containers):
    url = f"sqlite:///{tmp_path / 'registry.db'}"
    upgrade("registry", url)
    engine = create_engine(url)
    with engine.begin() as connection:
        insert_societies(connection, [("bank", "MSCS/CR/BANK", "Bank")])
    engine.dispose()
    containers(RegistryService, url)
    return url


def count(url: str, table) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(table)).scalar_one()
    finally:
        engine.dispose()


def settled(url: str, answer):
    """``answer`` once the outbox relay has sent what the write recorded. On SQLite the
    relay holds the write lock until the broker confirms, and a write that begins
    meanwhile waits inside the driver, where the relay cannot run to release it: so
    the calls here are one write at a time, as the embedded default serves them."""
    outbox = RegistryService.db.tables.outbox
    engine = create_engine(url)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with engine.connect() as connection:
                if not connection.execute(select(func.count()).select_from(outbox)
                                          .where(outbox.c.sent_at.is_(None))).scalar_one():
                    return answer
            time.sleep(0.05)
        raise AssertionError("the outbox relay did not send the events")
    finally:
        engine.dispose()


def admit(url: str, proxy, number: str, admitted: str, **extra) -> dict:
    return settled(url, proxy.add_member(payload={
        "society_id": "bank", "membership_number": number, "name": f"Member {number}",
        "category": "individual", "admission_date": admitted, **extra}))


def test_admissions_changes_and_snapshots_as_on_a_date(registry, rpc_proxy):
    proxy = rpc_proxy(request_id=uuid.uuid4().hex).registry
    first = admit(registry, proxy, "001", "2018-04-01", category="firm")
    admit(registry, proxy, "002", "2024-04-01")
    third = admit(registry, proxy, "003", "2019-01-15", language="hi")
    settled(registry, proxy.update_member(payload={
        "society_id": "bank", "member_id": first["member_id"], "name": "Renamed Firm",
        "effective_date": "2024-05-01"}))
    settled(registry, proxy.cease_member(payload={
        "society_id": "bank", "member_id": third["member_id"],
        "cessation_date": "2024-03-31", "reason": "resigned"}))

    def as_on(day: str) -> list[tuple[str, str]]:
        page = proxy.list_members(payload={"society_id": "bank", "as_on": day})
        return [(m["membership_number"], m["name"]) for m in page["items"]]

    # 31 March 2024: 003 ceased that day, 002 not yet admitted, 001 under its old name.
    assert as_on("2024-03-31") == [("001", "Member 001")]
    assert as_on("2024-03-30") == [("001", "Member 001"), ("003", "Member 003")]
    assert as_on("2025-03-31") == [("001", "Renamed Firm"), ("002", "Member 002")]
    contacts = proxy.list_member_contacts(payload={"society_id": "bank", "limit": 1})
    assert [c["membership_number"] for c in contacts["items"]] == ["001"]
    assert contacts["next"] is not None
    assert count(registry, member) == 5  # two versions of 001 and of 003: none deleted


def test_an_import_applies_all_rows_or_none(registry, rpc_proxy):
    proxy = rpc_proxy(request_id=uuid.uuid4().hex).registry
    admit(registry, proxy, "EXIST", "2020-01-01")

    def cells(number: str, **extra) -> dict:
        return {"membership_number": number, "name": f"Imported {number}",
                "category": "individual", "admission_date": "2019-03-31", **extra}

    def rows(start: int, items: list[dict]) -> list[dict]:
        return [{"line": start + i, "cells": c} for i, c in enumerate(items)]

    job = proxy.begin_member_import(payload={"society_id": "bank"})
    proxy.add_member_import_rows(payload={"society_id": "bank", "job_id": job["job_id"],
                                          "rows": rows(2, [cells("1"), cells("EXIST"),
                                                           cells("2", category="club")])})
    rejected = proxy.finish_member_import(payload={"society_id": "bank",
                                                   "job_id": job["job_id"]})
    assert rejected["status"] == "rejected" and rejected["imported"] == 0
    assert [(b["line"], b["field"]) for b in rejected["bad_rows"]] == [
        (3, "membership_number"), (4, "category")]
    assert count(registry, member) == 1 and count(registry, member_import_row) == 0

    job = proxy.begin_member_import(payload={"society_id": "bank"})
    proxy.add_member_import_rows(payload={"society_id": "bank", "job_id": job["job_id"],
                                          "rows": rows(2, [cells("1"), cells("2")])})
    done = settled(registry, proxy.finish_member_import(payload={"society_id": "bank",
                                                                 "job_id": job["job_id"]}))
    assert done["status"] == "imported" and done["imported"] == 2
    page = proxy.list_members(payload={"society_id": "bank", "as_on": "2019-03-31"})
    assert [m["membership_number"] for m in page["items"]] == ["1", "2"]
