"""Who is calling and for which request: one value per call, the same in every service
and in the gateway. Pure: no nameko, no eventlet.

``actor_scope`` names what the acting grant covers: ``"society:<id>"``,
``"election:<id>"``, ``"office:<id>"``, ``"account:<id>"`` (a signed-in account acting
as itself), ``"public"`` (an anonymous caller: matches no object), or None for a grant
without a scope (an administrator, a registrar of the whole platform). The gateway always
names the actor; a call without actor headers comes from inside the platform (another
service, a timer) and acts as ``system``, unscoped.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.common.errors import Forbidden

SYSTEM_ACTOR = "system"


@dataclass(frozen=True)
class CallContext:
    request_id: str
    actor_id: str
    actor_role: str
    actor_scope: str | None
    idempotency_key: str | None
    event_id: str | None
    service: str
    entrypoint: str

    @property
    def scope(self) -> tuple[str, str] | None:
        """(kind, id) of the acting grant's scope, or None when it has none."""
        if not self.actor_scope or ":" not in self.actor_scope:
            return None
        kind, _, ident = self.actor_scope.partition(":")
        return kind, ident

    def ensure_scope(self, kind: str, ident: str | int) -> None:
        """Refuse unless the acting grant is unscoped or scoped to exactly this object.

        Services call it on anything they own: the gateway checks scope too, but it is
        not the only guard.
        """
        scope = self.scope
        if scope is not None and scope != (kind, str(ident)):
            raise Forbidden("This action is outside the scope of your role.",
                            {"required_scope": f"{kind}:{ident}",
                             "your_scope": self.actor_scope})
