"""Text in a LIKE pattern matches itself and nothing else: ``_`` and ``%`` in an office
id or a search are not wildcards (on SQLite here; PostgreSQL reads the same ESCAPE)."""

from __future__ import annotations

import pytest
from sqlalchemy import column, create_engine, select, table, text

from services.common import like

NAMES = ["mp", "mp-bhopal", "m_", "mpx", "50% off", "500 off", "back\\slash"]


@pytest.mark.parametrize(("asked", "found"), [
    ("m_", ["m_"]), ("50%", ["50% off"]), ("back\\", ["back\\slash"]), ("mp", ["mp"])])
def test_text_matches_itself(asked, found):
    engine = create_engine("sqlite://")
    names = table("names", column("name"))
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE names (name TEXT)"))
        connection.execute(names.insert(), [{"name": n} for n in NAMES])
        pattern = like.literal(asked) + ("%" if asked != "mp" else "")
        rows = connection.execute(select(names.c.name).where(
            names.c.name.like(pattern, escape=like.ESCAPE)).order_by(names.c.name))
        assert [r.name for r in rows] == found
