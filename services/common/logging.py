"""JSON log lines that carry the service, the request id and the acting user."""

from __future__ import annotations

import logging
import sys

from pythonjsonlogger.orjson import OrjsonFormatter

from services.common.context import current_call


class _CallFields(logging.Filter):
    def __init__(self, service: str):
        super().__init__()
        self.service = service

    def filter(self, record: logging.LogRecord) -> bool:
        record.service = self.service
        call = current_call.get()
        if call is not None:
            record.request_id = call.request_id
            record.actor_id = call.actor_id
            record.entrypoint = call.entrypoint
        return True


def configure(service: str, level: str = "INFO") -> None:
    """Send every log record of the process to stdout as one JSON object a line."""
    handler = logging.StreamHandler(sys.stdout)
    # The same fields as the gateway's lines (gateway/logging.py), so one query reads both.
    handler.setFormatter(OrjsonFormatter(
        "{levelname}{name}{message}",
        style="{",
        rename_fields={"levelname": "level", "name": "logger"},
        timestamp=True,
    ))
    handler.addFilter(_CallFields(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # kombu/amqp are chatty at INFO on every reconnect attempt.
    logging.getLogger("amqp").setLevel(logging.WARNING)
    # Alembic reports its dialect on every revision check (health does one a call).
    logging.getLogger("alembic.runtime.migration").setLevel(logging.WARNING)
