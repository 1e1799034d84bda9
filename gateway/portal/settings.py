"""The portal's own settings, from the environment (``PORTAL_*``)."""

from __future__ import annotations

from functools import cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class PortalSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore")

    # Cookies only over HTTPS. Off only for a plain-HTTP development gateway on
    # 127.0.0.1 (browsers keep Secure cookies from http://localhost but not from other
    # plain-HTTP hosts).
    cookie_secure: bool = Field(True, validation_alias="PORTAL_COOKIE_SECURE")


@cache
def get_portal_settings() -> PortalSettings:
    return PortalSettings()
