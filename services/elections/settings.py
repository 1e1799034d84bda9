"""Settings of the elections service, from ``ELECTIONS_*`` variables (and ``ENVIRONMENT``).

``ELECTIONS_CLOCK=adjustable`` lets the CEA's rehearsals (and the tests) move the
service's clock forward to replay a programme in minutes; production refuses it, and
refuses to start with the development key for candidates' identity digests.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT_IDENTITY_KEY = "development-only-identity-key"


class ElectionsSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ELECTIONS_", extra="ignore",
                                      populate_by_name=True, hide_input_in_errors=True)

    environment: Literal["development", "production"] = Field("development",
                                                             alias="ENVIRONMENT")
    clock: Literal["real", "adjustable"] = "real"
    # HMAC key of candidates' Aadhaar digests: disqualifications follow the person.
    identity_key: SecretStr = SecretStr(DEVELOPMENT_IDENTITY_KEY)
    # Members asked of the registry per page while a voter list is drawn.
    draw_page_size: int = Field(5000, ge=1, le=5000)

    @model_validator(mode="after")
    def _production(self) -> ElectionsSettings:
        if self.environment == "production":
            if self.clock != "real":
                raise ValueError("ELECTIONS_CLOCK must be real in production")
            if self.identity_key.get_secret_value() == DEVELOPMENT_IDENTITY_KEY:
                raise ValueError("set ELECTIONS_IDENTITY_KEY: the development key is "
                                 "refused in production")
        return self


@cache
def elections_settings() -> ElectionsSettings:
    return ElectionsSettings()
