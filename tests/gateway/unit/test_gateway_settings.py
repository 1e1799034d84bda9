"""Settings from the environment, with defaults for one machine."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from gateway.settings import DEFAULT_SERVICES, GatewaySettings, get_settings

ENV_NAMES = (
    "AMQP_URI", "GATEWAY_HOST", "GATEWAY_PORT", "GATEWAY_RPC_TIMEOUT", "GATEWAY_HEALTH_TIMEOUT",
    "GATEWAY_HEARTBEAT", "GATEWAY_MAX_BODY_BYTES", "LOG_LEVEL", "GATEWAY_SERVICES",
    "ENVIRONMENT", "GATEWAY_ACCESS_LOG", "GATEWAY_JWT_KEYS", "GATEWAY_JWT_ACTIVE_KID",
    "GATEWAY_OTP_PEPPER", "GATEWAY_OTP_CHANNEL", "GATEWAY_DATABASE_URL", "DATA_DIR",
    "GATEWAY_TRUSTED_PROXIES", "GATEWAY_SESSION_CHECK_SECONDS",
)
KEY = "k" * 32
PEPPER = "p" * 32


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)


def test_defaults():
    settings = GatewaySettings()
    assert settings.amqp_uri == "amqp://guest:guest@127.0.0.1:5672/"
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)
    assert settings.rpc_timeout == 10
    assert settings.health_timeout == 2.0
    assert settings.heartbeat == 10
    assert settings.max_body_bytes == 1024 * 1024
    assert settings.log_level == "INFO"
    assert settings.access_log is True
    assert settings.services == DEFAULT_SERVICES
    assert settings.environment == "development"
    assert settings.amqp_url == "amqp://guest:guest@127.0.0.1:5672/?heartbeat=10"


def test_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("AMQP_URI", "amqp://gw:pw@rabbit:5672/coop")
    monkeypatch.setenv("GATEWAY_PORT", "9000")
    monkeypatch.setenv("GATEWAY_RPC_TIMEOUT", "3.5")
    monkeypatch.setenv("GATEWAY_HEARTBEAT", "30")
    monkeypatch.setenv("GATEWAY_SERVICES", "registry, notify,")
    monkeypatch.setenv("LOG_LEVEL", "debug")
    settings = GatewaySettings()
    assert settings.port == 9000
    assert settings.rpc_timeout == 3.5
    assert settings.services == ("registry", "notify")
    assert settings.log_level == "DEBUG"
    assert settings.amqp_url == "amqp://gw:pw@rabbit:5672/coop?heartbeat=30"


def test_password_is_not_in_the_repr(monkeypatch):
    monkeypatch.setenv("AMQP_URI", "amqp://gw:hunter2@rabbit:5672/")
    assert "hunter2" not in repr(GatewaySettings())


@pytest.mark.parametrize(
    ("name", "value"),
    [("GATEWAY_RPC_TIMEOUT", "0"), ("GATEWAY_PORT", "70000"), ("LOG_LEVEL", "LOUD"),
     ("AMQP_URI", "http://rabbit/"), ("ENVIRONMENT", "staging")],
)
def test_bad_values_are_refused(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError):
        GatewaySettings()


def test_production_refuses_the_default_credentials(monkeypatch):
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("GATEWAY_JWT_KEYS", f'{{"k1": "{KEY}"}}')
    monkeypatch.setenv("GATEWAY_JWT_ACTIVE_KID", "k1")
    monkeypatch.setenv("GATEWAY_OTP_PEPPER", PEPPER)
    with pytest.raises(ValidationError, match="real credentials"):
        GatewaySettings()
    monkeypatch.setenv("AMQP_URI", "amqps://gateway:s3cret@rabbit:5671/")
    assert GatewaySettings().environment == "production"
    assert GatewaySettings().resolved_otp_channel == "notify"


@pytest.mark.parametrize(("env", "match"), [
    ({"GATEWAY_JWT_KEYS": ""}, "GATEWAY_JWT_KEYS and GATEWAY_JWT_ACTIVE_KID are required"),
    ({"GATEWAY_OTP_PEPPER": None}, "GATEWAY_OTP_PEPPER is required"),
    ({"GATEWAY_OTP_CHANNEL": "log"}, "refused when ENVIRONMENT=production"),
])
def test_production_refuses_missing_identity_secrets_and_the_log_channel(monkeypatch, env,
                                                                         match):
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("AMQP_URI", "amqps://gateway:s3cret@rabbit:5671/")
    monkeypatch.setenv("GATEWAY_JWT_KEYS", f'{{"k1": "{KEY}"}}')
    monkeypatch.setenv("GATEWAY_JWT_ACTIVE_KID", "k1")
    monkeypatch.setenv("GATEWAY_OTP_PEPPER", PEPPER)
    for name, value in env.items():
        if value is None:
            monkeypatch.delenv(name)
        else:
            monkeypatch.setenv(name, value)
    if env.get("GATEWAY_JWT_KEYS") == "":
        monkeypatch.delenv("GATEWAY_JWT_ACTIVE_KID")
    with pytest.raises(ValidationError, match=match):
        GatewaySettings()


@pytest.mark.parametrize(("keys", "active", "match"), [
    ('{"k1": "short"}', "k1", "shorter than 32 bytes"),
    (f'{{"k1": "{KEY}"}}', "k2", "must name one of"),
    ("[1, 2]", "k1", "JSON object"),
    (f'{{"bad kid": "{KEY}"}}', "bad kid", "key ids"),
])
def test_bad_jwt_keys_are_refused_without_echoing_the_secret(monkeypatch, keys, active, match):
    monkeypatch.setenv("GATEWAY_JWT_KEYS", keys)
    monkeypatch.setenv("GATEWAY_JWT_ACTIVE_KID", active)
    with pytest.raises(ValidationError, match=match) as refused:
        GatewaySettings()
    assert "short" not in str(refused.value).replace("shorter", "")
    assert KEY not in str(refused.value)


def test_identity_defaults_and_secrets_stay_out_of_the_repr(monkeypatch):
    settings = GatewaySettings()
    assert settings.resolved_database_url == "sqlite:///data/gateway.db"
    assert settings.resolved_otp_channel == "log"
    assert settings.session_check_seconds == 5
    monkeypatch.setenv("DATA_DIR", "/srv/coop")
    monkeypatch.setenv("GATEWAY_JWT_KEYS", f'{{"k1": "{KEY}", "k0": "{"o" * 40}"}}')
    monkeypatch.setenv("GATEWAY_JWT_ACTIVE_KID", "k1")
    monkeypatch.setenv("GATEWAY_OTP_PEPPER", PEPPER)
    monkeypatch.setenv("GATEWAY_TRUSTED_PROXIES", "10.0.0.0/8, 127.0.0.1")
    settings = GatewaySettings()
    assert settings.resolved_database_url == "sqlite:////srv/coop/gateway.db"
    assert settings.trusted_proxies == ("10.0.0.0/8", "127.0.0.1")
    assert set(settings.jwt_keys) == {"k1", "k0"}
    text = repr(settings) + str(settings.model_dump())
    assert KEY not in text and PEPPER not in text


def test_get_settings_is_built_once_on_first_use(monkeypatch):
    get_settings.cache_clear()
    try:
        monkeypatch.setenv("GATEWAY_PORT", "8123")
        first = get_settings()
        monkeypatch.setenv("GATEWAY_PORT", "8124")
        assert get_settings() is first
        assert first.port == 8123
    finally:
        get_settings.cache_clear()


@pytest.mark.parametrize(("value", "expected"), [("0", False), ("false", False), ("1", True)])
def test_access_log_switch(monkeypatch, value, expected):
    monkeypatch.setenv("GATEWAY_ACCESS_LOG", value)
    assert GatewaySettings().access_log is expected
