"""Every log line is one JSON object carrying the service, request id and acting user."""

import json
import logging

from services.common import logging as platform_logging
from services.common.call_context import CallContext
from services.common.context import current_call


def test_log_lines_are_json_with_the_callers_request_and_actor(capsys):
    platform_logging.configure("registry", "INFO")
    token = current_call.set(CallContext(
        request_id="req-123", actor_id="officer-7", actor_role="registrar",
        actor_scope="office:MH", idempotency_key=None, event_id=None, service="registry",
        entrypoint="approve_application"))
    try:
        logging.getLogger("services.registry").info("application approved",
                                                    extra={"application_id": 42})
    finally:
        current_call.reset(token)
        logging.getLogger().handlers.clear()
    line = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert line["message"] == "application approved"
    assert (line["service"], line["request_id"], line["actor_id"]) == (
        "registry", "req-123", "officer-7")
    assert line["entrypoint"] == "approve_application"
    assert line["application_id"] == 42
    assert line["level"] == "INFO" and "timestamp" in line
