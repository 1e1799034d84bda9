"""Pages as HTML: one Jinja2 environment per language (gettext from the catalogues,
autoescaped), the Indian date and rupee filters, and ``render`` for page handlers."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from gateway.portal import labels
from gateway.portal.i18n import LANGUAGE_NAMES, LANGUAGES, translations
from services.common.india import INDIA, day_text, grouped, moment_text, rupees_text

TEMPLATES = Path(__file__).with_name("templates")


def _day(value: date | datetime | str | None) -> str:
    """The day as India writes it; a moment (ISO with a time) is first put in IST."""
    if not value:
        return ""
    if isinstance(value, str) and "T" in value:
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime):
        value = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(INDIA).date()
    return day_text(value)


def _moment(value: datetime | str | None) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return moment_text(value)


def _rupees(paise: int | None) -> str:
    return "" if paise is None else rupees_text(int(paise))


@cache
def environment(language: str) -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(),
                      extensions=["jinja2.ext.i18n"], auto_reload=False,
                      trim_blocks=True, lstrip_blocks=True)
    env.install_gettext_translations(translations(language), newstyle=True)
    env.filters.update(day=_day, moment=_moment, rupees=_rupees, grouped=grouped,
                       urlquote=lambda text: quote(text, safe="/"))
    env.globals.update(LANGUAGES=LANGUAGES, LANGUAGE_NAMES=LANGUAGE_NAMES,
                       L=SimpleNamespace(**labels.shown(translations(language).gettext)))
    return env


def gettext(request: Request):
    """The ``_`` of the request's language, for messages built in Python."""
    return translations(request.state.portal_language).gettext


def render(request: Request, template: str, *, status_code: int = 200,
           headers: dict[str, str] | None = None, **context: Any) -> HTMLResponse:
    language = request.state.portal_language
    page = environment(language).get_template(template)
    path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    html = page.render(request=request, lang=language, here=path,
                       csrf_token=request.state.portal_csrf,
                       signed_in=request.state.portal_signed_in,
                       mailbox_badge=getattr(request.state, "portal_mailbox", None), **context)
    return HTMLResponse(html, status_code=status_code, headers=headers)
