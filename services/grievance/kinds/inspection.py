"""An inspection (seed 000): initiated as an inquiry is; the inspector requests
documents or a general meeting, submits the report and the cost of inspection, and may
recommend winding up. Version 1."""

from services.grievance.kinds.definition import OFFICE, Kind, Transition

INSPECTOR = ("inspector",)

KIND = Kind(
    name="inspection", version=1, title="Inspection", title_hi="निरीक्षण",
    initial="requested",
    states=("requested", "ordered", "in_progress", "reported", "closed", "rejected"),
    closed_states=("closed", "rejected"),
    openers=(*OFFICE, "society_representative", "citizen"),
    parties=("requester", "society", "inspector", "office"),
    initial_deadline_days=30,
    transitions=(
        Transition("order", ("requested",), "ordered", OFFICE, "निरीक्षण का आदेश",
                   deadline_days=15),
        Transition("reject", ("requested",), "rejected", OFFICE, "अनुरोध अस्वीकृत"),
        Transition("start", ("ordered",), "in_progress", INSPECTOR, "निरीक्षण आरंभ",
                   deadline_days=60),
        Transition("request_documents", ("in_progress",), "in_progress", INSPECTOR,
                   "दस्तावेज़ माँगे गए"),
        Transition("request_general_meeting", ("in_progress",), "in_progress", INSPECTOR,
                   "आम सभा का अनुरोध"),
        Transition("submit_cost", ("in_progress",), "in_progress", INSPECTOR,
                   "निरीक्षण का व्यय प्रस्तुत"),
        Transition("submit_report", ("in_progress",), "reported", INSPECTOR,
                   "निरीक्षण रिपोर्ट प्रस्तुत", deadline_days=30),
        Transition("recommend_winding_up", ("in_progress", "reported"), "reported",
                   INSPECTOR, "समापन की सिफ़ारिश"),
        Transition("close", ("reported",), "closed", OFFICE, "बंद"),
    ),
)
