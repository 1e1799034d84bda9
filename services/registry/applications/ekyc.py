"""Promoter e-verification behind one interface. Production plugs in Aadhaar e-KYC (OTP
based, through an authorised KUA); tests and the embedded stack use the deterministic
test provider, chosen by ``REGISTRY_EKYC_PROVIDER``: ``test`` (the only one shipped, and
the default outside production) or ``package.module:ClassName``, a site's adapter to its
KUA, built without arguments. With ``ENVIRONMENT=production`` the registry refuses to start
on the test provider or without its digest key (``check_production``).

The Aadhaar number is never stored: the registry keeps its last four digits and a keyed
digest (to refuse the same person twice on one application)."""

from __future__ import annotations

import hashlib
import hmac
import importlib
import os
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Verification:
    verified: bool
    reference: str | None
    failure: str | None


class EkycProvider(Protocol):
    name: str

    def verify(self, *, name: str, aadhaar_number: str, otp: str) -> Verification: ...


class TestEkycProvider:
    """Deterministic answers, so tests and demos know the outcome in advance:
    - OTP ``000000`` is wrong;
    - an Aadhaar number ending in ``0`` belongs to nobody;
    - anything else is verified, with reference ``TEST-<last four>-<name initials>``."""

    name = "test"

    def verify(self, *, name: str, aadhaar_number: str, otp: str) -> Verification:
        if otp == "000000":
            return Verification(False, None, "the OTP does not match")
        if aadhaar_number.endswith("0"):
            return Verification(False, None, "no resident with this Aadhaar number")
        initials = "".join(part[0] for part in name.split() if part).upper()[:6]
        return Verification(True, f"TEST-{aadhaar_number[-4:]}-{initials}", None)


PROVIDERS: dict[str, type] = {"test": TestEkycProvider}


def _production() -> bool:
    return os.environ.get("ENVIRONMENT") == "production"


def _provider_class(choice: str) -> type:
    if choice in PROVIDERS:
        return PROVIDERS[choice]
    module_name, sep, class_name = choice.partition(":")
    if not sep or not module_name or not class_name:
        raise RuntimeError(f"REGISTRY_EKYC_PROVIDER={choice!r}: one of {sorted(PROVIDERS)} "
                           "or package.module:ClassName")
    try:
        return getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError) as exc:
        raise RuntimeError(f"REGISTRY_EKYC_PROVIDER={choice!r} cannot be loaded: {exc}") from exc


def provider() -> EkycProvider:
    choice = os.environ.get("REGISTRY_EKYC_PROVIDER", "" if _production() else "test")
    if _production() and choice in ("", "test"):
        raise RuntimeError("REGISTRY_EKYC_PROVIDER must name a real e-KYC provider when "
                           "ENVIRONMENT=production (the test provider verifies anyone)")
    return _provider_class(choice)()


def check_production() -> None:
    """At start-up: refuse a production registry that would verify promoters falsely."""
    if _production():
        provider()
        digest("0000")


def digest(aadhaar_number: str) -> str:
    """A keyed digest: equal numbers match, the number cannot be read back."""
    configured = os.environ.get("REGISTRY_EKYC_DIGEST_KEY")
    if not configured and _production():
        raise RuntimeError("REGISTRY_EKYC_DIGEST_KEY is required when ENVIRONMENT=production")
    key = (configured or "registry-ekyc-local").encode()
    return hmac.new(key, aadhaar_number.encode(), hashlib.sha256).hexdigest()
