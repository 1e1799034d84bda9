"""Rules of the platform's own routes: operations, sign-in, administration."""

from __future__ import annotations

from gateway.identity import roles as R
from gateway.rules.base import ADMIN, SOCIETY_ROLES, Access, allow, authenticated, public

RULES: dict[str, Access] = {
    # operations
    "health": public(),
    "health.live": public(),
    "metrics": public(),
    # sign-in and sessions
    "auth.sign_in": public(),
    "auth.refresh": public(),
    "auth.sign_out": authenticated(),
    "auth.change_password": authenticated(password_change_token=True),
    "auth.otp_request": public(),
    "auth.otp_verify": public(),
    "me": authenticated(),
    # administration
    "admin.create_account": allow(*ADMIN),
    "admin.list_accounts": allow(*ADMIN),
    "admin.get_account": allow(*ADMIN),
    "admin.disable_account": allow(*ADMIN),
    "admin.add_grant": allow(*ADMIN),
    "admin.revoke_grant": allow(*ADMIN),
    "admin.list_grants": allow(*ADMIN),
    "admin.verify_audit": allow(*ADMIN),
    "admin.audit_entries": allow(*ADMIN),
    # societies
    "societies.access": allow(*SOCIETY_ROLES, scope=(R.SOCIETY, "society_id"),
                              hide_existence=True),
}
