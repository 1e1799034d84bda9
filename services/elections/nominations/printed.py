"""The nominations part's lists as they are printed: on each publication (the display of
nominations received, the list of valid nominations after scrutiny, the final list of
contesting candidates of the board or of the office bearers) the list goes out whole in
``election_nominations_list_published`` and documents prints it as the election's
public, verifiable PDF (docs/documents.md). The lines are what the notice board shows
(no mobile, no Aadhaar), by category in the order's order, then by name."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from services.common.contracts import elections_nominations as contracts
from services.common.contracts.elections import BOARD_CATEGORIES, OFFICE_BEARER_POSTS
from services.elections.nominations import candidates

# The list each stage publishes, and its contest.
LISTS = {"nomination_display": ("received", "board"),
         "valid_nominations": ("valid", "board"),
         "contesting_list": ("contesting", "board"),
         "ob_contesting_list": ("ob_contesting", "office_bearer")}
TITLES = {
    "received": ("List of nominations received", "प्राप्त नामांकनों की सूची"),
    "valid": ("List of valid nominations", "वैध नामांकनों की सूची"),
    "contesting": ("Final list of contesting candidates",
                   "चुनाव लड़ने वाले उम्मीदवारों की अंतिम सूची"),
    "ob_contesting": ("Final list of candidates for the office bearers",
                      "पदाधिकारियों के पदों के उम्मीदवारों की अंतिम सूची"),
}
LABELS = {"general": ("General", "सामान्य"), "women": ("Women", "महिला"),
          "sc_st": ("SC/ST", "अनुसूचित जाति/जनजाति"),
          "chairman": ("Chairman", "अध्यक्ष (चेयरमैन)"),
          "vice_chairman": ("Vice Chairman", "उपाध्यक्ष (वाइस चेयरमैन)"),
          "president": ("President", "अध्यक्ष (प्रेसिडेंट)"),
          "vice_president": ("Vice President", "उपाध्यक्ष (वाइस प्रेसिडेंट)")}
UNOPPOSED = "Elected unopposed / निर्विरोध निर्वाचित"
REJECTED = "Rejected / अस्वीकृत"
_ORDER = {c: i for i, c in enumerate(BOARD_CATEGORIES + OFFICE_BEARER_POSTS)}


def _label(category: str) -> tuple[str, str]:
    return LABELS.get(category, (category.replace("_", " ").capitalize(),) * 2)


def _remarks(row: Any, which: str, unopposed: bool) -> str:
    if which == "valid" and row.status == "rejected":
        reasons = "; ".join(r["reason"] for r in row.reasons or [])
        return f"{REJECTED}: {reasons}" if reasons else REJECTED
    if which in ("contesting", "ob_contesting") and unopposed:
        return UNOPPOSED
    return ""


def _listed(row: Any, which: str) -> bool:
    """Whether the nomination is a line of the list: every one received; the valid
    list also names the rejected (with reasons); the contesting, those standing."""
    if which == "received":
        return True
    if which == "valid":
        return row.status in ("accepted", "rejected")
    return row.status == "accepted"


def announcement(session: Session, row: Any, stage: str,
                 now: datetime) -> contracts.NominationsListPublishedV1:
    """The list the stage publishes, whole, for documents to print."""
    which, contest = LISTS[stage]
    summary = candidates.contest_summary(session, row.id, contest)
    order = sorted(summary, key=lambda c: (_ORDER.get(c, len(_ORDER)), c))
    nominations = [n for n in candidates.nominations(session, row.id, contest)
                   if _listed(n, which)]
    # Accepted before rejected within a category, each by name (the query's order).
    nominations.sort(key=lambda n: (order.index(n.category), n.status == "rejected"))
    rows = [contracts.PrintedNominationV1(
        sn=sn, category=n.category, membership_number=n.membership_number,
        candidate_name=n.candidate_name, relative_name=n.relative_name, address=n.address,
        status=n.status, remarks=_remarks(n, which, summary[n.category]["unopposed"]))
        for sn, n in enumerate(nominations, start=1)]
    categories = [contracts.PrintedCategoryV1(
        category=c, label=_label(c)[0], label_hi=_label(c)[1],
        seats=summary[c]["seats"], received=summary[c]["received"],
        rejected=summary[c]["rejected"], withdrawn=summary[c]["withdrawn"],
        contesting=summary[c]["contesting"], unopposed=summary[c]["unopposed"],
        vacant=summary[c]["vacant"]) for c in order]
    title, title_hi = TITLES[which]
    return contracts.NominationsListPublishedV1(
        election_id=row.id, number=row.number, society_id=row.society_id,
        society_name=row.society_name, registration_number=row.registration_number or "",
        list=which, contest=contest, stage=stage, title=title, title_hi=title_hi,
        published_at=now, entries=len(rows), categories=categories, rows=rows)
