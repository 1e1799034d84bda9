"""Forms 19M (board) and 19N (office bearers): Section A built from the service's
records and the RO's inputs (19N: the office bearers' meeting as recorded,
``meeting.py``; without a record, as the RO gives it with the form), every item
filled ("Not applicable" where an item does not apply, never blank), the arithmetic
cross-checked before submission (a failed equation is a 422 naming it)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.common.contracts.elections_counting import NOT_APPLICABLE as NA
from services.common.errors import Conflict, InvalidInput
from services.common.india import INDIA
from services.elections.counting import entry, meeting
from services.elections.nominations.candidates import contest_summary, contesting
from services.elections.orders import orders
from services.elections.tables import election_post, result_form, voter

LETTERS = {"general": "a_general", "women": "b_women", "sc_st": "c_sc_st"}


def _or_na(value: Any) -> Any:
    return NA if value in (None, "", [], {}) else value


def _date(d) -> str:
    return d.strftime("%d-%m-%Y")


def eligible_voters(session: Session, election_id: str) -> int:
    return session.execute(select(func.count()).select_from(voter).where(
        voter.c.election_id == election_id, voter.c.on_list.is_(True))).scalar() or 0


def _candidate_rows(result: dict) -> list[dict] | str:
    rows = []
    for sn, c in enumerate(result["candidates"], 1):
        rows.append({
            "sn": sn, "constituency": NA, "candidate_name": c["candidate_name"],
            "relative_name": _or_na(c.get("relative_name")),
            "address": _or_na(c.get("address")), "mobile": _or_na(c.get("mobile")),
            "membership_number": c["membership_number"],
            "nomination_id": c["nomination_id"],
            "elected_unopposed": "Unopposed" if result["unopposed"] else NA,
            "votes": NA if c["votes"] is None else c["votes"],
            "recommended": "Yes" if c["elected"] else "No"})
    return rows or NA


def _vacant(summary: dict, reasons: dict[str, str], what: str) -> list[dict] | str:
    rows = []
    for cat, s in summary.items():
        if s["vacant"]:
            rows.append({"sn": len(rows) + 1, "constituency": NA, "category": cat,
                         "vacant_seats": s["vacant"],
                         "reason": reasons.get(cat) or (
                             f"{s['contesting']} valid contesting candidate(s) for "
                             f"{s['seats']} {what}(s)")})
    return rows or NA


def _elected(result: dict) -> list[dict]:
    return [{"nomination_id": c["nomination_id"], "membership_number":
             c["membership_number"], "candidate_name": c["candidate_name"],
             "category": c["category"],
             "votes": "unopposed" if c["votes"] is None else c["votes"]}
            for c in result["elected"]]


def _checks(summary: dict, polled_seats: dict, unopposed: dict) -> list[tuple[str, bool]]:
    out = []
    for cat, s in summary.items():
        out.append((f"{cat}: received ({s['received']}) = rejected ({s['rejected']}) + "
                    f"withdrawn ({s['withdrawn']}) + contesting ({s['contesting']})",
                    s["received"] == s["rejected"] + s["withdrawn"] + s["contesting"]))
        out.append((f"{cat}: unopposed ({unopposed[cat]}) + polled ({polled_seats[cat]}) "
                    f"+ vacant ({s['vacant']}) = notified seats ({s['seats']})",
                    unopposed[cat] + polled_seats[cat] + s["vacant"] == s["seats"]))
    return out


def _refuse_failed(checks: list[tuple[str, bool]], form: str) -> list[dict]:
    failed = [eq for eq, ok in checks if not ok]
    if failed:
        raise InvalidInput(f"Form {form} does not add up: {failed[0]} fails.",
                           fields={f"checks.{i}": eq for i, eq in enumerate(failed)})
    return [{"equation": eq, "holds": True} for eq, _ in checks]


def _general(row: Any, inputs: Any) -> dict:
    return {"i_name_and_registration": f"{row.society_name}, Registration No. "
                                       f"{row.registration_number}",
            "iii_peaceful": "Yes" if inputs.peaceful else "No",
            "iii_disruption": NA if inputs.peaceful else inputs.disruption}


def body_19m(session: Session, row: Any, inputs: Any) -> dict:
    result = entry.count(session, row.id, "board")
    if result["ties"]:
        raise Conflict("A tie at the last seat is unresolved: the RO's draw of lots "
                       "comes before Form 19M.", {"ties": result["ties"]})
    summary = contest_summary(session, row.id, "board")
    poll = orders.windows(session, row.id)["poll"]
    eligible = eligible_voters(session, row.id)
    cats = result["categories"]
    polled_seats = {c: r["polled_seats"] for c, r in cats.items()}
    unopposed = {c: (r["contesting"] if r["unopposed"] else 0) for c, r in cats.items()}
    held = result["polled"]
    hours = (f"{poll.daily_from:%H:%M} to {poll.daily_to:%H:%M} IST"
             if poll.daily_from and poll.daily_to else "as notified")
    seats = {c: s["seats"] for c, s in summary.items()}
    checks = _checks(summary, polled_seats, unopposed)
    if held:
        checks.append((f"votes cast ({result['votes_cast']}) <= eligible voters "
                       f"({eligible})", result["votes_cast"] <= eligible))
    section_a = {
        **_general(row, inputs),
        "ii_a_polling_held": "Yes" if held else "No",
        "ii_a_date_and_hours": (f"{_date(poll.starts_on)}, {hours}" if held else NA),
        "ii_b_scheduled_date": NA if held else _date(poll.starts_on),
        "date_of_poll": _date(poll.starts_on),
        "iv_seats_bye_laws": orders.bye_law_seats(session, row.id),
        "v_seats_notified": seats,
        "vi_received": {c: s["received"] for c, s in summary.items()},
        "vii_rejected": {c: s["rejected"] for c, s in summary.items()},
        "viii_withdrawn": {c: s["withdrawn"] for c, s in summary.items()},
        "ix_contesting": {c: s["contesting"] for c, s in summary.items()},
        "x_eligible_voters": eligible,
        "xi_votes_cast": result["votes_cast"] if held else NA,
        "xii_votes_rejected": result["rejected"] if held else NA,
        "xiii_unopposed": unopposed,
        "xiv_polled": polled_seats,
        "6_candidates": {LETTERS.get(c, c): _candidate_rows(r) for c, r in cats.items()},
        "7_vacant": _vacant(summary, inputs.vacant_reasons, "seat"),
        "8_court_cases": f"Yes: {inputs.court_cases}" if inputs.court_cases else "No",
    }
    return {"form": "19M", "election_number": row.number,
            "returning_officer": row.returning_officer["name"],
            "section_a": section_a, "checks": _refuse_failed(checks, "19M"),
            "elected": _elected(result)}


def latest(session: Session, election_id: str, form: str) -> Any:
    f = result_form
    return session.execute(select(f).where(f.c.election_id == election_id, f.c.form == form)
                           .order_by(f.c.version.desc()).limit(1)).one_or_none()


def body_19n(session: Session, row: Any, inputs: Any) -> dict:
    approved = latest(session, row.id, "19M")
    if approved is None or approved.status != "approved":
        raise Conflict("Form 19N follows the CEA's approval of Form 19M.",
                       {"form_19m": approved.status if approved else "not submitted"})
    directors = {e["membership_number"] for e in approved.body["elected"]}
    summary = contest_summary(session, row.id, "office_bearer")
    standing = contesting(session, row.id, "office_bearer")
    outsiders = {f"candidates.{c['nomination_id']}":
                 f"{c['candidate_name']} ({c['membership_number']}) is not among the "
                 "directors elected in the approved Form 19M (rule 19N: office bearers "
                 "are elected from the elected directors)"
                 for cands in standing.values() for c in cands
                 if c["membership_number"] not in directors}
    if outsiders:
        raise InvalidInput("A candidate for office is not an elected director.",
                           fields=outsiders)
    recorded_meeting = meeting.recorded(session, row.id)
    if recorded_meeting is not None:
        inputs = _recorded_inputs(session, row, inputs, recorded_meeting)
    problems = {}
    for field in ("meeting_at", "venue", "incumbent_directors", "attended",
                  "chaired_by_ro"):
        if getattr(inputs, field) is None:
            problems[field] = ("required for Form 19N (the board meeting, rule 19N(1)): "
                               "record the office bearers' meeting, or give it here")
    polled = {c: standing.get(c, []) for c, s in summary.items() if not s["unopposed"]}
    ids = {c["nomination_id"] for cands in polled.values() for c in cands}
    for nomination_id in ids - set(inputs.votes):
        problems[f"votes.{nomination_id}"] = "missing: votes at the meeting for a polled post"
    for nomination_id in set(inputs.votes) - ids:
        problems[f"votes.{nomination_id}"] = "not a candidate of a polled post"
    for nomination_id, n in inputs.votes.items():
        if inputs.attended is not None and n > inputs.attended:
            problems[f"votes.{nomination_id}"] = "more votes than directors who attended"
    if problems:
        raise InvalidInput("Form 19N is incomplete.", fields=problems)
    found_draws = {}
    if recorded_meeting is not None:
        found_draws = {post: d for post, d in entry.draws(
            session, row.id, meeting.CONTEST).items() if post in polled}
    for post, d in inputs.draws.items():
        if post in polled:
            found_draws[post] = {"tied": sorted(
                c["nomination_id"] for c in polled[post]
                if inputs.votes.get(c["nomination_id"]) == max(
                    inputs.votes.get(x["nomination_id"], 0) for x in polled[post])),
                "winners": list(d.winners), "note": d.note}
    result = entry.assemble(row.id, "office_bearer", summary, standing,
                            dict(inputs.votes), found_draws, polled=bool(polled),
                            booths_counted=0, cast=inputs.attended or 0, rejected=0)
    if result["ties"]:
        raise InvalidInput("A tie for a post: record the draw of lots.", fields={
            f"draws.{t['category']}": "tied: " + ", ".join(t["tied"])
            for t in result["ties"]})
    for post, d in found_draws.items():
        tie = {"tied": d["tied"], "remaining_seats": 1}
        bad = entry.tally.check_draw(tie, d["winners"])
        if bad:
            raise InvalidInput("The draw of lots does not settle the tie.",
                               fields={f"draws.{post}": bad["winners"]})
    cats = result["categories"]
    titles = {r.post: r.title for r in session.execute(select(election_post).where(
        election_post.c.election_id == row.id))}
    ob = orders.windows(session, row.id)["ob_meeting"]
    unopposed = {c: (r["contesting"] if r["unopposed"] else 0) for c, r in cats.items()}
    polled_seats = {c: r["polled_seats"] for c, r in cats.items()}
    checks = _checks(summary, polled_seats, unopposed)
    checks.append((f"attended ({inputs.attended}) <= incumbent elected directors "
                   f"({inputs.incumbent_directors})",
                   inputs.attended <= inputs.incumbent_directors))
    # The meeting's moment in India time, said so (as 19M's poll hours are); one given
    # without a zone is read as India time.
    at = (inputs.meeting_at.astimezone(INDIA) if inputs.meeting_at.tzinfo
          else inputs.meeting_at.replace(tzinfo=INDIA))
    held = bool(polled)
    section_a = {
        **_general(row, inputs),
        "ii_a_polling_held": "Yes" if held else "No",
        "ii_a_date_and_hours": f"{at:%d-%m-%Y %H:%M} IST" if held else NA,
        "ii_b_scheduled_date": NA if held else _date(ob.starts_on),
        "date_of_poll": f"{at:%d-%m-%Y}" if held else _date(ob.starts_on),
        "iv_chaired_by_ro": "Yes" if inputs.chaired_by_ro else "No",
        "iv_ro_name": inputs.chair_name or row.returning_officer["name"],
        "v_posts_bye_laws": list(titles.values()) or NA,
        "vi_posts_notified": [titles.get(c, c) for c in summary] or NA,
        "vii_contesting": {c: s["contesting"] for c, s in summary.items()},
        "viii_meeting_at": f"{at:%d-%m-%Y %H:%M} IST",
        "ix_venue": inputs.venue,
        "x_incumbent_directors": inputs.incumbent_directors,
        "xi_attended": inputs.attended,
        "xii_unopposed_posts": [titles.get(c, c) for c, r in cats.items()
                                if r["unopposed"] and r["contesting"]] or NA,
        "xiii_polled_posts": [titles.get(c, c) for c in polled] or NA,
        "6_candidates": {c: _candidate_rows(r) for c, r in cats.items()},
        "7_vacant": _vacant(summary, inputs.vacant_reasons, "post"),
        "8_court_cases": f"Yes: {inputs.court_cases}" if inputs.court_cases else "No",
    }
    return {"form": "19N", "election_number": row.number,
            "returning_officer": row.returning_officer["name"], "section_a": section_a,
            "checks": _refuse_failed(checks, "19N"), "elected": _elected(result),
            "form_19m_id": approved.id,
            "meeting": "recorded" if recorded_meeting else "as given with the form"}


def _recorded_inputs(session: Session, row: Any, inputs: Any, held: Any) -> Any:
    """The RO's form inputs with the meeting, its attendance and its votes taken from the
    recorded meeting (what the RO gives with the form for those is not used)."""
    return SimpleNamespace(
        peaceful=inputs.peaceful, disruption=inputs.disruption,
        court_cases=inputs.court_cases, vacant_reasons=inputs.vacant_reasons,
        meeting_at=meeting.aware(held.meeting_at), venue=held.venue,
        incumbent_directors=len(meeting.board(session, row.id)),
        attended=len(held.directors_present), chaired_by_ro=held.chaired_by_ro,
        chair_name=held.chair_name, votes=dict(held.votes), draws={})
