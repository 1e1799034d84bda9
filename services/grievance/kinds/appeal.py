"""An appeal against an order or decision, filed within 60 days of it (seed 000; the
window is checked when the appeal is filed). Version 1."""

from services.grievance.kinds.definition import OFFICE, Kind, Transition

FILING_WINDOW_DAYS = 60

KIND = Kind(
    name="appeal", version=1, title="Appeal", title_hi="अपील",
    initial="filed",
    states=("filed", "admitted", "hearing", "decided", "rejected", "withdrawn"),
    closed_states=("decided", "rejected", "withdrawn"),
    openers=("society_representative", "citizen"),
    parties=("appellant", "respondent", "office"),
    initial_deadline_days=30,
    transitions=(
        Transition("admit", ("filed",), "admitted", OFFICE, "अपील स्वीकार",
                   deadline_days=60),
        Transition("reject", ("filed",), "rejected", OFFICE, "अपील अस्वीकार"),
        Transition("hear", ("admitted", "hearing"), "hearing", OFFICE, "सुनवाई",
                   deadline_days=60),
        Transition("decide", ("hearing",), "decided", ("registrar",), "निर्णय"),
        Transition("withdraw", ("filed", "admitted", "hearing"), "withdrawn",
                   ("complainant",), "वापस ली गई"),
    ),
)
