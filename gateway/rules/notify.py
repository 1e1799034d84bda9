"""Rules of the notify routes: mailboxes, templates, mass communication, delivery records."""

from __future__ import annotations

from gateway.identity import roles as R
from gateway.rules.base import SOCIETY_ROLES, Access, allow, authenticated

# Who runs the office: they manage templates and see any delivery record.
OFFICE_STAFF = ("registrar", "dealing_officer")
# Who may write to a society's members: its representatives and the office over it.
SENDERS = ("society_representative", *OFFICE_STAFF)
_SOCIETY = (R.SOCIETY, "society_id")
_OFFICE = (R.OFFICE, "office_id")

RULES: dict[str, Access] = {
    "notify.society_mailbox": allow(*SOCIETY_ROLES, scope=_SOCIETY, hide_existence=True),
    "notify.society_mailbox_update": allow(*SOCIETY_ROLES, scope=_SOCIETY,
                                           hide_existence=True),
    "notify.office_mailbox": allow(*OFFICE_STAFF, scope=_OFFICE, hide_existence=True),
    "notify.office_mailbox_update": allow(*OFFICE_STAFF, scope=_OFFICE, hide_existence=True),
    "notify.my_mailbox": authenticated(),
    "notify.my_mailbox_update": authenticated(),
    "notify.list_templates": authenticated(),
    "notify.publish_template": allow(*OFFICE_STAFF, R.ADMINISTRATOR),
    "notify.create_mass_message": allow(*SENDERS, scope=_SOCIETY, hide_existence=True),
    "notify.list_mass_messages": allow(*SENDERS, scope=_SOCIETY, hide_existence=True),
    # the job names its society; the service checks the caller's scope against it
    "notify.get_mass_message": allow(*SENDERS),
    "notify.list_deliveries": allow(*SENDERS),
    "notify.get_delivery": allow(*SENDERS, R.ADMINISTRATOR),
}
