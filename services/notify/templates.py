"""Message templates: the built-in catalogue, placeholders, validation, choice and rendering.

A template has a subject and body (mailbox and e-mail) and a short SMS text, in one
language, with ``{name}`` placeholders for declared variables. Templates are data: the
built-in catalogue below is version 0 of the national templates; an office publishes
newer versions (``message_template`` rows) for the nation or for its jurisdiction
without a code change. The version used for a recipient is chosen by their language
first (falling back to English), then jurisdiction (falling back to national), then the
newest version. A society's or an office's mailbox has no language: its messages are
rendered in both (``render_both``: the subject "English / Hindi", the body English then
Hindi).

Variables are checked before anything is queued: a placeholder the template does not
declare, a variable the caller sends that the template does not declare, or one it
declares that nobody supplies are all refused with their names.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from services.common.errors import InvalidInput, NotFound
from services.notify.models import message_template

LANGUAGES = ("en", "hi")
DEFAULT_LANGUAGE = "en"
NATIONAL = "national"
# Filled in by the service for each recipient, never by the caller.
RECIPIENT_VARIABLES = frozenset({"recipient_name"})
MAX_VARIABLE_CHARS = 1000
MAX_SMS_CHARS = 1000  # about six concatenated Unicode SMS parts
MAX_BODY_CHARS = 20000
MAX_SUBJECT_CHARS = 300

_FORMATTER = string.Formatter()


@dataclass(frozen=True)
class Template:
    key: str
    jurisdiction: str
    language: str
    version: int
    subject: str
    body: str
    sms: str
    variables: frozenset[str]

    def wire(self) -> dict:
        return {"key": self.key, "jurisdiction": self.jurisdiction,
                "language": self.language, "version": self.version,
                "subject": self.subject, "body": self.body, "sms": self.sms,
                "variables": sorted(self.variables)}


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    sms: str
    language: str
    version: int


def placeholders(text: str, field_name: str = "template") -> set[str]:
    """The variable names ``text`` uses; only plain ``{name}`` placeholders are allowed
    (no attribute, index, conversion or format spec: templates are data from offices)."""
    names = set()
    try:
        parsed = list(_FORMATTER.parse(text))
    except ValueError as exc:
        raise InvalidInput("A template is not well formed.",
                           fields={field_name: str(exc)}) from None
    for _, field, spec, conversion in parsed:
        if field is None:
            continue
        if not field.isidentifier() or spec or conversion:
            raise InvalidInput("A template placeholder is not a plain {name}.",
                               fields={field_name: f"placeholder {{{field}}} is not allowed"})
        names.add(field)
    return names


def check_template(*, subject: str, body: str, sms: str, variables: Iterable[str],
                   fixed: frozenset[str] | None = None) -> None:
    """Refuse a template whose texts use an undeclared variable, or (``fixed``) one
    whose declared variables differ from those its event rules supply."""
    declared = set(variables)
    fields = {}
    for name, text in (("subject", subject), ("body", body), ("sms", sms)):
        undeclared = placeholders(text, name) - declared
        if undeclared:
            fields[name] = "undeclared variables: " + ", ".join(sorted(undeclared))
    if fixed is not None and declared != set(fixed):
        fields["variables"] = "this template is filled by the platform with exactly: " + \
            ", ".join(sorted(fixed))
    if fields:
        raise InvalidInput("The template does not fit its variables.", fields=fields)


def check_variables(template: Template, supplied: Mapping[str, object]) -> None:
    """Refuse unknown, missing or oversized variables (the caller's; recipient variables
    are the service's)."""
    fields = {}
    for name in sorted(set(supplied) - template.variables - RECIPIENT_VARIABLES):
        fields[f"variables.{name}"] = "unknown variable for this template"
    for name in sorted(template.variables - RECIPIENT_VARIABLES - set(supplied)):
        fields[f"variables.{name}"] = "required by this template"
    for name, value in supplied.items():
        if name in RECIPIENT_VARIABLES:
            fields[f"variables.{name}"] = "filled in for each recipient; do not send it"
        elif not isinstance(value, str | int | float) or isinstance(value, bool):
            fields[f"variables.{name}"] = "must be text or a number"
        elif len(str(value)) > MAX_VARIABLE_CHARS:
            fields[f"variables.{name}"] = f"at most {MAX_VARIABLE_CHARS} characters"
    if fields:
        raise InvalidInput("The variables do not fit the template.", fields=fields)


def render(template: Template, variables: Mapping[str, object]) -> Rendered:
    """The texts with ``variables`` filled in; oversized results are refused."""
    values = {name: "" if variables.get(name) is None else str(variables[name])
              for name in template.variables}
    rendered = Rendered(subject=template.subject.format_map(values)[:MAX_SUBJECT_CHARS],
                        body=template.body.format_map(values),
                        sms=template.sms.format_map(values),
                        language=template.language, version=template.version)
    fields = {}
    if len(rendered.sms) > MAX_SMS_CHARS:
        fields["sms"] = f"the SMS text would be {len(rendered.sms)} characters; at most " \
                        f"{MAX_SMS_CHARS}"
    if len(rendered.body) > MAX_BODY_CHARS:
        fields["body"] = f"the message would be {len(rendered.body)} characters; at most " \
                         f"{MAX_BODY_CHARS}"
    if fields:
        raise InvalidInput("The message is too long.", fields=fields)
    return rendered


# Mailboxes read by whoever holds a role there (a society's, an office's): they have no
# language of their own, so their messages carry both versions.
BOTH_LANGUAGES = "en+hi"
SUBJECT_SEPARATOR = " / "
HINDI_HEADING = "— हिंदी —"


def _cut(text: str, room: int) -> str:
    return text if len(text) <= room else text[:max(room - 1, 0)] + "…"


def both_subjects(english: str, hindi: str, limit: int = MAX_SUBJECT_CHARS) -> str:
    """"English / Hindi" within ``limit``: when too long, the shorter keeps what it can of
    half the room and the longer the rest, each cut with an ellipsis."""
    if english == hindi:
        return _cut(english, limit)
    room = limit - len(SUBJECT_SEPARATOR)
    if len(english) + len(hindi) > room:
        half = room // 2
        if len(english) <= half:
            hindi = _cut(hindi, room - len(english))
        elif len(hindi) <= half:
            english = _cut(english, room - len(hindi))
        else:
            english, hindi = _cut(english, half), _cut(hindi, room - half)
    return english + SUBJECT_SEPARATOR + hindi


def render_both(book: TemplateBook, variables: Mapping[str, object]) -> Rendered:
    """One text in English and Hindi, each the version ``book`` chooses for its language
    (a jurisdiction's own over the national one): the subject "English / Hindi", the
    body in English, then a heading line and the Hindi. A template with no Hindi version
    (choice falls back to English) is rendered once; so is a text the same in both."""
    english = render(book.for_language("en"), variables)
    hindi = render(book.for_language("hi"), variables)
    if hindi.language != "hi":
        return english
    body = english.body if english.body == hindi.body else \
        f"{english.body}\n\n{HINDI_HEADING}\n\n{hindi.body}"
    return Rendered(subject=both_subjects(english.subject, hindi.subject), body=body,
                    sms=english.sms, language=BOTH_LANGUAGES, version=english.version)


# --------------------------------------------------------------------------- catalogue

def _builtin(key: str, variables: set[str], en: tuple[str, str, str],
             hi: tuple[str, str, str]) -> list[Template]:
    return [Template(key, NATIONAL, lang, 0, subject, body, sms, frozenset(variables))
            for lang, (subject, body, sms) in (("en", en), ("hi", hi))]


_APP = {"recipient_name", "application_id", "kind"}

BUILTIN: tuple[Template, ...] = tuple(t for group in (
    _builtin(
        "otp", {"code", "minutes"},
        ("Your one-time password",
         "Your one-time password is {code}. It is valid for {minutes} minutes. Do not share "
         "it with anyone.",
         "{code} is your one-time password, valid for {minutes} minutes. Do not share it."),
        ("आपका वन-टाइम पासवर्ड",
         "आपका वन-टाइम पासवर्ड {code} है। यह {minutes} मिनट तक मान्य है। इसे किसी के साथ साझा "
         "न करें।",
         "{code} आपका वन-टाइम पासवर्ड है, {minutes} मिनट तक मान्य। किसी को न बताएं।")),
    _builtin(
        "application_query_raised", _APP | {"reason"},
        ("Query on your application {application_id}",
         "Dear {recipient_name},\n\nThe registrar's office has raised a query on your {kind} "
         "application {application_id}:\n\n{reason}\n\nPlease answer it on the portal.",
         "Query raised on your {kind} application {application_id}. Please answer on the "
         "portal."),
        ("आपके आवेदन {application_id} पर प्रश्न",
         "प्रिय {recipient_name},\n\nपंजीयक कार्यालय ने आपके {kind} आवेदन {application_id} पर "
         "प्रश्न उठाया है:\n\n{reason}\n\nकृपया पोर्टल पर उत्तर दें।",
         "आपके {kind} आवेदन {application_id} पर प्रश्न उठाया गया है। कृपया पोर्टल पर उत्तर "
         "दें।")),
    _builtin(
        "application_approved", _APP,
        ("Application {application_id} approved",
         "Dear {recipient_name},\n\nYour {kind} application {application_id} has been "
         "approved.",
         "Your {kind} application {application_id} has been approved."),
        ("आवेदन {application_id} स्वीकृत",
         "प्रिय {recipient_name},\n\nआपका {kind} आवेदन {application_id} स्वीकृत कर दिया गया है।",
         "आपका {kind} आवेदन {application_id} स्वीकृत हो गया है।")),
    _builtin(
        "application_rejected", _APP | {"reason"},
        ("Application {application_id} rejected",
         "Dear {recipient_name},\n\nYour {kind} application {application_id} has been "
         "rejected.\n\nReason: {reason}",
         "Your {kind} application {application_id} has been rejected. See the portal."),
        ("आवेदन {application_id} अस्वीकृत",
         "प्रिय {recipient_name},\n\nआपका {kind} आवेदन {application_id} अस्वीकृत कर दिया गया "
         "है।\n\nकारण: {reason}",
         "आपका {kind} आवेदन {application_id} अस्वीकृत हुआ। पोर्टल देखें।")),
    _builtin(
        "application_hearing_scheduled", _APP | {"hearing_at", "hearing_link"},
        ("Hearing on application {application_id}",
         "Dear {recipient_name},\n\nA hearing on your {kind} application {application_id} "
         "is scheduled for {hearing_at}.\nJoin: {hearing_link}",
         "Hearing on your application {application_id} at {hearing_at}. Join: "
         "{hearing_link}"),
        ("आवेदन {application_id} पर सुनवाई",
         "प्रिय {recipient_name},\n\nआपके {kind} आवेदन {application_id} पर सुनवाई {hearing_at} "
         "को निर्धारित है।\nजुड़ें: {hearing_link}",
         "आपके आवेदन {application_id} पर सुनवाई {hearing_at} को। जुड़ें: {hearing_link}")),
    _builtin(
        "application_due_soon", {"recipient_name", "application_id", "kind", "stage",
                                 "deadline"},
        ("Due soon: application {application_id}",
         "The {kind} application {application_id} ({stage}) must be decided by "
         "{deadline}.",
         "Application {application_id} ({stage}) is due by {deadline}."),
        ("शीघ्र देय: आवेदन {application_id}",
         "{kind} आवेदन {application_id} ({stage}) पर {deadline} तक निर्णय आवश्यक है।",
         "आवेदन {application_id} ({stage}) {deadline} तक देय है।")),
    _builtin(
        "application_overdue", {"recipient_name", "application_id", "kind", "stage",
                                "deadline"},
        ("Overdue: application {application_id}",
         "The {kind} application {application_id} ({stage}) passed its deadline of "
         "{deadline}.",
         "Application {application_id} ({stage}) is overdue since {deadline}."),
        ("समय-सीमा पार: आवेदन {application_id}",
         "{kind} आवेदन {application_id} ({stage}) की समय-सीमा {deadline} निकल चुकी है।",
         "आवेदन {application_id} ({stage}) {deadline} से लंबित है।")),
    _builtin(
        "society_registered", {"recipient_name", "society_name", "registration_number"},
        ("{society_name} is registered",
         "{society_name} has been registered under number {registration_number}. This "
         "mailbox is the society's channel with the registrar's office.",
         "{society_name} registered, number {registration_number}."),
        ("{society_name} पंजीकृत",
         "{society_name} का पंजीयन क्रमांक {registration_number} के अंतर्गत हो गया है। यह "
         "मेलबॉक्स पंजीयक कार्यालय के साथ संस्था का माध्यम है।",
         "{society_name} पंजीकृत, क्रमांक {registration_number}।")),
    _builtin(
        "election_stage_published", {"recipient_name", "society_name", "election_number",
                                     "stage_title", "stage_title_hi", "published_at"},
        ("Election {election_number}: {stage_title}",
         "Election {election_number} of {society_name}: {stage_title}, published on "
         "{published_at}. It is on the notice board and the website of the society.",
         "Election {election_number} ({society_name}): {stage_title}, {published_at}."),
        ("चुनाव {election_number}: {stage_title_hi}",
         "{society_name} का चुनाव {election_number}: {stage_title_hi}, {published_at} को "
         "प्रकाशित। यह संस्था के सूचना पट और वेबसाइट पर उपलब्ध है।",
         "चुनाव {election_number} ({society_name}): {stage_title_hi}, {published_at}।")),
    _builtin(
        "election_result_declared", {"recipient_name", "society_name", "election_number",
                                     "contest_title", "contest_title_hi", "elected",
                                     "elected_count", "declared_at"},
        ("Election {election_number}: {contest_title} declared",
         "Election {election_number} of {society_name}: the result for the {contest_title} "
         "was declared on {declared_at}, after the Co-operative Election Authority's "
         "approval. Elected ({elected_count}):\n{elected}",
         "Election {election_number} ({society_name}): {contest_title} declared on "
         "{declared_at}, {elected_count} elected. See the notice board."),
        ("चुनाव {election_number}: {contest_title_hi} घोषित",
         "{society_name} का चुनाव {election_number}: सहकारी निर्वाचन प्राधिकरण के अनुमोदन के "
         "बाद {contest_title_hi} का परिणाम {declared_at} को घोषित। निर्वाचित ({elected_count}):"
         "\n{elected}",
         "चुनाव {election_number} ({society_name}): {contest_title_hi} {declared_at} को "
         "घोषित, {elected_count} निर्वाचित। सूचना पट देखें।")),
    _builtin(
        "election_expense_inspection", {"recipient_name", "society_name", "election_number",
                                        "candidate_name", "lodged_on", "inspect_at",
                                        "place"},
        ("Election {election_number}: account of {candidate_name} open to inspection",
         "Election {election_number} of {society_name}: the account of election expenses "
         "of {candidate_name}, lodged on {lodged_on}, may be inspected at {place} on "
         "{inspect_at} (rule 19X).",
         "Election {election_number}: expense account of {candidate_name} open to "
         "inspection at {place}, {inspect_at}."),
        ("चुनाव {election_number}: {candidate_name} के लेखे का निरीक्षण",
         "{society_name} का चुनाव {election_number}: {candidate_name} का निर्वाचन व्यय लेखा, "
         "जो {lodged_on} को प्रस्तुत किया गया, {place} में {inspect_at} को देखा जा सकता है "
         "(नियम 19X)।",
         "चुनाव {election_number}: {candidate_name} का व्यय लेखा {place} में {inspect_at} को "
         "देखा जा सकता है।")),
    _builtin(
        "filing_due_soon", {"recipient_name", "society_name", "form_title", "form_title_hi",
                            "period_end", "due_on"},
        ("Due soon: {form_title}",
         "{society_name}: the {form_title} for the period ending {period_end} is due by "
         "{due_on}.",
         "{society_name}: {form_title} (period ending {period_end}) due by {due_on}."),
        ("शीघ्र देय: {form_title_hi}",
         "{society_name}: {period_end} को समाप्त अवधि का {form_title_hi} {due_on} तक देय है।",
         "{society_name}: {form_title_hi} ({period_end} तक की अवधि) {due_on} तक देय।")),
    _builtin(
        "filing_overdue", {"recipient_name", "society_name", "form_title", "form_title_hi",
                           "period_end", "due_on"},
        ("Overdue: {form_title}",
         "{society_name}: the {form_title} for the period ending {period_end} was due on "
         "{due_on} and has not been filed.",
         "{society_name}: {form_title} (period ending {period_end}) overdue since {due_on}."),
        ("समय-सीमा पार: {form_title_hi}",
         "{society_name}: {period_end} को समाप्त अवधि का {form_title_hi} {due_on} को देय था "
         "और दाखिल नहीं हुआ है।",
         "{society_name}: {form_title_hi} ({period_end} तक की अवधि) {due_on} से लंबित।")),
    _builtin(
        "office_filing_due_soon", {"recipient_name", "office_name", "form_title",
                                   "form_title_hi", "period_end", "due_on"},
        ("Due soon: {form_title}",
         "{office_name}: the office's {form_title} for the period ending {period_end} is "
         "due by {due_on}.",
         "{office_name}: {form_title} (period ending {period_end}) due by {due_on}."),
        ("शीघ्र देय: {form_title_hi}",
         "{office_name}: कार्यालय का {period_end} को समाप्त अवधि का {form_title_hi} "
         "{due_on} तक देय है।",
         "{office_name}: {form_title_hi} ({period_end} तक की अवधि) {due_on} तक देय।")),
    _builtin(
        "office_filing_overdue", {"recipient_name", "office_name", "form_title",
                                  "form_title_hi", "period_end", "due_on"},
        ("Overdue: {form_title}",
         "{office_name}: the office's {form_title} for the period ending {period_end} was "
         "due on {due_on} and has not been filed.",
         "{office_name}: {form_title} (period ending {period_end}) overdue since {due_on}."),
        ("समय-सीमा पार: {form_title_hi}",
         "{office_name}: कार्यालय का {period_end} को समाप्त अवधि का {form_title_hi} "
         "{due_on} को देय था और दाखिल नहीं हुआ है।",
         "{office_name}: {form_title_hi} ({period_end} तक की अवधि) {due_on} से लंबित।")),
    _builtin(
        "filing_returned", {"recipient_name", "form_code", "period_end", "remarks"},
        ("Return {form_code} sent back for correction",
         "The return {form_code} for the period ending {period_end} was returned for "
         "correction: {remarks}\nCorrect it and submit it again.",
         "Return {form_code} ({period_end}) returned for correction: {remarks}"),
        ("विवरणी {form_code} सुधार हेतु लौटाई गई",
         "{period_end} को समाप्त अवधि की विवरणी {form_code} सुधार हेतु लौटाई गई: {remarks}\n"
         "सुधार कर पुनः प्रस्तुत करें।",
         "विवरणी {form_code} ({period_end}) सुधार हेतु लौटाई गई: {remarks}")),
    _builtin(
        "assistance_decided", {"recipient_name", "society_name", "kind_en", "kind_hi",
                               "financial_year", "amount_asked", "outcome_en", "outcome_hi",
                               "detail_en", "detail_hi"},
        ("Financial assistance {financial_year}: {outcome_en}",
         "{society_name}: your application for {kind_en} for {financial_year} "
         "({amount_asked} asked) was {outcome_en}. {detail_en}",
         "{society_name}: {kind_en} {financial_year} {outcome_en}. {detail_en}"),
        ("वित्तीय सहायता {financial_year}: {outcome_hi}",
         "{society_name}: {financial_year} के लिए {kind_hi} हेतु आपका आवेदन ({amount_asked} "
         "माँगा गया) {outcome_hi}। {detail_hi}",
         "{society_name}: {kind_hi} {financial_year} {outcome_hi}। {detail_hi}")),
    _builtin(
        "assistance_forwarded", {"recipient_name", "society_name", "application_id",
                                 "kind_en", "kind_hi", "financial_year", "amount_asked",
                                 "amount", "outcome_en", "outcome_hi", "detail_en",
                                 "detail_hi"},
        ("Financial assistance {financial_year} forwarded: {society_name}",
         "The District Level Committee's recommendation of {society_name}'s application "
         "for {kind_en} for {financial_year} ({amount_asked} asked, {amount} recommended) "
         "is forwarded to you for sanction (application {application_id}). {detail_en}",
         "{society_name}: {kind_en} {financial_year}, {amount} recommended, forwarded for "
         "sanction."),
        ("वित्तीय सहायता {financial_year} अग्रेषित: {society_name}",
         "{society_name} के {financial_year} के लिए {kind_hi} हेतु आवेदन ({amount_asked} "
         "माँगा गया, {amount} अनुशंसित) की ज़िला स्तरीय समिति की अनुशंसा स्वीकृति हेतु आपको "
         "अग्रेषित है (आवेदन {application_id})। {detail_hi}",
         "{society_name}: {kind_hi} {financial_year}, {amount} अनुशंसित, स्वीकृति हेतु "
         "अग्रेषित।")),
    _builtin(
        "assistance_released", {"recipient_name", "society_name", "application_id",
                                "kind_en", "kind_hi", "financial_year", "amount",
                                "released_on", "reference", "released_total", "sanctioned",
                                "also_en", "also_hi"},
        ("Financial assistance {financial_year}: {amount} released",
         "{society_name}: on {released_on} the Registrar's office released {amount} of "
         "the {kind_en} sanctioned for {financial_year} (release order {reference}). "
         "Released so far: {released_total} of the {sanctioned} sanctioned.\n\n"
         "What to do next: use the funds for the purpose they were sanctioned for, and "
         "record the utilisation certificate for application {application_id} (the amount "
         "utilised, the certificate's date and the certificate) once they are used.{also_en} "
         "Assistance diverted or misused is recovered from the society, and a later "
         "application asks for the details of how this assistance was utilised.",
         "{society_name}: {amount} of the {kind_en} {financial_year} released on "
         "{released_on} ({reference}). Record the utilisation certificate once used."),
        ("वित्तीय सहायता {financial_year}: {amount} जारी",
         "{society_name}: रजिस्ट्रार कार्यालय ने {financial_year} के लिए स्वीकृत {kind_hi} "
         "में से {amount} {released_on} को जारी किए (जारी करने का आदेश {reference})। अब तक "
         "जारी: स्वीकृत {sanctioned} में से {released_total}।\n\n"
         "आगे क्या करें: राशि का उपयोग उसी प्रयोजन के लिए करें जिसके लिए वह स्वीकृत हुई है, "
         "और उपयोग के बाद आवेदन {application_id} का उपयोगिता प्रमाणपत्र दर्ज करें (उपयोग की "
         "गई राशि, प्रमाणपत्र की तिथि और प्रमाणपत्र)।{also_hi} अन्य प्रयोजन में लगाई गई या "
         "दुरुपयोग की गई सहायता समिति से वसूल की जाती है, और आगे के आवेदन में इस सहायता के "
         "उपयोग का विवरण माँगा जाता है।",
         "{society_name}: {kind_hi} {financial_year} के {amount} {released_on} को जारी "
         "({reference})। उपयोग के बाद उपयोगिता प्रमाणपत्र दर्ज करें।")),
    _builtin(
        "assistance_utilised", {"recipient_name", "society_name", "application_id",
                                "kind_en", "kind_hi", "financial_year", "amount",
                                "utilised_on", "utilised_total", "released_total",
                                "balance_en", "balance_hi", "link"},
        ("Utilisation certificate: {society_name}, {kind_en} {financial_year}",
         "{society_name} recorded a utilisation certificate dated {utilised_on} for "
         "{amount} of the {kind_en} for {financial_year} (application {application_id}). "
         "Certified so far: {utilised_total} of the {released_total} released. "
         "{balance_en}\nCertificate: {link}",
         "{society_name}: utilisation certificate {utilised_on}, {amount} of the {kind_en} "
         "{financial_year}; {utilised_total} of {released_total} certified."),
        ("उपयोगिता प्रमाणपत्र: {society_name}, {kind_hi} {financial_year}",
         "{society_name} ने {financial_year} के {kind_hi} में से {amount} का {utilised_on} "
         "दिनांकित उपयोगिता प्रमाणपत्र दर्ज किया (आवेदन {application_id})। अब तक प्रमाणित: "
         "जारी {released_total} में से {utilised_total}। {balance_hi}\nप्रमाणपत्र: {link}",
         "{society_name}: उपयोगिता प्रमाणपत्र {utilised_on}, {kind_hi} {financial_year} के "
         "{amount}; जारी {released_total} में से {utilised_total} प्रमाणित।")),
    _builtin(
        "loan_repayment_recorded", {"recipient_name", "society_name", "application_id",
                                    "financial_year", "paid_on", "principal", "interest",
                                    "outstanding", "overdue_en", "overdue_hi"},
        ("Loan {financial_year}: repayment of {paid_on} recorded",
         "{society_name}: a repayment of the loan sanctioned for {financial_year} "
         "(application {application_id}), paid on {paid_on}, has been recorded: principal "
         "{principal}, interest {interest}. Principal outstanding after it: "
         "{outstanding}.{overdue_en}",
         "{society_name}: loan repayment of {paid_on} recorded (principal {principal}, "
         "interest {interest}); outstanding {outstanding}.{overdue_en}"),
        ("ऋण {financial_year}: {paid_on} का पुनर्भुगतान दर्ज",
         "{society_name}: {financial_year} के लिए स्वीकृत ऋण (आवेदन {application_id}) का "
         "{paid_on} को किया गया पुनर्भुगतान दर्ज किया गया है: मूलधन {principal}, ब्याज "
         "{interest}। इसके बाद बकाया मूलधन: {outstanding}।{overdue_hi}",
         "{society_name}: {paid_on} का ऋण पुनर्भुगतान दर्ज (मूलधन {principal}, ब्याज "
         "{interest}); बकाया {outstanding}।{overdue_hi}")),
    _builtin(
        "audit_reminder", {"recipient_name", "society_name", "financial_year", "due_on",
                           "number", "of"},
        ("Audit of {financial_year} due by {due_on} (reminder {number} of {of})",
         "{society_name}: the accounts of the financial year {financial_year} are to be "
         "audited by an external auditor by {due_on}, within six months of the year's end. "
         "No audit is recorded or allotted yet.",
         "{society_name}: audit of {financial_year} due by {due_on} (reminder {number}/{of})."),
        ("{financial_year} की लेखा परीक्षा {due_on} तक (अनुस्मारक {number}/{of})",
         "{society_name}: वित्तीय वर्ष {financial_year} के लेखों की लेखा परीक्षा, वर्ष की "
         "समाप्ति के छह माह के भीतर, {due_on} तक किसी बाह्य लेखा परीक्षक से कराई जानी है। "
         "अभी तक कोई लेखा परीक्षा दर्ज या आवंटित नहीं हुई है।",
         "{society_name}: {financial_year} की लेखा परीक्षा {due_on} तक देय (अनुस्मारक "
         "{number}/{of})।")),
    _builtin(
        "empanelment_step", {"recipient_name", "name", "financial_year", "office_id",
                             "title_en", "title_hi", "text", "next_en", "next_hi", "on"},
        ("{title_en} ({financial_year})",
         "{name}: on {on} office {office_id} wrote on your empanelment for "
         "{financial_year}:\n\n{text}\n\n{next_en}",
         "{title_en} ({financial_year}), office {office_id}: {text}"),
        ("{title_hi} ({financial_year})",
         "{name}: {on} को कार्यालय {office_id} ने {financial_year} के आपके पैनलीकरण पर "
         "लिखा:\n\n{text}\n\n{next_hi}",
         "{title_hi} ({financial_year}), कार्यालय {office_id}: {text}")),
    _builtin(
        "auditor_empanelled", {"recipient_name", "name", "membership_number", "firm_en",
                               "firm_hi", "financial_year", "office_id", "valid_to",
                               "serves_en", "serves_hi", "renewal_en", "renewal_hi",
                               "next_year", "renew_opens", "renew_closes", "renew_by"},
        ("Empanelled as auditor for {financial_year}, until {valid_to}",
         "{name}: your application for empanelment (ICAI membership number "
         "{membership_number}{firm_en}) has been approved. You are on the panel of "
         "auditors kept by office {office_id} for the financial year {financial_year}, "
         "until {valid_to}.{renewal_en} You may be allotted the audits of co-operative "
         "societies in {serves_en}.\n\n"
         "The empanelment is for one year and is renewed each year: apply to renew for "
         "{next_year} from {renew_opens} to {renew_closes}. If you are not empanelled again "
         "by {renew_by}, no audit is allotted to you until you are.",
         "Empanelled as auditor for {financial_year} until {valid_to} (office "
         "{office_id}). Renew for {next_year} from {renew_opens}."),
        ("{financial_year} के लिए लेखा परीक्षक के रूप में पैनलीकरण, {valid_to} तक",
         "{name}: पैनलीकरण हेतु आपका आवेदन (ICAI सदस्यता संख्या {membership_number}"
         "{firm_hi}) स्वीकृत हो गया है। आप वित्तीय वर्ष {financial_year} के लिए कार्यालय "
         "{office_id} द्वारा रखे गए लेखा परीक्षकों के पैनल में {valid_to} तक हैं।{renewal_hi} "
         "आपको {serves_hi} की सहकारी समितियों की लेखा परीक्षा आवंटित की जा सकती है।\n\n"
         "पैनलीकरण एक वर्ष के लिए होता है और हर वर्ष नवीनीकृत होता है: {next_year} के "
         "नवीनीकरण के लिए {renew_opens} से {renew_closes} तक आवेदन करें। यदि {renew_by} तक "
         "आप पुनः पैनल में नहीं आते, तो तब तक आपको कोई लेखा परीक्षा आवंटित नहीं होगी।",
         "{financial_year} के लिए लेखा परीक्षक पैनल में {valid_to} तक (कार्यालय "
         "{office_id})। {next_year} हेतु नवीनीकरण {renew_opens} से।")),
    _builtin(
        "audit_allotted_auditor", {"recipient_name", "society_name", "financial_year",
                                   "auditor_name", "membership_number", "allotment_id",
                                   "due_on", "replaces_en", "replaces_hi"},
        ("Audit allotted: {society_name}, {financial_year}",
         "{auditor_name}: the audit of the accounts of {society_name} for the financial "
         "year {financial_year} has been allotted to you (ICAI membership number "
         "{membership_number}; allotment {allotment_id}).{replaces_en} The accounts are to "
         "be audited within six months of the year's end, by {due_on}: ask the society "
         "for its books of account, registers and records of the year.",
         "Audit of {society_name} for {financial_year} allotted to you; due by {due_on}."),
        ("लेखा परीक्षा आवंटित: {society_name}, {financial_year}",
         "{auditor_name}: {society_name} के वित्तीय वर्ष {financial_year} के लेखों की लेखा "
         "परीक्षा आपको आवंटित की गई है (ICAI सदस्यता संख्या {membership_number}; आवंटन "
         "{allotment_id})।{replaces_hi} लेखों की लेखा परीक्षा वर्ष की समाप्ति के छह माह के "
         "भीतर, {due_on} तक होनी है: वर्ष की लेखा पुस्तकें, रजिस्टर और अभिलेख समिति से "
         "प्राप्त करें।",
         "{society_name} की {financial_year} की लेखा परीक्षा आपको आवंटित; {due_on} तक।")),
    _builtin(
        "audit_reallotted_away", {"recipient_name", "society_name", "financial_year",
                                  "auditor_name", "membership_number", "allotment_id",
                                  "due_on", "replaces_en", "replaces_hi",
                                  "replaced_auditor_name"},
        ("Audit reallotted: {society_name}, {financial_year}",
         "{replaced_auditor_name}: the audit of the accounts of {society_name} for the "
         "financial year {financial_year}, allotted to you earlier, has been reallotted to "
         "{auditor_name} (ICAI membership number {membership_number}; allotment "
         "{allotment_id}). Your allotment no longer stands: do not go on with the audit, "
         "and hand back any records of the society you hold.",
         "Audit of {society_name} for {financial_year} reallotted to {auditor_name}; "
         "yours no longer stands."),
        ("लेखा परीक्षा पुनः आवंटित: {society_name}, {financial_year}",
         "{replaced_auditor_name}: {society_name} के वित्तीय वर्ष {financial_year} के लेखों "
         "की लेखा परीक्षा, जो पहले आपको आवंटित थी, अब {auditor_name} (ICAI सदस्यता संख्या "
         "{membership_number}; आवंटन {allotment_id}) को पुनः आवंटित की गई है। आपका आवंटन "
         "अब मान्य नहीं है: लेखा परीक्षा आगे न करें, और समिति के जो अभिलेख आपके पास हैं, "
         "लौटा दें।",
         "{society_name} की {financial_year} की लेखा परीक्षा {auditor_name} को पुनः "
         "आवंटित; आपका आवंटन मान्य नहीं।")),
    _builtin(
        "audit_allotted", {"recipient_name", "society_name", "financial_year",
                           "auditor_name", "membership_number", "allotment_id", "due_on",
                           "replaces_en", "replaces_hi"},
        ("Audit of {financial_year} allotted to {auditor_name}",
         "{society_name}: the audit of your accounts for the financial year "
         "{financial_year} has been allotted to {auditor_name} (ICAI membership number "
         "{membership_number}), an auditor on the Registrar's panel.{replaces_en} Make the "
         "books of account, registers and records of the year available to the auditor: "
         "the audit is due within six months of the year's end, by {due_on}.",
         "{society_name}: audit of {financial_year} allotted to {auditor_name} "
         "({membership_number}); due by {due_on}."),
        ("{financial_year} की लेखा परीक्षा {auditor_name} को आवंटित",
         "{society_name}: वित्तीय वर्ष {financial_year} के आपके लेखों की लेखा परीक्षा "
         "रजिस्ट्रार के पैनल के लेखा परीक्षक {auditor_name} (ICAI सदस्यता संख्या "
         "{membership_number}) को आवंटित की गई है।{replaces_hi} वर्ष की लेखा पुस्तकें, "
         "रजिस्टर और अभिलेख लेखा परीक्षक को उपलब्ध कराएँ: लेखा परीक्षा वर्ष की समाप्ति के "
         "छह माह के भीतर, {due_on} तक होनी है।",
         "{society_name}: {financial_year} की लेखा परीक्षा {auditor_name} "
         "({membership_number}) को आवंटित; {due_on} तक।")),
    _builtin(
        "case_opened", {"recipient_name", "case_number", "kind_en", "kind_hi", "subject",
                        "received_on", "portal_url"},
        ("Your {kind_en} {case_number} has been received",
         "Your {kind_en} \"{subject}\" was received on {received_on} and registered as "
         "case {case_number}. Keep this number: sign in at {portal_url} with the same "
         "account to follow the case and reply to the office, or quote the number when "
         "you write to the office. You will be told here of every step.",
         "Your {kind_en} is registered as {case_number} ({received_on}). Track it at "
         "{portal_url} with this number."),
        ("आपकी {kind_hi} {case_number} प्राप्त हुई",
         "आपकी {kind_hi} \"{subject}\" {received_on} को प्राप्त हुई और प्रकरण क्रमांक "
         "{case_number} पर दर्ज की गई है। यह क्रमांक सँभाल कर रखें: प्रकरण की स्थिति देखने और "
         "कार्यालय को उत्तर देने के लिए इसी खाते से {portal_url} पर साइन इन करें, या "
         "कार्यालय को लिखते समय यह क्रमांक बताएँ। हर चरण की सूचना आपको यहीं मिलेगी।",
         "आपकी {kind_hi} प्रकरण क्रमांक {case_number} ({received_on}) पर दर्ज है। "
         "{portal_url} पर इस क्रमांक से स्थिति देखें।")),
    _builtin(
        "case_opened_society", {"recipient_name", "case_number", "kind_en", "kind_hi",
                                "subject", "received_on", "portal_url"},
        ("A {kind_en} against the society: case {case_number}",
         "A {kind_en} against the society, \"{subject}\", was received by the "
         "registrar's office on {received_on} and registered as case {case_number}. The "
         "office may ask the society for its reply; quote this number in any reply.",
         "{kind_en} against the society registered as case {case_number} ({received_on})."),
        ("समिति के विरुद्ध {kind_hi}: प्रकरण {case_number}",
         "समिति के विरुद्ध {kind_hi} \"{subject}\" रजिस्ट्रार कार्यालय को {received_on} को "
         "प्राप्त हुई और प्रकरण क्रमांक {case_number} पर दर्ज की गई है। कार्यालय समिति से "
         "उत्तर माँग सकता है; हर उत्तर में यह क्रमांक लिखें।",
         "समिति के विरुद्ध {kind_hi} प्रकरण क्रमांक {case_number} ({received_on}) पर दर्ज।")),
    _builtin(
        "case_update", {"recipient_name", "case_number", "message_en", "message_hi"},
        ("Case {case_number}", "{message_en}", "Case {case_number}: {message_en}"),
        ("प्रकरण {case_number}", "{message_hi}", "प्रकरण {case_number}: {message_hi}")),
    _builtin(
        "case_escalated", {"recipient_name", "case_number", "kind", "to_level", "due_at",
                           "overall_breached"},
        ("Escalated to your office: case {case_number}",
         "The {kind} case {case_number} was not decided in time at the level below and is "
         "now at level {to_level} with your office; decide it by {due_at}. Overall time "
         "limit passed: {overall_breached}.",
         "Case {case_number} escalated to you (level {to_level}), due by {due_at}."),
        ("आपके कार्यालय को अग्रेषित: प्रकरण {case_number}",
         "{kind} प्रकरण {case_number} पर निचले स्तर पर समय पर निर्णय नहीं हुआ; अब यह स्तर "
         "{to_level} पर आपके कार्यालय में है। {due_at} तक निर्णय करें। कुल समय-सीमा पार: "
         "{overall_breached}।",
         "प्रकरण {case_number} आपको अग्रेषित (स्तर {to_level}), {due_at} तक।")),
    _builtin(
        "case_hearing_scheduled", {"recipient_name", "case_number", "hearing_at", "place",
                                   "purpose"},
        ("Hearing in case {case_number} on {hearing_at}",
         "A hearing in case {case_number} is fixed for {hearing_at} at {place}: {purpose}.",
         "Hearing, case {case_number}: {hearing_at}, {place}."),
        ("प्रकरण {case_number} की सुनवाई {hearing_at} को",
         "प्रकरण {case_number} की सुनवाई {hearing_at} को {place} में निर्धारित है: {purpose}।",
         "सुनवाई, प्रकरण {case_number}: {hearing_at}, {place}।")),
    _builtin(
        "case_hearing_reminder", {"recipient_name", "case_number", "hearing_at", "place",
                                  "purpose"},
        ("Reminder: hearing in case {case_number} on {hearing_at}",
         "This is a reminder that the hearing in case {case_number} is on {hearing_at} at "
         "{place}: {purpose}.",
         "Reminder: hearing, case {case_number}, {hearing_at}, {place}."),
        ("स्मरण: प्रकरण {case_number} की सुनवाई {hearing_at} को",
         "स्मरण कराया जाता है कि प्रकरण {case_number} की सुनवाई {hearing_at} को {place} में "
         "है: {purpose}।",
         "स्मरण: सुनवाई, प्रकरण {case_number}, {hearing_at}, {place}।")),
    _builtin(
        "certificate_issued", {"recipient_name", "certificate_kind", "subject",
                               "verification_code", "link"},
        ("Certificate issued: {certificate_kind}",
         "A {certificate_kind} certificate has been issued: {subject}.\nVerification code: "
         "{verification_code}\nDocument: {link}",
         "{certificate_kind} certificate issued. Verification code {verification_code}."),
        ("प्रमाणपत्र जारी: {certificate_kind}",
         "{certificate_kind} प्रमाणपत्र जारी किया गया है: {subject}।\nसत्यापन कोड: "
         "{verification_code}\nदस्तावेज़: {link}",
         "{certificate_kind} प्रमाणपत्र जारी। सत्यापन कोड {verification_code}।")),
    _builtin(
        "society_announcement", {"recipient_name", "society_name", "title", "message"},
        ("{society_name}: {title}",
         "Dear {recipient_name},\n\n{message}\n\n{society_name}",
         "{society_name}: {title}. {message}"),
        ("{society_name}: {title}",
         "प्रिय {recipient_name},\n\n{message}\n\n{society_name}",
         "{society_name}: {title}। {message}")),
    _builtin(
        "general_meeting_notice", {"recipient_name", "society_name", "meeting", "at",
                                   "venue"},
        ("{society_name}: notice of the {meeting}",
         "Dear {recipient_name},\n\nThe {meeting} of {society_name} will be held on {at} "
         "at {venue}. Your presence is requested.",
         "{society_name}: {meeting} on {at} at {venue}."),
        ("{society_name}: {meeting} की सूचना",
         "प्रिय {recipient_name},\n\n{society_name} की {meeting} {at} को {venue} में होगी। "
         "आपकी उपस्थिति अपेक्षित है।",
         "{society_name}: {meeting} {at} को {venue} में।")),
) for t in group)

BUILTIN_KEYS = frozenset(t.key for t in BUILTIN)
# The variables each built-in template is filled with; newer versions must keep them.
BUILTIN_VARIABLES = {t.key: t.variables for t in BUILTIN}

_CANDIDATES = (
    select(message_template)
    .where(message_template.c.key == bindparam("key"),
           message_template.c.jurisdiction.in_(bindparam("jurisdictions", expanding=True)),
           message_template.c.language.in_(bindparam("languages", expanding=True)))
)


def _from_row(row) -> Template:
    return Template(row.key, row.jurisdiction, row.language, row.version, row.subject,
                    row.body, row.sms, frozenset(row.variables))


def candidates(session: Session, key: str, jurisdiction: str) -> list[Template]:
    """Every stored or built-in version of ``key`` for ``jurisdiction`` and the nation."""
    jurisdictions = sorted({jurisdiction, NATIONAL})
    rows = session.execute(_CANDIDATES, {"key": key, "jurisdictions": jurisdictions,
                                         "languages": list(LANGUAGES)}).all()
    found = [_from_row(row) for row in rows]
    found.extend(t for t in BUILTIN if t.key == key)
    return found


def choose(found: list[Template], language: str | None, jurisdiction: str) -> Template:
    """The best version for a recipient: their language, else English; the
    jurisdiction's own, else the national one; the newest."""
    wanted = language if language in LANGUAGES else DEFAULT_LANGUAGE
    usable = [t for t in found if t.language in (wanted, DEFAULT_LANGUAGE)
              and t.jurisdiction in (jurisdiction, NATIONAL)]
    if not usable:
        raise NotFound("No such template.")
    return max(usable, key=lambda t: (t.language == wanted, t.jurisdiction == jurisdiction,
                                      t.version))


class TemplateBook:
    """The versions of one template for one jurisdiction, chosen per language once."""

    def __init__(self, session: Session, key: str, jurisdiction: str = NATIONAL):
        self.key = key
        self.jurisdiction = jurisdiction
        self._found = candidates(session, key, jurisdiction)
        if not self._found:
            raise NotFound("No such template.", {"template_key": key})
        self._chosen: dict[str, Template] = {}

    def for_language(self, language: str | None) -> Template:
        wanted = language if language in LANGUAGES else DEFAULT_LANGUAGE
        if wanted not in self._chosen:
            self._chosen[wanted] = choose(self._found, wanted, self.jurisdiction)
        return self._chosen[wanted]

    @property
    def variables(self) -> frozenset[str]:
        """The variables every language version of this template takes (the union)."""
        return frozenset().union(*(self.for_language(lang).variables for lang in LANGUAGES))

    def check(self, supplied: Mapping[str, object]) -> None:
        for language in LANGUAGES:
            check_variables(self.for_language(language), supplied)
