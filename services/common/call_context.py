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
    def scoped(self) -> bool:
        """True unless the acting grant has no scope at all."""
        return bool(self.actor_scope)

    def ensure_scope(self, kind: str, ident: str | int) -> None:
        """Refuse unless the acting grant is unscoped or scoped to exactly this object.

        Services call it on anything they own: the gateway checks scope too, but it is
        not the only guard. Any scope that is not exactly ``<kind>:<id>`` (``public``,
        ``account:<id>``, another society) is refused.
        """
        required = f"{kind}:{ident}"
        if self.scoped and required not in self.actor_scope.split():
            raise Forbidden("This action is outside the scope of your role.",
                            {"required_scope": required, "your_scope": self.actor_scope})
