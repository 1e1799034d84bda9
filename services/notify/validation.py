"""Reading RPC payloads: a contract violation becomes one InvalidInput naming every field."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from services.common.errors import InvalidInput

M = TypeVar("M", bound=BaseModel)


def parse(model: type[M], payload: Any) -> M:
    try:
        return model.model_validate(payload if payload is not None else {})
    except ValidationError as exc:
        fields = {}
        for error in exc.errors():
            name = ".".join(str(part) for part in error["loc"]) or "payload"
            fields.setdefault(name, error["msg"])
        raise InvalidInput("The request is not valid.", fields=fields) from None
