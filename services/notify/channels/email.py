"""E-mail over SMTP: one connection per worker, kept open for many messages.

Every message carries a Message-ID made from its idempotency key, so a message re-sent
after a crash is recognisably the same message to whoever receives it. SMTP answers
4xx (and a dropped connection) are transient; 5xx are permanent for that message.
"""

from __future__ import annotations

import hashlib
import logging
import smtplib
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import formatdate

from services.notify.channels import PERMANENT, SENT, TRANSIENT, Message, Result

log = logging.getLogger(__name__)


def message_id(key: str, domain: str) -> str:
    """The same key always gives the same Message-ID."""
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:40]}@{domain}>"


def build(message: Message, *, sender: str, domain: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.destination
    email["Subject"] = message.subject or ""
    email["Message-ID"] = message_id(message.key, domain)
    email["Date"] = formatdate(localtime=False, usegmt=True)
    email["X-Notify-Key"] = message.key
    email.set_content(message.body)
    # after set_content, which replaces every Content-* header
    email["Content-Language"] = message.language
    return email


class SmtpSender:
    def __init__(self, *, host: str, port: int, username: str = "", password: str = "",
                 starttls: bool = False, timeout: float = 10.0, sender: str, domain: str):
        self.host, self.port = host, port
        self.username, self.password = username, password
        self.starttls = starttls
        self.timeout = timeout
        self.sender = sender
        self.domain = domain
        self._smtp: smtplib.SMTP | None = None

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is None:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            try:
                smtp.ehlo()
                if self.starttls:
                    smtp.starttls()
                    smtp.ehlo()
                if self.username:
                    smtp.login(self.username, self.password)
            except Exception:
                smtp.close()
                raise
            self._smtp = smtp
        return self._smtp

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None

    def _drop(self) -> None:
        if self._smtp is not None:
            self._smtp.close()
            self._smtp = None

    def send(self, messages: Sequence[Message]) -> list[Result]:
        results: list[Result] = []
        for index, message in enumerate(messages):
            try:
                smtp = self._connection()
                smtp.send_message(build(message, sender=self.sender, domain=self.domain))
            except smtplib.SMTPRecipientsRefused as exc:
                code, text = next(iter(exc.recipients.values()))
                results.append(_by_code(code, text))
                self._reset()
            except smtplib.SMTPResponseException as exc:
                results.append(_by_code(exc.smtp_code, exc.smtp_error))
                self._reset()
            except (smtplib.SMTPException, OSError) as exc:
                # The connection is gone: this message and the rest wait for a retry.
                self._drop()
                error = f"SMTP server unreachable: {type(exc).__name__}"
                results.extend([Result(TRANSIENT, error=error)] * (len(messages) - index))
                return results
            else:
                results.append(Result(SENT, provider_id=message_id(message.key,
                                                                   self.domain)[1:-1]))
        return results

    def _reset(self) -> None:
        try:
            if self._smtp is not None:
                self._smtp.rset()
        except (smtplib.SMTPException, OSError):
            self._drop()


def _by_code(code: int, text) -> Result:
    if isinstance(text, bytes):
        text = text.decode(errors="replace")
    error = f"SMTP {code} {text}"[:500]
    return Result(TRANSIENT if 400 <= code < 500 else PERMANENT, error=error)
