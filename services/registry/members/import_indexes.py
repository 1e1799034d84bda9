"""Index upkeep of a bulk import on PostgreSQL: keep the register's indexes while
inserting (the default), or set them aside and build them once at the end
(``--indexes rebuild``).

Measured at 1,000,000 rows in file order, index and foreign-key upkeep row by row was
most of the insert (4 s to write the rows, 16 s more for the upkeep; building the same
indexes afterwards about 1 s each). Inserting in primary-key order with ids counted in
that order made the upkeep cheap: at 5,000,000 rows into an empty register both ways
ran at about 50,000 rows/s (docs/members.md). So keeping the indexes, which needs no
exclusive lock, is the default; rebuilding remains for an operator who loads a big file
into an empty register and wants the indexes built compactly in one pass. It drops the
primary key, the indexes and the society foreign key inside the import's transaction
and creates them again before the commit: uniqueness and the society reference are
checked again over the whole table, and a failure rolls all of it back. Meanwhile
``member`` is locked exclusively (snapshots and searches wait).
"""

from __future__ import annotations

from sqlalchemy.orm import Session
from sqlalchemy.schema import AddConstraint, CreateIndex, DropConstraint, DropIndex

from services.registry.members.tables import member
from services.registry.societies import tables as _societies  # noqa: F401  (the FK's target)

# Server memory for this transaction's sorts, hashes and index builds (not the
# importing process's: that stays flat).
# temp_buffers holds the run's stage in memory (set before the stage is first used).
SESSION_SETTINGS = {"work_mem": "256MB", "maintenance_work_mem": "512MB",
                    "temp_buffers": "768MB"}


def tune_session(session: Session) -> None:
    connection = session.connection()
    for name, value in SESSION_SETTINGS.items():
        connection.exec_driver_sql(f"SET LOCAL {name} = '{value}'")


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
