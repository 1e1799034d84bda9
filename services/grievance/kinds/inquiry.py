"""An inquiry (seed 000): initiated by the office, board members, federal cooperatives,
creditors or members; the inquirer requests documents or a general meeting, submits the
report and the cost, and may recommend winding up. Version 1."""

from services.grievance.kinds.definition import OFFICE, Kind, Transition

INQUIRER = ("inquirer",)

KIND = Kind(
    name="inquiry", version=1, title="Inquiry", title_hi="जाँच",
    initial="requested",
    states=("requested", "ordered", "in_progress", "reported", "closed", "rejected"),
    closed_states=("closed", "rejected"),
    openers=(*OFFICE, "society_representative", "citizen"),
    parties=("requester", "society", "inquirer", "office"),
    initial_deadline_days=30,
    transitions=(
        Transition("order", ("requested",), "ordered", OFFICE, "जाँच का आदेश",
                   deadline_days=15),
        Transition("reject", ("requested",), "rejected", OFFICE, "अनुरोध अस्वीकृत"),
        Transition("start", ("ordered",), "in_progress", INQUIRER, "जाँच आरंभ",
                   deadline_days=90),
        Transition("request_documents", ("in_progress",), "in_progress", INQUIRER,
                   "दस्तावेज़ माँगे गए"),
        Transition("request_general_meeting", ("in_progress",), "in_progress", INQUIRER,
                   "आम सभा का अनुरोध"),
        Transition("submit_cost", ("in_progress",), "in_progress", INQUIRER,
                   "जाँच का व्यय प्रस्तुत"),
        Transition("submit_report", ("in_progress",), "reported", INQUIRER,
                   "जाँच रिपोर्ट प्रस्तुत", deadline_days=30),
        Transition("recommend_winding_up", ("in_progress", "reported"), "reported",
                   INQUIRER, "समापन की सिफ़ारिश"),
        Transition("close", ("reported",), "closed", OFFICE, "बंद"),
    ),
)
