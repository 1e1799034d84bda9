"""What a complainant reads when their case moves, in English and Hindi."""

from __future__ import annotations

from services.grievance.kinds import Kind

_EN = {
    "opened": "Your {title} {number} has been received.",
    "assign": "Your {title} {number} has been assigned to an officer.",
    "reply": "The office has replied on your {title} {number}.",
    "ask_complainant": "The office needs more information on your {title} {number}.",
    "resolve": "Your {title} {number} has been resolved. Please rate the resolution.",
    "rate": "Thank you for your feedback on {title} {number}. It is now closed.",
    "reopen": "Your {title} {number} has been reopened.",
    "close": "Your {title} {number} has been closed.",
    "withdraw": "Your {title} {number} has been withdrawn.",
}
_HI = {
    "opened": "आपकी {title} {number} प्राप्त हो गई है।",
    "assign": "आपकी {title} {number} एक अधिकारी को सौंप दी गई है।",
    "reply": "कार्यालय ने आपकी {title} {number} पर उत्तर दिया है।",
    "ask_complainant": "कार्यालय को आपकी {title} {number} पर और जानकारी चाहिए।",
    "resolve": "आपकी {title} {number} का समाधान कर दिया गया है। कृपया समाधान का मूल्यांकन करें।",
    "rate": "{title} {number} पर आपकी प्रतिक्रिया के लिए धन्यवाद। यह अब बंद है।",
    "reopen": "आपकी {title} {number} पुनः खोली गई है।",
    "close": "आपकी {title} {number} बंद कर दी गई है।",
    "withdraw": "आपकी {title} {number} वापस ले ली गई है।",
}


def message(kind: Kind, action: str, number: str) -> tuple[str, str]:
    """(English, Hindi)."""
    transition = kind.by_name.get(action)
    en = _EN.get(action, "Your {title} {number} is now {state}.")
    hi = _HI.get(action, "आपकी {title} {number}: {state}।")
    state = transition.to.replace("_", " ") if transition else action
    state_hi = transition.title_hi if transition and transition.title_hi else state
    return (en.format(title=kind.title.lower(), number=number, state=state),
            hi.format(title=kind.title_hi, number=number, state=state_hi))
