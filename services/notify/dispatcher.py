"""The senders: green threads that claim due deliveries in small batches, send them
through their channel's adapter at the configured rate, and record the outcomes.

Claim, send and record happen in one transaction per batch (``deliveries``): the
window in which a message can be sent without its outcome being recorded is one batch,
and a message sent in that window is re-sent under the same key, which the SMS provider
deduplicates and the e-mail's Message-ID identifies. Commits that queue deliveries wake
the senders; otherwise they look every ``NOTIFY_POLL_SECONDS``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

from nameko.extensions import DependencyProvider
from sqlalchemy.orm import Session

from services.common import outbox
from services.common.contracts.notify import DeliveryFailedV1
from services.common.database import Database
from services.notify import deliveries
from services.notify.channels import PERMANENT, SENT, Message, Result
from services.notify.channels.email import SmtpSender
from services.notify.channels.sms import SmsProvider
from services.notify.metrics import notify_metrics
from services.notify.settings import NotifySettings, notify_settings

log = logging.getLogger(__name__)


class RateLimiter:
    """A token bucket shared by a channel's senders: ``rate`` messages per second with
    at most one second's worth in a burst."""

    def __init__(self, rate: float):
        self.rate = rate
        self.tokens = rate
        self.stamp = time.monotonic()
        self.lock = threading.Lock()

    def take(self, count: int) -> None:
        while True:
            with self.lock:
                now = time.monotonic()
                self.tokens = min(self.rate, self.tokens + (now - self.stamp) * self.rate)
                self.stamp = now
                if self.tokens >= min(count, self.rate):
                    self.tokens -= count
                    return
                wait = (min(count, self.rate) - self.tokens) / self.rate
            time.sleep(wait)


def sms_sender(settings: NotifySettings) -> SmsProvider:
    return SmsProvider(url=settings.sms_url, api_key=settings.sms_api_key.get_secret_value(),
                       sender_id=settings.sms_sender_id, timeout=settings.sms_timeout_seconds,
                       pool_size=max(1, settings.sms_workers))


def email_sender(settings: NotifySettings) -> SmtpSender:
    return SmtpSender(host=settings.smtp_host, port=settings.smtp_port,
                      username=settings.smtp_username,
                      password=settings.smtp_password.get_secret_value(),
                      starttls=settings.smtp_starttls,
                      timeout=settings.smtp_timeout_seconds, sender=settings.email_from,
                      domain=settings.message_id_domain)


def outcome_of(row, result: Result, settings: NotifySettings,
               now: datetime) -> deliveries.Outcome:
    attempts = row.attempts + 1
    if result.kind == SENT:
        return deliveries.Outcome(row.id, deliveries.SENT, attempts,
                                  provider_id=result.provider_id)
    if result.kind == PERMANENT:
        return deliveries.Outcome(row.id, deliveries.FAILED, attempts, error=result.error)
    if attempts >= settings.max_attempts:
        return deliveries.Outcome(row.id, deliveries.FAILED, attempts,
                                  error=f"gave up after {attempts} attempts: {result.error}")
    delay = deliveries.backoff(attempts, settings.retry_base_seconds,
                               settings.retry_max_seconds, result.retry_after)
    return deliveries.Outcome(row.id, deliveries.QUEUED, attempts, error=result.error,
                              next_attempt_at=now + delay)


class Dispatcher(DependencyProvider):
    """Runs ``NOTIFY_SMS_WORKERS`` and ``NOTIFY_EMAIL_WORKERS`` sender loops per process.
    Entrypoints get ``wake()``: call it after a commit that queued deliveries."""

    def setup(self):
        self.settings = notify_settings()
        self.metrics = notify_metrics()
        self.database = next(dep for dep in self.container.dependencies
                             if isinstance(dep, Database))
        self.running = False
        self.wakeups = {channel: threading.Event() for channel in deliveries.SENDING_CHANNELS}
        self.channels: dict[str, tuple[Callable, int, int, RateLimiter]] = {
            "sms": (sms_sender, self.settings.sms_workers, self.settings.sms_batch_size,
                    RateLimiter(self.settings.sms_rate_per_second)),
            "email": (email_sender, self.settings.email_workers,
                      self.settings.email_batch_size,
                      RateLimiter(self.settings.email_rate_per_second)),
        }

    def start(self):
        self.running = True
        for channel, (factory, workers, _, _) in self.channels.items():
            for index in range(workers):
                self.container.spawn_managed_thread(
                    lambda c=channel, f=factory: self._loop(c, f),
                    identifier=f"notify.sender.{channel}.{index}")

    def stop(self):
        self.running = False
        self.wake()

    def kill(self):
        self.stop()

    def wake(self, channels=deliveries.SENDING_CHANNELS) -> None:
        for channel in channels:
            self.wakeups[channel].set()

    def get_dependency(self, worker_ctx):
        return self

    # -- the loop ---------------------------------------------------------------------
    def _loop(self, channel: str, factory: Callable) -> None:
        sender = factory(self.settings)
        try:
            while self.running:
                try:
                    busy = self.send_batch(channel, sender)
                except Exception:
                    log.exception("sender batch failed; retrying shortly",
                                  extra={"channel": channel})
                    busy = False
                if not busy and self.running:
                    event = self.wakeups[channel]
                    event.wait(self.settings.poll_seconds)
                    event.clear()
        finally:
            sender.close()

    def send_batch(self, channel: str, sender) -> bool:
        """Claim, send and record one batch; False when nothing was due."""
        _, _, batch_size, limiter = self.channels[channel]
        engine = self.database.engine
        tables = self.database.tables
        failures = []
        phase = self.metrics.phase
        with Session(engine) as session, session.begin():
            with phase(channel, "claim"):
                rows = deliveries.claim(session, channel, batch_size)
            if not rows:
                return False
            limiter.take(len(rows))
            started = time.perf_counter()
            with phase(channel, "send"):
                results = sender.send([Message(row.key, row.destination, row.subject,
                                               row.body, row.language,
                                               origin=f"{row.origin}:{row.origin_id}")
                                       for row in rows])
            self.metrics.batch_seconds.labels(channel).observe(time.perf_counter() - started)
            now = datetime.now(UTC)
            outcomes = [outcome_of(row, result, self.settings, now)
                        for row, result in zip(rows, results, strict=True)]
            with phase(channel, "record"):
                deliveries.record(session, outcomes, now)
            for row, outcome in zip(rows, outcomes, strict=True):
                if outcome.status == deliveries.FAILED:
                    failures.append(outcome)
                    outbox.record(session, tables, DeliveryFailedV1(
                        delivery_id=row.id, key=row.key, origin=row.origin,
                        origin_id=row.origin_id, job_id=row.job_id,
                        recipient_id=row.recipient_id, channel=channel,
                        error=outcome.error or "", at=now),
                        {"nameko.request_id": f"delivery-{row.id}"})
        counts: dict[str, int] = {}
        for outcome in outcomes:
            label = {"queued": "retried"}.get(outcome.status, outcome.status)
            counts[label] = counts.get(label, 0) + 1
        for label, count in counts.items():
            self.metrics.deliveries.labels(channel, label).inc(count)
        if counts.get("retried"):
            self.metrics.throttled.labels(channel).inc()
        if failures:
            self.database.relay.wake()
            log.warning("deliveries failed for good", extra={"channel": channel,
                                                             "count": len(failures)})
        return True
