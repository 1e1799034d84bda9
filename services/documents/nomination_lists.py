"""The nominations lists of an election as verifiable PDFs: the list of nominations
received, the list of valid nominations after scrutiny (the rejected named with their
reasons) and the final list of contesting candidates (board or office bearers), printed
from the list the elections service publishes whole
(``election_nominations_list_published``): headed in English and Hindi, each category
with its seats and counts and its candidates one per line, with the verification code
and QR of every certificate. Public: the seed's lists go on the society's notice board
and website."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.common import india
from services.documents import certificates

# The certificate kind (and document category) of each list.
CERTIFICATE_KINDS = {"received": "nominations_received", "valid": "nominations_valid",
                     "contesting": "candidates_final",
                     "ob_contesting": "ob_candidates_final"}


def subject(event: Any) -> dict[str, Any]:
    """What the list's certificate certifies (kept with it and answered by verify)."""
    return {"election_id": event.election_id, "election_number": event.number,
            "society_id": event.society_id, "society_name": event.society_name,
            "registration_number": event.registration_number, "list": event.list,
            "contest": event.contest, "published_at": event.published_at.isoformat(),
            "entries": event.entries}


def _line(row: Any) -> str:
    parts = [f"{row.sn}. {row.candidate_name} ({row.membership_number})"]
    if row.relative_name:
        parts.append(row.relative_name)
    if row.address:
        parts.append(row.address)
    text = ", ".join(parts)
    return f"{text} — {row.remarks}" if row.remarks else text


def _counts(category: Any, which: str) -> str:
    counts = [f"Seats / सीटें {category.seats}", f"received / प्राप्त {category.received}"]
    if which != "received":
        counts.append(f"rejected / अस्वीकृत {category.rejected}")
    if which in ("contesting", "ob_contesting"):
        counts.append(f"withdrawn / वापस {category.withdrawn}")
        counts.append(f"contesting / उम्मीदवार {category.contesting}")
        if category.vacant:
            counts.append(f"vacant / रिक्त {category.vacant}")
    return " · ".join(counts)


def list_pdf(event: Any, code: str, verify_url: str, issued_at: datetime) -> bytes:
    """The list as a PDF. Same event, code and time, same bytes."""
    society = event.society_name
    if event.registration_number:
        society += f" (Registration No. / पंजीयन क्रमांक {event.registration_number})"
    published = india.moment_text(event.published_at)
    lines: list[tuple[str, Any]] = [
        ("Society / संस्था", society),
        ("Election No. / निर्वाचन क्रमांक", event.number),
        ("Published / प्रकाशित", published),
        ("Nominations listed / सूचीबद्ध नामांकन", str(event.entries)),
    ]
    for category in event.categories:
        rows = [r for r in event.rows if r.category == category.category]
        listed = "\n".join(_line(r) for r in rows) or "None / कोई नहीं"
        lines.append((f"{category.label}\n{category.label_hi}",
                      f"{_counts(category, event.list)}\n{listed}"))
    return certificates.render(
        heading=f"{event.title}\n{event.title_hi}",
        issuer="Returning Officer / निर्वाचन अधिकारी", lines=lines, body=None,
        code=code, verify_url=verify_url, issued_at=issued_at)
