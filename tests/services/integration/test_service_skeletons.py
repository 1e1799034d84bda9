"""The six services as deployed: migrations agree with models, each serves health and
the audit check over the real broker, and what they answer matches the contracts."""

from __future__ import annotations

import importlib

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from services.common.contracts.platform import AuditVerificationV1, HealthReportV1
from services.common.migrate import head_revision, upgrade
from services.common.settings import SERVICE_NAMES

SERVICES = {name: importlib.import_module(f"services.{name}.service") for name in SERVICE_NAMES}


def service_class(name):
    module = SERVICES[name]
    return next(obj for obj in vars(module).values()
                if isinstance(obj, type) and getattr(obj, "name", None) == name)


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_migrations_build_exactly_the_models(name, pg_database):
    url = pg_database(name)
    upgrade(name, url)
    upgrade(name, url)  # a second run is a no-op
    models = importlib.import_module(f"services.{name}.models")
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), models.metadata)
    finally:
        engine.dispose()
    assert diff == []


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_service_answers_health_and_audit_check_per_contract(name, pg_database, containers,
                                                             rpc_proxy):
    url = pg_database(name)
    upgrade(name, url)
    containers(service_class(name), url)
    proxy = getattr(rpc_proxy(), name)
    health = proxy.health(payload={})
    assert HealthReportV1.conforms(health), health
    assert health["ok"] is True
    assert health["migration_revision"] == health["migration_head"] == head_revision(name)
    audit = proxy.verify_audit_chain(payload={})
    assert AuditVerificationV1.conforms(audit)
    assert audit["ok"] is True


def test_health_reports_a_schema_behind_head(pg_database, containers, rpc_proxy):
    url = pg_database("registry")
    upgrade("registry", url)
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = 'registry_0000'")
    engine.dispose()
    containers(service_class("registry"), url)
    health = rpc_proxy().registry.health(payload={})
    assert health["ok"] is False
    migrations = next(c for c in health["checks"] if c["name"] == "migrations")
    assert migrations == {"name": "migrations", "ok": False,
                          "detail": f"at registry_0000, head {head_revision('registry')}"}


def test_health_reports_an_unreachable_database(pg_database, containers, rpc_proxy):
    url = pg_database("registry")
    upgrade("registry", url)
    containers(service_class("registry"), url)
    proxy = rpc_proxy().registry
    assert proxy.health(payload={})["ok"] is True
    from tests.support import pg

    pg.drop_database(url.rsplit("/", 1)[1])  # the database disappears under the service
    health = proxy.health(payload={})
    assert health["ok"] is False
    database = next(c for c in health["checks"] if c["name"] == "database")
    assert database["ok"] is False and database["detail"]
