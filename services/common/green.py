"""Make the process cooperate with eventlet before anything else is imported."""

from __future__ import annotations

_patched = False


def patch() -> None:
    """Monkey-patch the standard library and make psycopg2 green.

    psycopg2 is a C driver: unpatched, one slow query blocks every worker of the
    process (tests/services/integration/test_database_green.py measures it).
    """
    global _patched
    if _patched:
        return
    import eventlet

    eventlet.monkey_patch()
    from psycogreen.eventlet import patch_psycopg

    patch_psycopg()
    _patched = True
