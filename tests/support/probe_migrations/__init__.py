"""Alembic migrations for the probe services (tests/support/probe.py), so a probe is
deployed like a real service: ``migrate`` brings its database to head and its ``health``
reports the migrations check as a real service's does. tests/support/probe_service.py
points ``services.<probe name>`` at this package."""
