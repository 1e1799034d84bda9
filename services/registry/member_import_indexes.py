"""Index upkeep of a bulk import on PostgreSQL: keep the register's indexes while
inserting, or set them aside and build them once at the end.

Inserting a row into ``member`` also inserts into its three indexes and runs the
foreign-key trigger of its society, row by row; for a load bigger than the register
that is most of the work (measured at 1,000,000 rows: 4 s to write the rows, 16 s more
for index and trigger upkeep, while building the same indexes afterwards takes about
1 s each). So when the load is at least as big as the register already is, the import
drops the primary key, the indexes and the foreign key inside its transaction, inserts,
and creates them again from the table definitions before it commits: the unique keys
and the society reference are verified again over the whole table, and a failure rolls
everything back, the indexes included. The price is an exclusive lock on ``member``
from the insert to the commit (snapshots and searches wait), acceptable for a state's
migration; ``--indexes keep`` keeps the online path whatever the sizes (``--indexes rebuild``
forces the other).
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.schema import AddConstraint, CreateIndex, DropConstraint, DropIndex

from services.registry import society_tables  # noqa: F401  (the foreign key's target)
from services.registry.member_tables import member

# Server memory for this transaction's sorts, hashes and index builds (not the
# importing process's: that stays flat).
# temp_buffers holds the run's stage in memory (set before the stage is first used).
SESSION_SETTINGS = {"work_mem": "256MB", "maintenance_work_mem": "512MB",
                    "temp_buffers": "768MB"}
# Below this many rows the upkeep costs too little to be worth the exclusive lock.
MIN_REBUILD_ROWS = 100_000


def tune_session(session: Session) -> None:
    connection = session.connection()
    for name, value in SESSION_SETTINGS.items():
        connection.exec_driver_sql(f"SET LOCAL {name} = '{value}'")


def should_rebuild(session: Session, staged_rows: int) -> bool:
    """True when the register holds fewer rows than the load brings (counted up to
    that many, so a large register costs at most one bounded scan)."""
    if staged_rows < MIN_REBUILD_ROWS:
        return False
    present = select(member.c.society_id).limit(staged_rows).subquery()
    return session.execute(select(func.count()).select_from(present)).scalar_one() \
        < staged_rows


def drop_indexes(session: Session) -> None:
    connection = session.connection()
    for constraint in member.foreign_key_constraints:
        connection.execute(DropConstraint(constraint))
    for index in member.indexes:
        connection.execute(DropIndex(index))
    connection.execute(DropConstraint(member.primary_key))


def create_indexes(session: Session) -> None:
    connection = session.connection()
    connection.execute(AddConstraint(member.primary_key))
    for index in sorted(member.indexes, key=lambda index: index.name):
        connection.execute(CreateIndex(index))
    for constraint in member.foreign_key_constraints:
        connection.execute(AddConstraint(constraint))
    connection.exec_driver_sql("ANALYZE member")
