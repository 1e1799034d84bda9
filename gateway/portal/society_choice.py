"""Pages of one society reached without its id: ``/<page>?society=<id>`` goes to that
society's page; a visitor whose grants name one society goes straight to it; anyone else
(staff, several societies) gets the page's chooser."""

from __future__ import annotations

import re
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse

from gateway.identity import roles as R
from gateway.portal.rendering import gettext, render

_SOCIETY_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def own_societies(actor) -> list[str]:
    """The societies the visitor's grants name."""
    principal = actor.principal
    return [g.scope_pair[1] for g in (principal.grants if principal else ())
            if g.scope_pair and g.scope_pair[0] == R.SOCIETY]


def choose_society(request: Request, actor, *, base: str, template: str):
    """Redirect to ``<base>/<society id>`` or render ``template`` to choose one."""
    _ = gettext(request)
    asked = request.query_params.get("society", "").strip()
    errors = {}
    if asked:
        if _SOCIETY_ID.fullmatch(asked):
            return RedirectResponse(f"{base}/{quote(asked)}", status_code=303)
        errors["society"] = _("A society's id: letters, digits, dots, dashes.")
    mine = own_societies(actor)
    if len(mine) == 1 and not asked:
        return RedirectResponse(f"{base}/{quote(mine[0])}", status_code=303)
    return render(request, template, societies=mine, society=asked, errors=errors,
                  status_code=422 if errors else 200)
