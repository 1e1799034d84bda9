"""Alembic per service: each service's migrations live in services/<name>/migrations
and run against that service's own database, by its ``migrate`` command only."""

from __future__ import annotations

import importlib
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData
from sqlalchemy.engine import Engine

from services.common.engine import make_engine


def alembic_config(service_name: str, url: str) -> Config:
    """Alembic's config for ``service_name``: its migrations live in the ``migrations``
    folder beside ``services.<name>`` (``gateway`` for the gateway's own database)."""
    module = service_name if service_name == "gateway" else f"services.{service_name}"
    package = importlib.import_module(module)
    config = Config()
    config.set_main_option("script_location",
                           str(Path(package.__file__).parent / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["service_name"] = service_name
    return config


def upgrade(service_name: str, url: str, revision: str = "head") -> None:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(service_name, url), revision)


@cache
def head_revision(service_name: str) -> str | None:
    """The head revision of the service's migrations (the code's, fixed per process)."""
    script = ScriptDirectory.from_config(alembic_config(service_name, "sqlite://"))
    return script.get_current_head()


def revisions(service_name: str, engine: Engine) -> tuple[str | None, str | None]:
    """(revision the database is at, head revision of the code)."""
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    return current, head_revision(service_name)


def run_env(metadata: MetaData) -> None:
    """The body of every service's migrations/env.py (online mode only)."""
    from alembic import context

    url = context.config.get_main_option("sqlalchemy.url")
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=metadata,
                          render_as_batch=url.startswith("sqlite"),
                          compare_type=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()

