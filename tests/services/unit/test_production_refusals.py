"""With ENVIRONMENT=production a service refuses to start on a development default that
would harm people later: the test e-KYC provider (it verifies anyone), or a loopback or
reserved host in an address printed into certificates or mailed to citizens."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from services.common import cli
from services.common.public_url import refusal
from services.common.settings import service_settings
from services.documents.settings import DocumentsSettings
from services.notify.settings import NotifySettings
from services.registry.applications import ekyc
from services.registry.service import RegistryService

KEY = "k" * 40


class SiteKua:
    """Stands for a site's own adapter, loaded from REGISTRY_EKYC_PROVIDER."""

    name = "site"

    def verify(self, *, name, aadhaar_number, otp):
        return ekyc.Verification(False, None, "not in this test")


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:8000/v1/documents/verify/", "https://127.0.0.1/verify/",
    "https://localhost/verify/", "https://[::1]/verify/", "https://10.0.0.5/verify/",
    "https://portal.coop-platform.example/", "https://verify.test/", "ftp://coop.gov.in/",
    "https:///verify/",
])
def test_addresses_no_citizen_can_reach_are_refused(url):
    assert refusal(url) is not None


def test_a_public_https_address_is_accepted():
    assert refusal("https://cooperatives.gov.in/v1/documents/verify/") is None


def test_documents_refuses_the_loopback_verify_link_in_production():
    with pytest.raises(ValidationError, match="DOCUMENTS_VERIFY_BASE_URL"):
        DocumentsSettings(ENVIRONMENT="production", signing_key=KEY)
    ok = DocumentsSettings(ENVIRONMENT="production", signing_key=KEY,
                           verify_base_url="https://cooperatives.gov.in/v1/documents/verify/")
    assert ok.verify_base_url.startswith("https://cooperatives.gov.in/")
    # Development keeps its loopback default.
    assert "127.0.0.1" in DocumentsSettings().verify_base_url


def test_notify_refuses_a_placeholder_portal_link_in_production():
    with pytest.raises(ValidationError, match="NOTIFY_PORTAL_URL"):
        NotifySettings(ENVIRONMENT="production")
    assert NotifySettings(ENVIRONMENT="production",
                          portal_url="https://cooperatives.gov.in").portal_url


def test_production_refuses_the_test_ekyc_provider(monkeypatch):
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("REGISTRY_EKYC_DIGEST_KEY", KEY)
    monkeypatch.delenv("REGISTRY_EKYC_PROVIDER", raising=False)
    with pytest.raises(RuntimeError, match="real e-KYC provider"):
        ekyc.check_production()
    monkeypatch.setenv("REGISTRY_EKYC_PROVIDER", "test")
    with pytest.raises(RuntimeError, match="real e-KYC provider"):
        ekyc.provider()
    monkeypatch.setenv("REGISTRY_EKYC_PROVIDER", f"{__name__}:SiteKua")
    ekyc.check_production()
    assert ekyc.provider().name == "site"
    monkeypatch.setenv("REGISTRY_EKYC_PROVIDER", f"{__name__}:NoSuchClass")
    with pytest.raises(RuntimeError, match="cannot be loaded"):
        ekyc.provider()


def test_production_needs_the_ekyc_digest_key(monkeypatch):
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("REGISTRY_EKYC_PROVIDER", f"{__name__}:SiteKua")
    monkeypatch.delenv("REGISTRY_EKYC_DIGEST_KEY", raising=False)
    with pytest.raises(RuntimeError, match="REGISTRY_EKYC_DIGEST_KEY"):
        ekyc.check_production()


def test_development_keeps_the_test_provider(monkeypatch):
    monkeypatch.delenv("ENVIRONMENT", raising=False)
    monkeypatch.delenv("REGISTRY_EKYC_PROVIDER", raising=False)
    ekyc.check_production()
    assert ekyc.provider().name == "test"


def test_the_registry_process_refuses_to_start(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("REGISTRY_EKYC_DIGEST_KEY", KEY)
    monkeypatch.delenv("REGISTRY_EKYC_PROVIDER", raising=False)
    monkeypatch.setenv("REGISTRY_DATABASE_URL", f"sqlite:///{tmp_path}/registry.db")
    service_settings.cache_clear()
    try:
        assert cli.main(RegistryService, ["run"]) == 2
    finally:
        service_settings.cache_clear()
    logged = capsys.readouterr().out
    assert "refusing to start" in logged and "REGISTRY_EKYC_PROVIDER" in logged
    assert not (tmp_path / "registry.db").exists()  # refused before touching the database


def test_elections_refuses_the_rehearsal_clock_and_the_development_key_in_production():
    from services.elections.settings import ElectionsSettings

    with pytest.raises(ValidationError, match="ELECTIONS_IDENTITY_KEY"):
        ElectionsSettings(ENVIRONMENT="production")
    with pytest.raises(ValidationError, match="ELECTIONS_CLOCK"):
        ElectionsSettings(ENVIRONMENT="production", identity_key=KEY, clock="adjustable")
    ok = ElectionsSettings(ENVIRONMENT="production", identity_key=KEY)
    assert ok.clock == "real"
    assert ElectionsSettings(clock="adjustable").clock == "adjustable"  # rehearsals
