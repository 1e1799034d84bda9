"""Voters assigned to polling booths. The order gives each booth a number of voters
(``polling_booth.voters_assigned``); the RO places the list's voters in them by a rule
the RO states:

- ``serial_order``: the voters on the list, in serial order, fill the booths in
  booth-number order, each up to the voters the order gives it;
- ``file``: the RO's CSV, a header naming ``membership_number`` and ``booth`` and one
  voter per line. Every bad line is reported with its number (not a voter of this
  election, struck off, listed twice, no such booth, a booth given more voters than the
  order gives it) and nothing is applied if any line is bad. Voters the file leaves out
  are refused, unless ``rest_in_serial_order``: they then fill the room the file left,
  in serial order.

The member register holds no address, so the rule cannot go by a voter's state or
district; a file carries what the RO knows of that.

Every voter on the list ends with a booth, or nothing changes. The assignment is made
from the provisional list's opening until the final list is published or rule 19I(1)'s
freeze begins (30 days before the poll), whichever comes first: from then on the list's
voters stand, and so do their booths. An upheld addition afterwards takes the first
booth (in booth-number order) with room; an upheld deletion frees the voter's place.
A booth's result may not report more votes than the voters assigned to it
(``voters_at``)."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select, text, update
from sqlalchemy.orm import Session

from services.common.contracts import elections_voters as contracts
from services.common.errors import Conflict, InvalidInput, OutsideWindow
from services.common.india import INDIA
from services.elections.orders import programme
from services.elections.orders.programme import Window
from services.elections.tables import booth_assignment, polling_booth, voter
from services.elections.voters import lists

FILE_COLUMNS = ("membership_number", "booth")
# Bad lines named in a refusal; the count covers all of them.
MAX_REPORTED = 1000
WINDOW = "booth_assignment"
TITLE = "Assignment of voters to polling booths"

_assignment = select(booth_assignment).where(
    booth_assignment.c.election_id == bindparam("election_id"))
_booths = (select(polling_booth.c.number, polling_booth.c.voters_assigned,
                  polling_booth.c.location, polling_booth.c.district, polling_booth.c.state)
           .where(polling_booth.c.election_id == bindparam("election_id"))
           .order_by(polling_booth.c.number))
_listed = (select(voter.c.id, voter.c.serial_no, voter.c.membership_number, voter.c.on_list,
                  voter.c.booth)
           .where(voter.c.election_id == bindparam("election_id"))
           .order_by(voter.c.serial_no))
_loads = (select(voter.c.booth, func.count())
          .where(voter.c.election_id == bindparam("election_id"), voter.c.on_list.is_(True),
                 voter.c.booth.is_not(None))
          .group_by(voter.c.booth))
_unassigned = select(func.count()).select_from(voter).where(
    voter.c.election_id == bindparam("election_id"), voter.c.on_list.is_(True),
    voter.c.booth.is_(None))


def assignment_row(session: Session, election_id: str) -> Any:
    return session.execute(_assignment, {"election_id": election_id}).one_or_none()


def loads(session: Session, election_id: str) -> dict[int, int]:
    """Voters on the list per booth number."""
    return dict(session.execute(_loads, {"election_id": election_id}).all())


def voters_at(session: Session, election_id: str, booth: Any) -> int:
    """The most votes a booth may report: the voters assigned to it once the RO has
    assigned the list, the voters the order gives it until then."""
    if assignment_row(session, election_id) is None:
        return booth.voters_assigned
    return session.execute(select(func.count()).select_from(voter).where(
        voter.c.election_id == election_id, voter.c.on_list.is_(True),
        voter.c.booth == booth.number)).scalar()


# ----------------------------------------------------------------------------- window


def ensure_open(session: Session, row: Any, windows: dict[str, Window], at: datetime) -> None:
    """From the provisional list's opening until the final list is published or 30 days
    before the poll (rule 19I(1)), whichever comes first."""
    if row.status == "cancelled":
        raise Conflict("The election was cancelled.", {"election_id": row.id})
    final = lists.published(session, row.id, "final")
    if final is not None:
        day = final.published_at.astimezone(INDIA).strftime("%d-%m-%Y %H:%M")
        raise Conflict(f"The final list of voters was published on {day} IST; its voters "
                       "and their booths stand as published.",
                       {"election_id": row.id, "final_published_at":
                        final.published_at.isoformat()})
    opens = windows["provisional_list"].opens_at
    closes = programme.freeze_starts(windows)
    if opens <= at < closes:
        return
    window = (f"{opens.strftime('%d-%m-%Y %H:%M')} IST until "
              f"{closes.strftime('%d-%m-%Y %H:%M')} IST, 30 days before the poll "
              "(rule 19I(1))")
    when = "has not opened yet" if at < opens else "is closed"
    raise OutsideWindow(f"{TITLE} {when}: it runs from {window}.", {
        "stage": WINDOW, "title": TITLE, "window": window, "rule": "19I(1)",
        "opens_at": opens.isoformat(), "closes_at": closes.isoformat(),
        "now": at.astimezone(INDIA).isoformat()})


# ----------------------------------------------------------------------------- planning


def _fill(voters: list[Any], room: dict[int, int], placed: dict[int, int]) -> None:
    """Place ``voters`` (in serial order) in the booths with room, in booth-number
    order; refused whole if they do not fit."""
    free = sum(room.values())
    if len(voters) > free:
        raise Conflict(f"{len(voters):,} voters to place but the booths have room for "
                       f"{free:,} (the voters the order gives them): no booth may take "
                       "more.", {"voters": len(voters), "room": free})
    booths = iter(sorted(n for n, r in room.items() if r > 0))
    current = next(booths, None)
    for v in voters:
        while room[current] == 0:
            current = next(booths)
        placed[v.id] = current
        room[current] -= 1


def _records(body: str):
    """(line number where the record starts, cells) of each CSV record."""
    reader = csv.reader(io.StringIO(body.lstrip("\ufeff")))
    line = 0
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InvalidInput("The file is not CSV.",
                               fields={f"csv.{start}": str(exc)}) from None
        line = start
        yield line, cells


def _from_file(body: str, voters: list[Any], capacity: dict[int, int],
               placed: dict[int, int]) -> None:
    """Read the RO's file into ``placed`` (voter id -> booth); refuse it whole, every
    bad line named, if any line is bad."""
    by_number = {v.membership_number.casefold(): v for v in voters}
    records = _records(body)
    header = None
    for _, cells in records:
        if any(c.strip() for c in cells):
            header = [c.strip().casefold() for c in cells]
            break
    missing = [c for c in FILE_COLUMNS if c not in (header or [])]
    if missing:
        raise InvalidInput("The file's header must name membership_number and booth.",
                           fields={f"csv.header.{c}": "required column missing"
                                   for c in missing})
    number_at, booth_at = header.index("membership_number"), header.index("booth")
    bad: list[tuple[int, str, str]] = []
    first_line: dict[int, int] = {}
    load: dict[int, int] = dict.fromkeys(capacity, 0)
    for line, cells in records:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            bad.append((line, "row", f"has {len(cells)} cells, the header {len(header)}"))
            continue
        number, booth_text = cells[number_at].strip(), cells[booth_at].strip()
        found = by_number.get(number.casefold())
        problem = None
        if not number:
            problem = ("membership_number", "is empty")
        elif found is None:
            problem = ("membership_number", f"{number} is not a voter of this election")
        elif not found.on_list:
            problem = ("membership_number", f"{number} was struck off the list")
        elif found.id in first_line:
            problem = ("membership_number",
                       f"{number} is listed again (first on line {first_line[found.id]})")
        if problem:
            bad.append((line, *problem))
            continue
        first_line[found.id] = line
        if not booth_text.isdigit() or int(booth_text) not in capacity:
            bad.append((line, "booth", f"{booth_text or 'an empty cell'} is not a booth of "
                                       "this election's order"))
            continue
        booth = int(booth_text)
        load[booth] += 1
        if load[booth] > capacity[booth]:
            bad.append((line, "booth", f"booth {booth} is full: the order gives it "
                                       f"{capacity[booth]:,} voters"))
            continue
        placed[found.id] = booth
    if bad:
        shown = bad[:MAX_REPORTED]
        raise InvalidInput(
            f"{len(bad):,} bad line(s) in the file; no voter was assigned.",
            {"bad_row_count": len(bad), "bad_rows_truncated": len(bad) > len(shown),
             "bad_rows": [{"line": n, "field": f, "reason": r} for n, f, r in shown]},
            fields={f"csv.{n}.{f}": r for n, f, r in shown})


def plan(session: Session, election_id: str,
         command: contracts.AssignBoothsV1) -> tuple[dict[int, int], dict[int, int], int]:
    """(voter id -> booth number for every voter on the list, the part of it that
    changes a voter's booth, voters the file placed)."""
    booths = list(session.execute(_booths, {"election_id": election_id}))
    capacity = {b.number: b.voters_assigned for b in booths}
    everyone = list(session.execute(_listed, {"election_id": election_id}))
    listed = [v for v in everyone if v.on_list]
    placed: dict[int, int] = {}
    if command.rule == "file":
        _from_file(command.csv or "", everyone, capacity, placed)
    from_file = len(placed)
    rest = [v for v in listed if v.id not in placed]
    if rest and command.rule == "file" and not command.rest_in_serial_order:
        shown = ", ".join(v.membership_number for v in rest[:10])
        raise InvalidInput(
            f"{len(rest):,} voter(s) on the list are not in the file (first: {shown}); "
            "name them, or send rest_in_serial_order to place them in serial order.",
            {"left_out": len(rest)},
            fields={"csv": f"{len(rest):,} voter(s) on the list are missing"})
    room = dict(capacity)
    for booth in placed.values():
        room[booth] -= 1
    _fill(rest, room, placed)
    current = {v.id: v.booth for v in listed}
    changes = {v: b for v, b in placed.items() if current[v] != b}
    return placed, changes, from_file


# ----------------------------------------------------------------------------- applying

# On PostgreSQL the whole list goes in as one statement with one parameter (as the
# draw's pages do); only rows whose booth changes are written.
_PG_SET = text("""
UPDATE voter AS v SET booth = r.booth
FROM json_to_recordset(CAST(:rows AS json)) AS r(id integer, booth integer)
WHERE v.id = r.id AND v.booth IS DISTINCT FROM r.booth
""")
_set_one = (update(voter).where(voter.c.id == bindparam("voter_id"))
            .values(booth=bindparam("booth")))


def apply(session: Session, election_id: str, changes: dict[int, int]) -> None:
    """Write the booths that change (voter id -> booth); struck-off voters hold none."""
    session.execute(update(voter).where(voter.c.election_id == election_id,
                                        voter.c.on_list.is_(False),
                                        voter.c.booth.is_not(None)).values(booth=None))
    if not changes:
        return
    if session.get_bind().dialect.name == "postgresql":
        session.execute(_PG_SET, {"rows": json.dumps(
            [{"id": v, "booth": b} for v, b in changes.items()])})
    else:
        session.execute(_set_one, [{"voter_id": v, "booth": b} for v, b in changes.items()])


def record(session: Session, election_id: str, rule: str, assigned: int, from_file: int,
           actor_id: str, at: datetime) -> None:
    values = {"rule": rule, "assigned": assigned, "from_file": from_file,
              "assigned_by": actor_id, "assigned_at": at}
    if assignment_row(session, election_id) is None:
        session.execute(booth_assignment.insert().values(election_id=election_id, **values))
    else:
        session.execute(booth_assignment.update().where(
            booth_assignment.c.election_id == election_id).values(**values))


def rule_of(command: contracts.AssignBoothsV1) -> str:
    if command.rule == "file" and command.rest_in_serial_order:
        return "file+serial_order"
    return command.rule


def place_added(session: Session, election_id: str, membership_number: str) -> int | None:
    """An upheld addition after the assignment: the first booth with room (None: no
    assignment yet, or every booth full)."""
    if assignment_row(session, election_id) is None:
        return None
    taken = loads(session, election_id)
    for b in session.execute(_booths, {"election_id": election_id}):
        if taken.get(b.number, 0) < b.voters_assigned:
            session.execute(update(voter).where(
                voter.c.election_id == election_id,
                voter.c.membership_number == membership_number).values(booth=b.number))
            return b.number
    return None


# ----------------------------------------------------------------------------- reading


def status(session: Session, election_id: str) -> dict:
    found = assignment_row(session, election_id)
    taken = loads(session, election_id)
    booths = [{"number": b.number, "location": b.location, "district": b.district,
               "state": b.state, "voters_ordered": b.voters_assigned,
               "voters_assigned": taken.get(b.number, 0)}
              for b in session.execute(_booths, {"election_id": election_id})]
    return contracts.BoothAssignmentV1(
        election_id=election_id, rule=found.rule if found else None,
        assigned=sum(taken.values()), from_file=found.from_file if found else 0,
        unassigned=session.execute(_unassigned, {"election_id": election_id}).scalar(),
        assigned_by=found.assigned_by if found else None,
        assigned_at=found.assigned_at if found else None, booths=booths).wire()
