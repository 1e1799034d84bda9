"""The registry's application workflow against the real broker and PostgreSQL: a
registration from draft to society, the checks on every step (roles, scopes, states,
promoters), two registrars approving at once, SLA deadlines from the office's rules and
the reminders they raise once."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from services.common.contracts import registry as contracts
from services.common.errors import Conflict, Forbidden, InvalidInput, NotFound
from services.common.migrate import upgrade
from services.registry.service import RegistryService

YEAR = datetime.now(UTC).year


@pytest.fixture
def registry(pg_database, containers):
    url = pg_database("registry")
    upgrade("registry", url)
    containers(RegistryService, url)
    return url


@pytest.fixture
def as_role(rpc_proxy):
    """Factory: the registry proxy acting as a role (scope optional)."""

    def make(role: str, actor_id: str | None = None, scope: str | None = None):
        context = {"actor_id": actor_id or f"{role}-{uuid.uuid4().hex[:8]}",
                   "actor_role": role, "request_id": uuid.uuid4().hex}
        if scope:
            context["actor_scope"] = scope
        return rpc_proxy(**context).registry

    return make


def rows(url: str, sql: str, **params):
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return list(connection.execute(text(sql), params))
    finally:
        engine.dispose()


def events(url: str, event_type: str) -> list[dict]:
    return [r.payload for r in rows(url, "SELECT payload FROM outbox_message WHERE "
                                         "event_type = :t ORDER BY id", t=event_type)]


def registration_form(**overrides) -> dict:
    form = {
        "name": "Sahyadri Multi-State Credit Co-operative Society",
        "address": "12 Station Road, Pune 411001",
        "state": "Maharashtra", "district": "Pune",
        "area_of_operation": ["Maharashtra", "Karnataka"], "type": "credit",
        "board_seats": {"general": 16, "women": 2, "sc_st": 1},
        "office_bearers": [{"role": "Chairman", "name": "A. Patil"}],
        "contacts": {"email": "office@sahyadri.example", "phone": "+91 20 2612 3456",
                     "language": "en"},
        "bye_law_document_ids": ["doc-bye-laws-1"],
    }
    form.update(overrides)
    return form


APPLICANT = {"name": "Asha Patil", "email": "asha@example.in", "phone": "+919800000001",
             "language": "en"}


def submitted_registration(as_role, office_id: str = "crcs"):
    """(applicant proxy, application id) of a registration submitted and verified."""
    applicant = as_role("applicant")
    created = applicant.create_application(payload={
        "kind": "registration", "office_id": office_id, "applicant": APPLICANT,
        "data": registration_form()})
    app_id = created["id"]
    applicant.verify_promoter(payload={"application_id": app_id, "name": "Asha Patil",
                                       "aadhaar_number": "234567890123", "otp": "123456"})
    applicant.transition_application(payload={"application_id": app_id, "action": "submit"})
    return applicant, app_id


def test_a_registration_goes_from_partial_draft_to_a_registered_society(registry, as_role):
    applicant = as_role("applicant", actor_id="applicant-asha")
    draft = applicant.create_application(payload={
        "kind": "registration", "office_id": "crcs", "applicant": APPLICANT,
        "data": {"name": "Sahyadri"}})
    app_id = draft["id"]
    assert draft["stage"] == "draft" and draft["deadline"] is None

    # Submitting the partial draft names every missing field and the promoters.
    with pytest.raises(InvalidInput) as refused:
        applicant.transition_application(payload={"application_id": app_id,
                                                  "action": "submit"})
    fields = refused.value.fields
    assert {"data.address", "data.state", "data.type", "data.board_seats",
            "data.contacts", "data.bye_law_document_ids"} <= set(fields)

    applicant.save_draft(payload={"application_id": app_id, "data": registration_form()})
    failed = applicant.verify_promoter(payload={
        "application_id": app_id, "name": "Ravi Kumar", "aadhaar_number": "345678901234",
        "otp": "000000"})
    assert failed["verified"] is False and failed["aadhaar_last4"] == "1234"
    with pytest.raises(InvalidInput) as refused:
        applicant.transition_application(payload={"application_id": app_id,
                                                  "action": "submit"})
    assert refused.value.fields == {"promoters": "not e-verified: Ravi Kumar"}
    verified = applicant.verify_promoter(payload={
        "application_id": app_id, "name": "Ravi Kumar", "aadhaar_number": "345678901234",
        "otp": "123456"})
    assert verified["verified"] is True and verified["reference"] == "TEST-1234-RK"

    submitted = applicant.transition_application(payload={"application_id": app_id,
                                                          "action": "submit"})
    assert submitted["stage"] == "submitted"
    assert 6 * 86400 < submitted["time_left_seconds"] <= 7 * 86400  # national default: 7 days

    officer = as_role("dealing_officer", scope="office:crcs")
    registrar = as_role("registrar")
    officer.transition_application(payload={"application_id": app_id, "action": "take_up"})
    queried = officer.transition_application(payload={
        "application_id": app_id, "action": "raise_query",
        "note": "Attach the resolution of the promoters' meeting."})
    assert queried["stage"] == "query_raised"
    applicant.transition_application(payload={"application_id": app_id, "action": "reply",
                                              "note": "Attached.", "document_ids": ["d2"]})
    hearing_at = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
    scheduled = officer.transition_application(payload={
        "application_id": app_id, "action": "schedule_hearing",
        "hearing_at": hearing_at.isoformat(), "hearing_link": "https://vc.example/h/42"})
    assert scheduled["hearing"]["link"] == "https://vc.example/h/42"
    approved = registrar.transition_application(payload={"application_id": app_id,
                                                         "action": "approve"})
    assert approved["stage"] == "approved" and approved["deadline"] is None
    assert [h["stage"] for h in approved["history"]] == [
        "draft", "submitted", "under_scrutiny", "query_raised", "under_scrutiny",
        "hearing_scheduled", "approved"]

    society_id = approved["society_id"]
    society = as_role("system").get_society(payload={"society_id": society_id})
    assert contracts.SocietyV1.conforms(society)
    assert society["registration_number"] == f"MSCS/CR/1/{YEAR}"
    assert society["contacts"] == {"email": "office@sahyadri.example",
                                   "phone": "+91 20 2612 3456", "language": "en"}
    assert society["status"] == "registered" and society["bye_laws_version"] == 1
    assert as_role("system").society_offices(payload={"society_id": society_id}) == {
        "office_ids": ["crcs"]}

    [registered] = events(registry, "society_registered")
    assert contracts.SocietyRegisteredV1.conforms(registered)
    assert registered["registration_number"] == f"MSCS/CR/1/{YEAR}"
    assert registered["office_name"] == "Central Registrar of Cooperative Societies"
    assert registered["application_id"] == app_id
    stages = events(registry, "application_stage_changed")
    assert all(contracts.ApplicationStageChangedV1.conforms(e) for e in stages)
    assert [e["stage"] for e in stages] == ["submitted", "under_scrutiny", "query_raised",
                                            "under_scrutiny", "hearing_scheduled", "approved"]
    assert stages[2]["reason"] == "Attach the resolution of the promoters' meeting."
    assert stages[4]["hearing"]["link"] == "https://vc.example/h/42"
    assert stages[0]["applicant"] == {"account_id": "applicant-asha", **APPLICANT}
    audit = rows(registry, "SELECT action FROM audit_entry WHERE entity_id = :i ORDER BY id",
                 i=app_id)
    assert [a.action for a in audit][-1] == "application_approve"
    assert as_role("system").verify_audit_chain(payload={})["ok"] is True


def test_steps_are_refused_by_state_role_and_scope(registry, as_role):
    applicant, app_id = submitted_registration(as_role)
    registrar = as_role("registrar")

    with pytest.raises(Conflict) as conflict:
        registrar.transition_application(payload={"application_id": app_id,
                                                  "action": "approve"})
    assert conflict.value.details == {"stage": "submitted",
                                      "allowed_from": ["under_scrutiny", "hearing_scheduled"]}
    assert "submitted" in conflict.value.message
    with pytest.raises(Forbidden):
        applicant.transition_application(payload={"application_id": app_id,
                                                  "action": "take_up"})
    with pytest.raises(NotFound):  # another applicant's application does not exist for them
        as_role("applicant").get_application(payload={"application_id": app_id})
    with pytest.raises(NotFound):  # an officer of another office
        as_role("dealing_officer", scope="office:mp").transition_application(
            payload={"application_id": app_id, "action": "take_up"})
    with pytest.raises(NotFound):
        as_role("society_representative", scope="society:x").get_application(
            payload={"application_id": app_id})
    registrar.transition_application(payload={"application_id": app_id, "action": "take_up"})
    with pytest.raises(InvalidInput) as invalid:
        registrar.transition_application(payload={"application_id": app_id,
                                                  "action": "reject"})
    assert invalid.value.fields == {"note": "required: the reasons for rejection"}
    with pytest.raises(InvalidInput) as invalid:
        registrar.transition_application(payload={
            "application_id": app_id, "action": "schedule_hearing",
            "hearing_at": "2001-01-01T10:00:00+05:30", "hearing_link": "ftp://x"})
    assert set(invalid.value.fields) == {"hearing_link"}
    rejected = registrar.transition_application(payload={
        "application_id": app_id, "action": "reject", "note": "Bye-laws do not meet s.10."})
    assert rejected["stage"] == "rejected"
    with pytest.raises(Conflict) as conflict:
        applicant.save_draft(payload={"application_id": app_id, "data": {}})
    assert conflict.value.details == {"stage": "rejected"}
    assert rows(registry, "SELECT count(*) AS n FROM society")[0].n == 0


def test_two_registrars_approving_at_once_make_one_society(registry, as_role):
    _, app_id = submitted_registration(as_role)
    as_role("registrar").transition_application(payload={"application_id": app_id,
                                                         "action": "take_up"})
    registrars = [as_role("registrar") for _ in range(4)]

    def approve(proxy):
        try:
            return proxy.transition_application(payload={"application_id": app_id,
                                                         "action": "approve"})["stage"]
        except Conflict as exc:
            return exc.details["stage"]

    with ThreadPoolExecutor(4) as pool:
        outcomes = list(pool.map(approve, registrars))
    assert sorted(outcomes) == ["approved"] * 4  # one approved it; three were told it is
    assert rows(registry, "SELECT count(*) AS n FROM society")[0].n == 1
    assert rows(registry, "SELECT last_seq FROM registration_counter WHERE office_id='crcs'"
                )[0].last_seq == 1
    assert len(events(registry, "society_registered")) == 1
    assert len([e for e in events(registry, "application_stage_changed")
                if e["stage"] == "approved"]) == 1

    # The next registration takes the next number; numbers never repeat.
    _, second = submitted_registration(as_role)
    registrar = as_role("registrar")
    registrar.transition_application(payload={"application_id": second, "action": "take_up"})
    registrar.transition_application(payload={"application_id": second, "action": "approve"})
    numbers = [r.registration_number for r in rows(
        registry, "SELECT registration_number FROM society ORDER BY registration_number")]
    assert numbers == [f"MSCS/CR/1/{YEAR}", f"MSCS/CR/2/{YEAR}"]


def test_sla_days_come_from_the_nearest_office_and_a_state_changes_them(registry, as_role):
    def scrutiny_days(office_id: str, state: str) -> float:
        applicant = as_role("applicant")
        app_id = applicant.create_application(payload={
            "kind": "registration", "office_id": office_id, "applicant": APPLICANT,
            "data": registration_form(state=state, area_of_operation=[state])})["id"]
        applicant.verify_promoter(payload={"application_id": app_id, "name": "Asha Patil",
                                           "aadhaar_number": "234567890123", "otp": "123456"})
        applicant.transition_application(payload={"application_id": app_id,
                                                  "action": "submit"})
        taken = as_role("registrar").transition_application(payload={
            "application_id": app_id, "action": "take_up"})
        return round(taken["time_left_seconds"] / 86400)

    assert scrutiny_days("mp", "Madhya Pradesh") == 45        # the state's own rule
    assert scrutiny_days("mp-bhopal", "Madhya Pradesh") == 45  # its district inherits it
    assert scrutiny_days("wb", "West Bengal") == 60           # the national default
    as_role("registrar", scope="office:wb").set_office_sla(payload={
        "office_id": "wb", "rule": {"kind": "registration", "stage": "under_scrutiny",
                                    "days": 30, "due_soon_days": 3}})
    assert scrutiny_days("wb-kolkata", "West Bengal") == 30
    with pytest.raises(NotFound):
        as_role("registrar", scope="office:ml").set_office_sla(payload={
            "office_id": "wb", "rule": {"kind": "registration", "stage": "submitted",
                                        "days": 3, "due_soon_days": 1}})


def test_deadlines_raise_due_soon_and_overdue_once_each(registry, as_role):
    _, app_id = submitted_registration(as_role)
    system = as_role("system")
    deadline = datetime.fromisoformat(rows(
        registry, "SELECT deadline FROM application WHERE id = :i", i=app_id)[0].deadline
        .isoformat())
    assert system.scan_deadlines(payload={"at": (deadline - timedelta(days=3)).isoformat()}
                                 )["events"] == 0
    assert system.scan_deadlines(payload={"at": (deadline - timedelta(days=1)).isoformat()}
                                 )["events"] == 1
    assert system.scan_deadlines(payload={"at": (deadline - timedelta(hours=1)).isoformat()}
                                 )["events"] == 0
    assert system.scan_deadlines(payload={"at": (deadline + timedelta(hours=1)).isoformat()}
                                 )["events"] == 1
    assert system.scan_deadlines(payload={"at": (deadline + timedelta(days=9)).isoformat()}
                                 )["events"] == 0
    [soon] = events(registry, "application_due_soon")
    [late] = events(registry, "application_overdue")
    assert contracts.ApplicationDueSoonV1.conforms(soon)
    assert contracts.ApplicationOverdueV1.conforms(late)
    assert soon["stage"] == late["stage"] == "submitted"
    assert late["applicant"]["email"] == APPLICANT["email"]
    overdue = as_role("registrar").list_applications(payload={"overdue": False})
    assert [i["id"] for i in overdue["items"]] == [app_id]
    with pytest.raises(Forbidden):
        as_role("registrar").scan_deadlines(payload={})


def test_amendment_and_branch_by_the_society_representative(registry, as_role):
    _, app_id = submitted_registration(as_role)
    registrar = as_role("registrar")
    registrar.transition_application(payload={"application_id": app_id, "action": "take_up"})
    society_id = registrar.transition_application(payload={
        "application_id": app_id, "action": "approve"})["society_id"]
    rep = as_role("society_representative", scope=f"society:{society_id}")
    with pytest.raises(NotFound):
        as_role("society_representative", scope="society:other").create_application(
            payload={"kind": "bye_law_amendment", "society_id": society_id,
                     "applicant": APPLICANT, "data": {}})

    amendment = rep.create_application(payload={
        "kind": "bye_law_amendment", "society_id": society_id, "applicant": APPLICANT,
        "data": {"summary": "Raise the share value to Rs 100.",
                 "bye_law_document_ids": ["doc-bye-laws-2"]}})
    branch = rep.create_application(payload={
        "kind": "branch_opening", "society_id": society_id, "applicant": APPLICANT,
        "data": {"name": "Belagavi branch", "address": "4 Camp Road, Belagavi",
                 "state": "Karnataka", "district": "Belagavi",
                 "proposed_opening": date.today().isoformat()}})
    for application in (amendment, branch):
        assert application["office_id"] == "crcs"
        rep.transition_application(payload={"application_id": application["id"],
                                            "action": "submit"})
        registrar.transition_application(payload={"application_id": application["id"],
                                                  "action": "take_up"})
        registrar.transition_application(payload={"application_id": application["id"],
                                                  "action": "approve"})
    bye_laws = registrar.society_bye_laws(payload={"society_id": society_id})
    assert bye_laws["current_version"] == 2
    assert [v["document_ids"] for v in bye_laws["versions"]] == [["doc-bye-laws-1"],
                                                                 ["doc-bye-laws-2"]]
    [amended] = events(registry, "bye_laws_amended")
    assert amended["version"] == 2 and contracts.ByeLawsAmendedV1.conforms(amended)
    [opened] = events(registry, "branch_opened")
    assert opened["branch"]["name"] == "Belagavi branch"
    society = rep.get_society(payload={"society_id": society_id})
    assert [b["name"] for b in society["branches"]] == ["Belagavi branch"]
    mine = rep.list_applications(payload={})
    # its founding registration and its two proposals
    assert {i["id"] for i in mine["items"]} == {app_id, amendment["id"], branch["id"]}


def test_an_officers_queue_comes_soonest_deadline_first(registry, as_role):
    """order=deadline: the soonest deadline first, those without one (drafts) last; the
    default stays newest first."""
    _, early_filed = submitted_registration(as_role)
    _, late_filed = submitted_registration(as_role)
    draft = as_role("applicant").create_application(payload={
        "kind": "registration", "office_id": "crcs", "applicant": APPLICANT,
        "data": {"name": "Kaveri"}})["id"]
    # The application filed first has the later deadline (its stage gave it more days).
    engine = create_engine(registry, poolclass=NullPool)
    with engine.begin() as connection:
        for app_id, days in ((early_filed, 20), (late_filed, 2)):
            connection.execute(text("UPDATE application SET deadline = now() + "
                                    "make_interval(days => :d) WHERE id = :i"),
                               {"d": days, "i": app_id})
    engine.dispose()
    registrar = as_role("registrar")
    queue = registrar.list_applications(payload={"order": "deadline"})["items"]
    assert [i["id"] for i in queue] == [late_filed, early_filed, draft]
    newest = registrar.list_applications(payload={})["items"]
    assert [i["id"] for i in newest] == [draft, late_filed, early_filed]
    with pytest.raises(InvalidInput):
        registrar.list_applications(payload={"order": "oldest"})
