"""What a client sees over HTTP: typed errors with their details, request ids, and writes
that are safe to retry with an Idempotency-Key. Gateway and services are real processes."""

from __future__ import annotations

import json
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.e2e.harness import query_rows, wait_until


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


# --------------------------------------------------------------------------- typed errors


def test_an_invalid_note_is_422_with_the_field_and_the_request_id(platform):
    request_id = unique("e2e-invalid")
    response = platform.http.post(f"{platform.prefix}/notes", json={"text": ""},
                                  headers={"X-Request-ID": request_id})

    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert error["details"]["fields"] == {"text": "must be 1 to 200 characters"}
    assert error["request_id"] == request_id
    assert response.headers["X-Request-ID"] == request_id


def test_an_unknown_note_is_404_with_what_was_looked_for(platform):
    response = platform.http.get(f"{platform.prefix}/notes/987654321")

    assert response.status_code == 404, response.text
    error = response.json()["error"]
    assert error["code"] == "not_found"
    assert error["message"] == "No such note."
    assert error["details"] == {"id": 987654321}


def test_outside_window_is_409_with_its_details_intact(platform):
    details = {"opens_at": "2027-04-01T00:00:00+05:30", "closes_at": "2027-04-30T23:59:59+05:30",
               "days_until_open": 123, "extendable": False, "extended_to": None,
               "quorum_ratio": 0.5, "forms": ["19M", "19N"]}
    response = platform.http.post(f"{platform.prefix}/fail", json={
        "kind": "OutsideWindow", "message": "Nominations are not open.", "details": details})

    assert response.status_code == 409, response.text
    error = response.json()["error"]
    assert error["code"] == "outside_window"
    assert error["message"] == "Nominations are not open."
    assert error["details"] == details  # numbers, booleans, null and lists as sent


@pytest.mark.parametrize(("kind", "status", "code"), [
    ("NotFound", 404, "not_found"),
    ("InvalidInput", 422, "invalid_input"),
    ("Unauthenticated", 401, "unauthenticated"),
    ("Forbidden", 403, "forbidden"),
    ("Conflict", 409, "conflict"),
])
def test_each_typed_error_has_its_own_status(platform, kind, status, code):
    response = platform.http.post(f"{platform.prefix}/fail", json={
        "kind": kind, "message": f"{kind} said no", "details": {"why": kind}})

    assert response.status_code == status, response.text
    assert response.json()["error"] == {
        "code": code, "message": f"{kind} said no", "details": {"why": kind},
        "request_id": response.headers["X-Request-ID"]}


def test_a_malformed_body_is_422_with_field_details_before_any_service_is_asked(platform):
    response = platform.http.post(f"{platform.prefix}/notes", json={"text": ["not", "text"]})

    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert set(error["details"]["fields"]) == {"text"}

    missing = platform.http.post(f"{platform.prefix}/slow", json={"tag": "x"})
    assert missing.status_code == 422
    assert "seconds" in missing.json()["error"]["details"]["fields"]


def test_every_answer_carries_a_request_id(platform):
    chosen = unique("e2e-ok")
    ok = platform.http.post(f"{platform.prefix}/echo", json={"n": 1},
                            headers={"X-Request-ID": chosen})
    assert ok.status_code == 200
    assert ok.json() == {"n": 1}
    assert ok.headers["X-Request-ID"] == chosen

    fresh = platform.http.post(f"{platform.prefix}/echo", json={"n": 2})
    assert len(fresh.headers["X-Request-ID"]) >= 8
    assert fresh.headers["X-Request-ID"] != chosen


# --------------------------------------------------------------------------- idempotency


def test_a_retried_write_with_the_same_key_is_applied_once(platform):
    text, key = unique("retried"), unique("key")

    first = platform.add_note(text, key)
    second = platform.add_note(text, key)

    assert first.status_code == second.status_code == 201, (first.text, second.text)
    assert second.json() == first.json()
    assert platform.notes_with_text(text) == 1
    note_id = first.json()["id"]
    wait_until(lambda: platform.applied_counts().get(note_id) == 1, 10,
               "the sink to apply the note")
    assert platform.applied_counts()[note_id] == 1  # the replay emitted no second event


def test_the_same_key_with_a_different_body_is_409(platform):
    key = unique("key")
    assert platform.add_note(unique("original"), key).status_code == 201

    reused = platform.add_note(unique("different"), key)

    assert reused.status_code == 409, reused.text
    error = reused.json()["error"]
    assert error["code"] == "conflict"
    assert error["details"] == {"idempotency_key": key}


def test_concurrent_writes_with_one_key_make_one_note(platform):
    text, key = unique("concurrent"), unique("key")

    with ThreadPoolExecutor(max_workers=5) as pool:
        responses = list(pool.map(lambda _: platform.add_note(text, key), range(5)))

    assert [r.status_code for r in responses] == [201] * 5, [r.text for r in responses]
    assert len({r.text for r in responses}) == 1
    assert platform.notes_with_text(text) == 1


def test_different_keys_make_different_notes(platform):
    text = unique("twice")
    first = platform.add_note(text, unique("key"))
    second = platform.add_note(text, unique("key"))

    assert first.status_code == second.status_code == 201
    assert first.json()["id"] != second.json()["id"]
    assert platform.notes_with_text(text) == 2


def test_a_malformed_idempotency_key_is_422(platform):
    response = platform.add_note(unique("badkey"), "spaces are not allowed")

    assert response.status_code == 422, response.text
    assert "header.Idempotency-Key" in response.json()["error"]["details"]["fields"]


# --------------------------------------------------------------------------- tracing


def test_the_request_id_and_actor_reach_the_audit_trail_and_the_event(platform):
    request_id = unique("trace")
    text_ = unique("traced")
    answer = platform.http.post(f"{platform.prefix}/notes", json={"text": text_},
                                headers={"X-Request-ID": request_id})
    assert answer.status_code == 201
    note_id = answer.json()["id"]

    (audit,) = query_rows(platform.source_url,
                          "SELECT actor_id, actor_role, request_id FROM audit_entry "
                          "WHERE entity_id = :id", id=str(note_id))
    # A public route names its actor: anonymous, never the unscoped system actor.
    assert tuple(audit) == ("anonymous", "anonymous", request_id)

    (outbox,) = query_rows(platform.source_url,
                           "SELECT headers FROM outbox_message WHERE payload::jsonb "
                           "->> 'note_id' = :id", id=str(note_id))
    headers = outbox[0] if isinstance(outbox[0], dict) else json.loads(outbox[0])
    assert headers["nameko.request_id"] == request_id
    assert headers["nameko.actor_id"] == "anonymous"
    # Request-only headers never follow the event downstream.
    assert not {"nameko.deadline_ms", "nameko.idempotency_key"} & set(headers)
