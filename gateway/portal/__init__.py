"""The web portal: server-rendered pages (Jinja2, English and Hindi) over the gateway's
own RPC client and access matrix. ``install`` adds it to the gateway app; docs/portal.md
describes the pages and docs/adr/0011-portal-server-rendered.md the choice."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from gateway.portal import (
    account,
    application_records,
    application_scrutiny,
    applications,
    case_dashboard,
    case_hearings,
    case_raising,
    case_records,
    case_status,
    cases,
    dashboard,
    election_count,
    election_meeting,
    election_scrutiny,
    elections,
    mailbox,
    members,
    public,
    reports,
    society_documents,
    work_queue,
)
from gateway.portal.page_errors import install_page_errors
from gateway.portal.routing import PortalGate
from gateway.portal.session import PortalMiddleware
from gateway.portal.settings import get_portal_settings

STATIC = Path(__file__).with_name("static")


def install(app: FastAPI) -> None:
    """The portal's pages, its static files, its session middleware and page errors.
    Call after the gateway's own error handlers and middleware are in place."""
    first = len(app.router.routes)
    # the case dashboard before the case pages: /cases/dashboard is not a case's id
    for module in (public, account, applications, application_scrutiny,
                   application_records, work_queue,
                   mailbox, dashboard, members, elections, election_scrutiny,
                   election_count, election_meeting, case_dashboard, cases, case_hearings,
                   case_records,
                   case_raising, case_status, reports,
                   society_documents):
        app.include_router(module.router)
    app.mount("/static/portal", StaticFiles(directory=STATIC), name="portal_static")
    app.router.routes.insert(0, PortalGate(app.router.routes[first:]))
    app.add_middleware(PortalMiddleware, settings=get_portal_settings())
    install_page_errors(app)
