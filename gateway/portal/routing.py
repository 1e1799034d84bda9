"""A gate in front of the gateway's routes for the portal's paths.

The app tries its routes in order and the portal's come last; walking every API router
to reach ``/societies`` cost about 1.8 ms a page (FastAPI 0.165 checks each included
route). The gate sits first: an API path is refused at once (one prefix test), a portal
path is matched against the portal's own routes only. The portal's routes stay where
``include_router`` put them too, so ``gateway.access.api_routes`` (the access matrix,
``check_routes``) sees them as it sees every route."""

from __future__ import annotations

from starlette.routing import BaseRoute, Match
from starlette.types import Receive, Scope, Send

from gateway.portal.session import is_portal_path

_CHOSEN = "portal.route"


class PortalGate(BaseRoute):
    def __init__(self, routes: list[BaseRoute]):
        self.routes = routes

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http" or not is_portal_path(scope["path"]):
            return Match.NONE, {}
        partial: tuple[BaseRoute, Scope] | None = None
        for route in self.routes:
            match, child = route.matches(scope)
            if match is Match.FULL:
                return Match.FULL, {**child, _CHOSEN: route}
            if match is Match.PARTIAL and partial is None:
                partial = (route, child)
        if partial is not None:
            return Match.PARTIAL, {**partial[1], _CHOSEN: partial[0]}
        return Match.NONE, {}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        await scope.pop(_CHOSEN).handle(scope, receive, send)
