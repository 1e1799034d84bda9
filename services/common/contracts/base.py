"""Base classes for contracts: tolerant when read, exact when written."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

# Text stripped of surrounding whitespace (``StringConstraints(strip_whitespace=True)``):
# pydantic checks the length of what is left, JSON Schema the length of what was sent, so
# the schema also states the rule as a pattern on the characters that are not blank.
NOT_BLANK = r"\S"
THREE_NOT_BLANK = r"\S[\s\S]+\S"


class Contract(BaseModel):
    """A message body. Reading ignores unknown fields (strict out, tolerant in)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    def wire(self) -> dict[str, Any]:
        """The JSON-ready dict a producer sends."""
        return self.model_dump(mode="json")

    @classmethod
    def conforms(cls, data: Any) -> bool:
        """True when ``data`` is exactly what a producer of this contract sends:
        it validates and carries no field the contract does not declare."""
        try:
            return cls.model_validate(data).wire() == data
        except ValueError:
            return False


class Event(Contract):
    """An event body. ``event_type`` is the routing key; bump ``version`` (a new
    class beside the old) for any change that is not purely additive."""

    event_type: ClassVar[str]
    version: ClassVar[int] = 1
