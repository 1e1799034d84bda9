"""Forms 19M and 19N as verifiable PDFs: the RO's recommendation to the Co-operative
Election Authority, printed from the body the elections service built and submitted
(``election_form_submitted``), every item labelled in English and Hindi, with the
verification code and QR of every certificate. The PDF is the election's document
(owner ``election:<id>``): its officers, the CEA and the society's office read it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.documents import certificates

TITLES = {
    "19M": ("Form 19M: result of the election of the board of directors",
            "प्ररूप 19M: निदेशक मंडल के निर्वाचन का परिणाम"),
    "19N": ("Form 19N: result of the election of the office bearers",
            "प्ररूप 19N: पदाधिकारियों के निर्वाचन का परिणाम"),
}

# Item keys of Section A (services/elections/counting/forms.py) and what each is called.
LABELS: dict[str, tuple[str, str]] = {
    "i_name_and_registration": ("(i) Society and registration number",
                                "संस्था का नाम और पंजीयन संख्या"),
    "ii_a_polling_held": ("(ii)(a) Whether polling was held", "क्या मतदान हुआ"),
    "ii_a_date_and_hours": ("(ii)(a) Date and hours of poll", "मतदान की तिथि और समय"),
    "ii_b_scheduled_date": ("(ii)(b) Scheduled date, if no poll", "निर्धारित तिथि"),
    "iii_peaceful": ("(iii) Whether the election was peaceful", "क्या निर्वाचन शांतिपूर्ण रहा"),
    "iii_disruption": ("(iii) Disruption, if any", "व्यवधान, यदि कोई हो"),
    "iv_seats_bye_laws": ("(iv) Seats under the bye-laws", "उपविधियों के अनुसार सीटें"),
    "v_seats_notified": ("(v) Seats notified", "अधिसूचित सीटें"),
    "vi_received": ("(vi) Nominations received", "प्राप्त नामांकन"),
    "vii_rejected": ("(vii) Nominations rejected", "अस्वीकृत नामांकन"),
    "viii_withdrawn": ("(viii) Nominations withdrawn", "वापस लिए गए नामांकन"),
    "ix_contesting": ("(ix) Contesting candidates", "चुनाव लड़ने वाले उम्मीदवार"),
    "x_eligible_voters": ("(x) Eligible voters", "पात्र मतदाता"),
    "xi_votes_cast": ("(xi) Votes cast", "डाले गए मत"),
    "xii_votes_rejected": ("(xii) Votes rejected", "अस्वीकृत मत"),
    "xiii_unopposed": ("(xiii) Elected unopposed", "निर्विरोध निर्वाचित"),
    "xiv_polled": ("(xiv) Seats filled by poll", "मतदान से भरी गई सीटें"),
    "iv_chaired_by_ro": ("(iv) Meeting chaired by the RO", "बैठक की अध्यक्षता निर्वाचन अधिकारी ने की"),
    "iv_ro_name": ("(iv) Chaired by", "अध्यक्षता"),
    "v_posts_bye_laws": ("(v) Posts under the bye-laws", "उपविधियों के अनुसार पद"),
    "vi_posts_notified": ("(vi) Posts notified", "अधिसूचित पद"),
    "vii_contesting": ("(vii) Contesting candidates", "चुनाव लड़ने वाले उम्मीदवार"),
    "viii_meeting_at": ("(viii) Meeting held on", "बैठक की तिथि"),
    "ix_venue": ("(ix) Venue", "स्थान"),
    "x_incumbent_directors": ("(x) Directors in office", "पदस्थ निदेशक"),
    "xi_attended": ("(xi) Directors present", "उपस्थित निदेशक"),
    "xii_unopposed_posts": ("(xii) Posts filled unopposed", "निर्विरोध भरे गए पद"),
    "xiii_polled_posts": ("(xiii) Posts filled by poll", "मतदान से भरे गए पद"),
    "6_candidates": ("6. Candidates and votes", "उम्मीदवार और प्राप्त मत"),
    "7_vacant": ("7. Seats left vacant", "रिक्त सीटें"),
    "8_court_cases": ("8. Court cases", "न्यायालय प्रकरण"),
}


def _value(value: Any) -> str:
    """An item's value as a line of text: mappings as "key: value; ...", rows of
    candidates one per line."""
    if isinstance(value, dict):
        return "; ".join(f"{k.replace('_', ' ')}: {_value(v)}" for k, v in value.items())
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return "\n".join(_row(row) for row in value)
        return ", ".join(str(v) for v in value)
    return str(value)


def _row(row: dict) -> str:
    if "candidate_name" in row:
        return (f"{row.get('sn')}. {row['candidate_name']} ({row.get('membership_number')})"
                f": {row.get('votes')}")
    return ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in row.items()
                     if v not in (None, "") and k != "constituency")


def subject(event: Any) -> dict[str, Any]:
    """What the certificate certifies (kept with it and answered by verify)."""
    return {"election_id": event.election_id, "election_number": event.number,
            "society_id": event.society_id, "society_name": event.society_name,
            "form": event.form, "form_id": event.form_id,
            "form_version": event.form_version,
            "submitted_at": event.submitted_at.isoformat()}


def form_pdf(subject_: dict[str, Any], body: dict[str, Any], code: str, verify_url: str,
             issued_at: datetime) -> bytes:
    title, title_hi = TITLES[subject_["form"]]
    section_a = body.get("section_a", {})
    lines: list[tuple[str, Any]] = [
        ("Election / चुनाव", f"{subject_['election_number']}, {subject_['society_name']}"),
        ("Version / संस्करण", str(subject_["form_version"])),
    ]
    for key, value in section_a.items():
        english, hindi = LABELS.get(key, (key.replace("_", " "), ""))
        lines.append((f"{english}\n{hindi}" if hindi else english, _value(value)))
    elected = body.get("elected") or []
    if elected:
        lines.append(("Recommended as elected\nनिर्वाचित घोषित करने की अनुशंसा",
                      "\n".join(f"{e.get('candidate_name')} ({e.get('category')}, "
                                f"{e.get('membership_number')}): {e.get('votes')}"
                                for e in elected)))
    return certificates.render(
        heading=f"{title}\n{title_hi}",
        issuer="Returning Officer, for the Co-operative Election Authority / "
               "निर्वाचन अधिकारी, सहकारी निर्वाचन प्राधिकरण हेतु",
        lines=lines,
        body="Section B (the Authority's decision) follows on the platform. "
             "खंड ख (प्राधिकरण का निर्णय) प्लेटफ़ॉर्म पर दर्ज होगा।",
        code=code, verify_url=verify_url, issued_at=issued_at)
