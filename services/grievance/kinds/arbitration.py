"""Arbitration of a dispute touching a society, a member, a board member, an officer or
an employee (seed 000). Version 1."""

from services.grievance.kinds.definition import OFFICE, Kind, Transition

ARBITRATOR = ("arbitrator",)

KIND = Kind(
    name="arbitration", version=1, title="Arbitration", title_hi="मध्यस्थता",
    initial="filed",
    states=("filed", "referred", "hearing", "award", "closed", "dismissed"),
    closed_states=("closed", "dismissed"),
    openers=(*OFFICE, "society_representative", "citizen"),
    parties=("claimant", "respondent", "arbitrator", "office"),
    initial_deadline_days=30,
    transitions=(
        Transition("refer", ("filed",), "referred", OFFICE, "मध्यस्थ को भेजा गया",
                   deadline_days=30),
        Transition("dismiss", ("filed", "referred", "hearing"), "dismissed",
                   (*OFFICE, *ARBITRATOR), "ख़ारिज"),
        Transition("hear", ("referred", "hearing"), "hearing", ARBITRATOR, "सुनवाई",
                   deadline_days=60),
        Transition("make_award", ("hearing",), "award", ARBITRATOR, "पंचाट दिया गया"),
        Transition("close", ("award",), "closed", OFFICE, "बंद"),
    ),
)
