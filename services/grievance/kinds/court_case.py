"""A court case the office is party to, recorded by its officials (seed 000/001): its
number, court, parties, hearings and orders. Version 1."""

from services.grievance.kinds.definition import OFFICE, Kind, Transition

KIND = Kind(
    name="court_case", version=1, title="Court case", title_hi="न्यायालय वाद",
    initial="pending",
    states=("pending", "hearing", "reserved", "disposed"),
    closed_states=("disposed",),
    openers=OFFICE,
    parties=("petitioner", "respondent", "office"),
    transitions=(
        Transition("list_hearing", ("pending", "hearing", "reserved"), "hearing", OFFICE,
                   "सुनवाई सूचीबद्ध"),
        Transition("reserve", ("hearing",), "reserved", OFFICE, "निर्णय सुरक्षित"),
        Transition("record_order", ("pending", "hearing", "reserved"), "hearing", OFFICE,
                   "आदेश दर्ज"),
        Transition("dispose", ("pending", "hearing", "reserved"), "disposed", OFFICE,
                   "निपटारा"),
    ),
)
