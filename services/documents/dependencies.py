"""What the documents service's workers get injected besides the chassis: the object
store (built once per container, the S3 bucket made sure of) and the registry's answer
about which offices a society belongs to."""

from __future__ import annotations

import logging

import eventlet
from nameko.exceptions import RemoteError, UnknownService
from nameko.extensions import DependencyProvider

from services.common.errors import InvalidInput, NotFound, PlatformError
from services.documents.access import RegistryUnavailable
from services.documents.settings import documents_settings
from services.documents.store import make_store

log = logging.getLogger(__name__)


class Storage(DependencyProvider):
    def setup(self):
        self.store = make_store(documents_settings())

    def get_dependency(self, worker_ctx):
        return self.store


def office_ids(answer) -> list[str]:
    """Office ids from registry's ``society_offices`` answer, read tolerantly: a list, or
    a dict with ``office_ids`` or ``offices`` (ids or objects with ``office_id``/``id``)."""
    if isinstance(answer, dict):
        answer = answer.get("office_ids", answer.get("offices", answer.get("chain", [])))
    found = []
    for item in answer or []:
        if isinstance(item, dict):
            item = item.get("office_id") or item.get("id")
        if item:
            found.append(str(item))
    return found


class SocietyOffices:
    """Asks registry once per society per worker; no answer in time raises
    ``RegistryUnavailable``."""

    def __init__(self, proxy, timeout: float):
        self._proxy = proxy
        self._timeout = timeout
        self._known: dict[str, list[str]] = {}

    def __call__(self, society_id: str) -> list[str]:
        if society_id not in self._known:
            self._known[society_id] = self._ask(society_id)
        return self._known[society_id]

    def _ask(self, society_id: str) -> list[str]:
        try:
            with eventlet.Timeout(self._timeout):
                reply = self._proxy.society_offices.call_async(
                    payload={"society_id": society_id})
                return office_ids(reply.result())
        except (NotFound, InvalidInput):
            # An id the registry cannot even hold names no society: no offices, as for
            # one it does not know (was a 503 for an owner like society:<65 characters>).
            return []
        except PlatformError as exc:
            log.warning("registry refused society_offices: %s", exc)
            raise RegistryUnavailable(str(exc)) from None
        except (eventlet.Timeout, UnknownService, RemoteError, OSError) as exc:
            log.warning("registry did not answer society_offices: %r", exc)
            raise RegistryUnavailable("registry did not answer") from None
