"""Contracts of the kinds' versions an administrator publishes (grievance service): the
whole definition of a new version of one of the kinds the service knows (states,
transitions, who may take each, deadlines). The service checks it before anything is
written and refuses it naming the rule it breaks."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from services.common.contracts.base import NOT_BLANK, Contract
from services.common.contracts.grievance import Body, CaseKind

StateName = Annotated[str, StringConstraints(pattern=r"^[a-z_]{2,32}$")]
ActionName = Annotated[str, StringConstraints(pattern=r"^[a-z_]{2,48}$")]
RoleName = Annotated[str, StringConstraints(pattern=r"^[a-z_]{2,40}$")]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                         pattern=NOT_BLANK, max_length=100)]
Days = Annotated[int, Field(ge=1, le=3650)]


class TransitionInV1(Contract):
    name: ActionName
    from_states: list[StateName] = Field(min_length=1, max_length=30)
    to: StateName
    roles: list[RoleName] = Field(min_length=1, max_length=20,
                                  description="platform roles, or complainant")
    title_hi: Title
    deadline_days: Days | None = None
    within_days: Days | None = None


class KindDefinitionV1(Contract):
    """A new version of a kind: cases opened from then on follow it; cases already open
    keep the version they were opened under."""

    title: Title
    title_hi: Title
    initial: StateName
    states: list[StateName] = Field(min_length=1, max_length=30)
    closed_states: list[StateName] = Field(min_length=1, max_length=30)
    openers: list[RoleName] = Field(min_length=1, max_length=20)
    parties: list[StateName] = Field(min_length=1, max_length=20)
    initial_deadline_days: Days | None = None
    transitions: list[TransitionInV1] = Field(min_length=1, max_length=60)
    note: Body | None = None


class PublishKindV1(KindDefinitionV1):
    kind: CaseKind


class KindVersionsQueryV1(Contract):
    kind: CaseKind
