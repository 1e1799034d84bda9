"""Society routes. For now one: who you act as for a society, which exercises the scope
machinery end to end before the registry's routes land."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel

from gateway.access import ActorDep
from gateway.identity.roles import SCOPE_ID_PATTERN

router = APIRouter(prefix="/v1/societies", tags=["societies"])

SocietyId = Annotated[str, Path(min_length=1, max_length=64, pattern=SCOPE_ID_PATTERN)]


class SocietyAccessOut(BaseModel):
    society_id: str
    role: str
    scope: str | None


@router.get("/{society_id}/access", name="societies.access", response_model=SocietyAccessOut,
            summary="The role and scope you act with for this society",
            responses={404: {"description": "No such society, or not yours"}})
async def society_access(society_id: SocietyId, actor: ActorDep) -> SocietyAccessOut:
    assert actor.role is not None
    return SocietyAccessOut(society_id=society_id, role=actor.role, scope=actor.scope)
