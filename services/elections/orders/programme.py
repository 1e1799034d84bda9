"""The election programme (Annexure I of the CEA's order): its stages in order, their
windows in India time, the checks on entry, and the one question every action asks:
is my stage's window open now?

A stage runs from ``starts_on`` to ``ends_on`` (India dates). With daily hours
(``daily_from``..``daily_to``) it is open only in those hours of each day; without
``daily_to`` it is open from ``daily_from`` (or midnight) until the next stage opens or
its last day ends, whichever comes first: "05:00 P.M." publications and "11:00 A.M.
onwards" scrutinies are written that way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import pairwise

from services.common.errors import InvalidInput, OutsideWindow
from services.common.india import INDIA

# (code, what Annexure I calls it), in the order they run: board of
# directors (A) then office bearers (B).
STAGES: tuple[tuple[str, str], ...] = (
    ("provisional_list", "Publication of the provisional list of voters"),
    ("objections", "Objections to the provisional list"),
    ("objection_scrutiny", "Scrutiny of objections to the provisional list"),
    ("final_list", "Publication of the final list of voters"),
    ("nominations", "Issue and filing of nomination forms"),
    ("nomination_display", "Display of nominations received"),
    ("nomination_scrutiny", "Scrutiny of nominations"),
    ("valid_nominations", "Publication of the list of valid nominations"),
    ("withdrawal", "Withdrawal of nominations"),
    ("contesting_list", "Publication of the final list of contesting candidates"),
    ("poll", "Polling"),
    ("counting", "Counting of votes"),
    ("form_19m", "Submission of Form 19M to the CEA"),
    ("board_declaration", "Declaration of the result of the board of directors"),
    ("ob_nominations", "Office bearers: filing of nominations"),
    ("ob_scrutiny", "Office bearers: scrutiny of nominations"),
    ("ob_withdrawal", "Office bearers: withdrawal of nominations"),
    ("ob_contesting_list", "Office bearers: list of contesting candidates"),
    ("ob_meeting", "Meeting of the new board chaired by the Returning Officer"),
    ("form_19n", "Submission of Form 19N to the CEA"),
    ("ob_declaration", "Declaration of the result of the office bearers"),
)
STAGE_CODES: tuple[str, ...] = tuple(code for code, _ in STAGES)
STAGE_TITLES: dict[str, str] = dict(STAGES)
SEQ: dict[str, int] = {code: n for n, code in enumerate(STAGE_CODES, start=1)}
# Stages whose action is one publication by the RO (not a window of many actions).
PUBLICATIONS = ("provisional_list", "final_list", "nomination_display", "valid_nominations",
                "contesting_list", "ob_contesting_list")
# Declarations need the CEA's approval as well as their date: "after approval" stages.
DECLARATIONS = ("board_declaration", "ob_declaration")
# Additions to and deletions from the voter list end this many days before the poll
# (rule 19I(1)).
LIST_FREEZE_DAYS = 30
END_OF_DAY = time(23, 59, 59)


@dataclass(frozen=True)
class Window:
    stage: str
    starts_on: date
    ends_on: date
    daily_from: time | None
    daily_to: time | None

    @property
    def opens_at(self) -> datetime:
        return datetime.combine(self.starts_on, self.daily_from or time(0), INDIA)

    def explicit_close(self) -> datetime | None:
        if self.daily_to is None:
            return None
        return datetime.combine(self.ends_on, self.daily_to, INDIA)

    def closes_at(self, next_opens: datetime | None) -> datetime:
        close = self.explicit_close()
        if close is not None:
            return close
        end_of_day = datetime.combine(self.ends_on, END_OF_DAY, INDIA) + timedelta(seconds=1)
        return min(end_of_day, next_opens) if next_opens and next_opens > self.opens_at \
            else end_of_day

    def is_open(self, at: datetime, next_opens: datetime | None) -> bool:
        local = at.astimezone(INDIA)
        if not self.opens_at <= local < self.closes_at(next_opens):
            return False
        if self.daily_to is not None and self.starts_on != self.ends_on:
            # every day, only in the daily hours
            start = self.daily_from or time(0)
            return start <= local.time() < self.daily_to
        return True

    def describe(self) -> str:
        """'25-11-2025 to 29-11-2025, 11:00 to 15:00 IST each day' and the like."""
        days = self.starts_on.strftime("%d-%m-%Y")
        if self.ends_on != self.starts_on:
            days += " to " + self.ends_on.strftime("%d-%m-%Y")
        start = (self.daily_from or time(0)).strftime("%H:%M")
        if self.daily_to is None:
            hours = f"from {start} IST" if self.daily_from else "the whole day"
        elif self.starts_on != self.ends_on:
            hours = f"{start} to {self.daily_to.strftime('%H:%M')} IST each day"
        else:
            hours = f"{start} to {self.daily_to.strftime('%H:%M')} IST"
        return f"{days}, {hours}"


def validate(windows: list[Window], *, voters_as_on: date, order_date: date) -> None:
    """Refuse a programme out of order: every stage once, in Annexure I's order, none
    opening before the one before it, a stage with fixed hours closing before the next
    opens, hours that make sense, the voter list drawn as on a day before the first
    publication. Every problem is named by its stage."""
    problems: dict[str, str] = {}
    by_stage = {w.stage: w for w in windows}
    missing = [code for code in STAGE_CODES if code not in by_stage]
    if missing:
        problems["stages"] = "every stage of the programme is needed; missing: " + \
            ", ".join(missing)
    if len(by_stage) != len(windows):
        problems["stages"] = "a stage is listed twice"
    ordered = [by_stage[c] for c in STAGE_CODES if c in by_stage]
    for w in ordered:
        key = f"stages.{w.stage}"
        if w.ends_on < w.starts_on:
            problems[key] = "ends before it starts"
        elif w.daily_from and w.daily_to and w.daily_to <= w.daily_from:
            problems[key] = "its daily hours end before they start"
    for before, after in pairwise(ordered):
        key = f"stages.{after.stage}"
        if key in problems:
            continue
        same_day_untimed = (after.starts_on == before.starts_on
                            and after.daily_from is None)
        if after.opens_at < before.opens_at and not same_day_untimed:
            problems[key] = (f"opens ({after.describe()}) before "
                             f"{STAGE_TITLES[before.stage].lower()} ({before.describe()})")
            continue
        close = before.explicit_close()
        if close is not None and after.opens_at < close:
            problems[key] = (f"overlaps {STAGE_TITLES[before.stage].lower()}, which is open "
                             f"until {close.strftime('%d-%m-%Y %H:%M')} IST")
    if ordered:
        first = ordered[0]
        if first.starts_on < order_date:
            problems[f"stages.{first.stage}"] = "starts before the order's date"
        if voters_as_on >= first.starts_on:
            problems["voters_as_on"] = "must be before the provisional list is published"
    if problems:
        raise InvalidInput("The programme is not in order.", fields=problems)


def next_opening(windows: dict[str, Window], stage: str) -> datetime | None:
    later = [windows[c].opens_at for c in STAGE_CODES[SEQ[stage]:] if c in windows]
    return min(later) if later else None


def ensure_open(windows: dict[str, Window], stage: str, at: datetime) -> None:
    """Refuse an action outside its stage's window, naming the stage and the window."""
    window = windows[stage]
    following = next_opening(windows, stage)
    if window.is_open(at, following):
        return
    closes = window.closes_at(following)
    when = "has not opened yet" if at < window.opens_at else "is closed"
    raise OutsideWindow(
        f"{STAGE_TITLES[stage]} {when}: its window is {window.describe()}.",
        {"stage": stage, "title": STAGE_TITLES[stage], "window": window.describe(),
         "opens_at": window.opens_at.isoformat(), "closes_at": closes.isoformat(),
         "now": at.astimezone(INDIA).isoformat()})


def freeze_starts(windows: dict[str, Window]) -> datetime:
    """Additions to and deletions from the voter list are refused from this moment."""
    poll = windows["poll"]
    return datetime.combine(poll.starts_on - timedelta(days=LIST_FREEZE_DAYS), time(0), INDIA)


def reached(windows: dict[str, Window], at: datetime) -> tuple[str | None, datetime | None]:
    """The stage the programme has reached at ``at``: the last, in Annexure I's order,
    of the stages before the first that has not opened yet (None: not even the first
    has opened); and when that first one opens, the next moment the answer can change
    (None: every stage has opened). Daily hours do not matter: between its hours a
    stage is still where the programme stands."""
    current = None
    for code in STAGE_CODES:
        if code not in windows:
            continue
        if windows[code].opens_at > at:
            return current, windows[code].opens_at
        current = code
    return current, None


def status_at(windows: dict[str, Window], done: dict[str, datetime | None],
              at: datetime) -> dict:
    """Which stages are open at ``at``, which is next, which are overdue (a publication
    whose window has closed without it being done)."""
    open_now, overdue, upcoming = [], [], []
    for code in STAGE_CODES:
        if code not in windows:
            continue
        w = windows[code]
        following = next_opening(windows, code)
        if w.is_open(at, following):
            open_now.append(code)
        elif at < w.opens_at:
            upcoming.append(code)
        elif code in PUBLICATIONS + DECLARATIONS and not done.get(code):
            overdue.append(code)
    return {"open": open_now, "next": upcoming[0] if upcoming else None,
            "overdue": overdue}
