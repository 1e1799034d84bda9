"""Throwaway PostgreSQL databases for tests: each test module gets its own."""

from __future__ import annotations

import os
import uuid

import psycopg2

ADMIN_DSN = os.environ.get("TEST_PG_ADMIN_DSN",
                           "host=127.0.0.1 port=5432 user=postgres dbname=postgres")
URL_BASE = os.environ.get("TEST_PG_URL_BASE", "postgresql://postgres@127.0.0.1:5432")


def _admin():
    connection = psycopg2.connect(ADMIN_DSN)
    connection.autocommit = True
    return connection


def create_database(prefix: str = "t") -> tuple[str, str]:
    """A new empty database; returns (name, SQLAlchemy URL)."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    connection = _admin()
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        connection.close()
    return name, f"{URL_BASE}/{name}"


def drop_database(name: str) -> None:
    connection = _admin()
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        connection.close()
