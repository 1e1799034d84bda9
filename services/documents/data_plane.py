"""The documents service's HTTP data plane: the bytes of uploads and downloads travel
here, never over the bus.

A nameko ``http`` entrypoint of its own (``@data_plane``) on ``DOCUMENTS_DATA_HOST``:
``DOCUMENTS_DATA_PORT``, beside the RPC entrypoints in the same container, so a handler
has the same database, metrics and logs. Every path carries a token that an RPC issued
after checking the caller's right (``tokens.py``); the entrypoint verifies it before a
worker starts and runs the worker as the caller named in it (request id, actor, role,
scope, Idempotency-Key), so audit entries and events name the person, not the plane.
Answers are JSON, errors in the gateway's shape ``{"error": {code, message, details}}``.
"""

from __future__ import annotations

import json
import logging
from functools import partial

from eventlet.event import Event
from nameko.web.handlers import HttpRequestHandler
from nameko.web.server import WebServer
from werkzeug.wrappers import Response

from services.common.errors import PlatformError
from services.documents import tokens
from services.documents.settings import documents_settings

log = logging.getLogger(__name__)

_CONTEXT_CLAIMS = ("request_id", "actor_id", "actor_role", "actor_scope", "idempotency_key")


def json_response(status: int, body: dict, headers: dict | None = None) -> Response:
    return Response(json.dumps(body, default=str), status=status, headers=headers,
                    mimetype="application/json")


def error_response(status: int, code: str, message: str, details: dict | None = None):
    return json_response(status, {"error": {"code": code, "message": message,
                                            "details": details or {}}})


def platform_error_response(exc: PlatformError) -> Response:
    return error_response(exc.http_status, exc.code, exc.message, exc.details)


class DataPlaneServer(WebServer):
    """nameko's web server, bound where the documents settings say (not to nameko's
    ``WEB_SERVER_ADDRESS``: the service has no other HTTP entrypoint)."""

    @property
    def bind_addr(self):
        settings = documents_settings()
        return settings.data_host, settings.data_port


class DataPlaneEntrypoint(HttpRequestHandler):
    server = DataPlaneServer()

    def __init__(self, method: str, url: str, use: str, **kwargs):
        self.use = use
        super().__init__(method, url, **kwargs)

    def setup(self):
        self.key = documents_settings().key_bytes()
        super().setup()

    def handle_request(self, request):
        request.shallow = False
        try:
            claims = tokens.verify(self.key, self.use, request.path_values.get("token", ""))
        except tokens.TokenRefused as exc:
            return error_response(403, "forbidden", "This link is not valid or has expired.",
                                  {"reason": str(exc)})
        context_data = {key: claims[key] for key in _CONTEXT_CLAIMS if claims.get(key)}
        event = Event()
        try:
            self.container.spawn_worker(self, (request, claims), {},
                                        context_data=context_data,
                                        handle_result=partial(self.handle_result, event))
            return self.response_from_result(event.wait())
        except Exception as exc:  # the worker's exception, re-raised by wait()
            return self.response_from_exception(exc)

    def response_from_exception(self, exc):
        if isinstance(exc, PlatformError):
            return platform_error_response(exc)
        log.error("data plane request failed", exc_info=exc)
        return error_response(500, "internal", "The documents service failed.")


data_plane = DataPlaneEntrypoint.decorator
