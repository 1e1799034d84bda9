"""The portal's languages and message catalogues: English and Hindi, gettext ``.po`` files
under ``i18n/<language>/LC_MESSAGES/portal.po``, compiled in memory when the portal starts
(no binary ``.mo`` in the repository, no build step to forget; Babel does the compiling)."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LANGUAGES = ("en", "hi")
DEFAULT_LANGUAGE = "en"
# What the switch calls each language, in that language.
LANGUAGE_NAMES = {"en": "English", "hi": "हिन्दी"}
DOMAIN = "portal"
CATALOGUES = Path(__file__).with_name("i18n")


def catalogue_path(language: str) -> Path:
    return CATALOGUES / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> Translations:
    """The compiled catalogue of a language (English is the source: its catalogue holds
    the few messages whose English differs from their id)."""
    if language not in LANGUAGES:
        raise ValueError(f"no catalogue for {language!r}")
    with catalogue_path(language).open("rb") as source:
        catalog = read_po(source, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def choose_language(cookie: str | None, accept_language: str | None) -> str:
    """The remembered choice, else the browser's first known language, else English."""
    if cookie in LANGUAGES:
        return cookie
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in LANGUAGES:
            return tag
    return DEFAULT_LANGUAGE
