"""Examples of the main schemas of the OpenAPI document, by schema name (a unit test
validates each against its schema)."""

from __future__ import annotations

from typing import Any

_SOCIETY = {
    "id": "MSCS-2021-000042",
    "registration_number": "MSCS/CR/1042/2021",
    "registration_date": "2021-06-14",
    "name": "Narmada Kisan Sahakari Samiti",
    "address": "12 Station Road, Hoshangabad",
    "state": "Madhya Pradesh",
    "district": "Narmadapuram",
    "area_of_operation": ["Madhya Pradesh", "Maharashtra"],
    "type": "marketing",
    "status": "registered",
    "office_id": "mp-bhopal",
}

_APPLICATION_SUMMARY = {
    "id": "7d0c1f64-3a52-4f53-9b7e-0c6b1de4a9a1",
    "kind": "registration",
    "stage": "under_scrutiny",
    "office_id": "mp-bhopal",
    "society_id": None,
    "applicant_name": "Ravi Sawant",
    "deadline": "2026-12-28T18:29:59+00:00",
    "time_left_seconds": 1_728_000,
    "overdue": False,
    "created_at": "2026-11-30T09:12:44+00:00",
}

SCHEMA_EXAMPLES: dict[str, list[dict[str, Any]]] = {
    "PublicSocietyV1": [_SOCIETY],
    "PublicSocietyPageV1": [{**_SOCIETY, "board": None}],
    "SocietyV1": [{
        **_SOCIETY, "board": None,
        "board_seats": {"general": 9, "women": 2, "scheduled_caste_or_tribe": 1},
        "office_bearers": [{"role": "chairperson", "name": "Sunita Patel"}],
        "contacts": {"email": "office@narmadakisan.coop.in", "phone": "+91 7574 252 100",
                     "language": "hi"},
        "bye_laws_version": 2,
        "branches": [{"id": "b-1", "name": "Itarsi branch", "address": "4 Mandi Road, Itarsi",
                      "state": "Madhya Pradesh", "district": "Narmadapuram",
                      "opened_on": "2023-04-01"}],
    }],
    "DirectoryPageOut": [{"items": [_SOCIETY], "next_cursor": "eyJuYW1lIjoiTmFybWFkYSJ9"}],
    "ApplicationSummaryOut": [_APPLICATION_SUMMARY],
    "ApplicationPageOut": [{"items": [_APPLICATION_SUMMARY],
                            "next_cursor": "MjA"}],
    "CreateApplicationV1": [{
        "kind": "registration", "office_id": "mp-bhopal",
        "applicant": {"name": "Ravi Sawant", "email": "ravi@example.in",
                      "phone": "+91 98200 00001", "language": "hi"},
        "data": {"name": "Narmada Kisan Sahakari Samiti", "state": "Madhya Pradesh"},
    }],
}
