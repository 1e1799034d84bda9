"""Typed errors survive nameko's serialisation; contracts are exact when written."""

import pytest
from nameko.exceptions import deserialize, serialize

from services.common.contracts.platform import HealthReportV1
from services.common.errors import (
    TYPED_ERRORS,
    Conflict,
    InvalidInput,
    NotFound,
    from_remote,
)


@pytest.mark.parametrize("cls", list(TYPED_ERRORS.values()))
def test_every_typed_error_round_trips_through_nameko(cls):
    details = {"id": 7, "ok": False, "when": None, "nested": {"n": 1.5}}
    wire = serialize(cls("Refused.", details))
    rebuilt = from_remote(wire["exc_path"], wire["exc_args"])
    assert type(rebuilt) is cls
    assert (rebuilt.message, rebuilt.details) == ("Refused.", details)
    # nameko's own proxies rebuild them too (services.common.rpc registers them)
    import services.common.rpc  # noqa: F401
    assert deserialize(wire).details == details


def test_invalid_input_carries_its_fields():
    err = InvalidInput("Bad society.", fields={"name": "required", "pin": "6 digits"})
    assert err.http_status == 422
    assert err.to_dict() == {"code": "invalid_input", "message": "Bad society.",
                             "details": {"fields": {"name": "required", "pin": "6 digits"}}}


def test_unknown_remote_errors_are_not_typed():
    assert from_remote("nameko.exceptions.MethodNotFound", ["x"]) is None
    assert from_remote("services.common.errors.Nope", ["x"]) is None
    assert from_remote(None, None) is None
    # garbage details still give the typed error with its message
    assert from_remote("services.common.errors.Conflict", ["busy", "{not json"]).message == "busy"


def test_statuses_are_distinct_where_clients_must_tell_them_apart():
    assert NotFound.http_status == 404
    assert Conflict.http_status == 409


def test_contract_conforms_only_to_exactly_what_a_producer_sends():
    report = HealthReportV1(service="registry", ok=True, checks=[], outbox_backlog=0,
                            outbox_oldest_age_seconds=0, migration_revision="r1",
                            migration_head="r1").wire()
    assert HealthReportV1.conforms(report)
    assert not HealthReportV1.conforms({**report, "surprise": 1})
    assert not HealthReportV1.conforms({**report, "outbox_backlog": -1})
    # consumers read tolerantly
    assert HealthReportV1.model_validate({**report, "surprise": 1}).service == "registry"
