"""SMS through an HTTP provider's bulk endpoint, over pooled keep-alive connections.

The request (the shape many Indian SMS gateways take):
``POST <NOTIFY_SMS_URL>/v1/sms/bulk`` with ``Authorization: Bearer <NOTIFY_SMS_API_KEY>``
and ``{"sender": id, "messages": [{"ref": key, "to": "+91...", "text": "...",
"unicode": bool}]}``; the answer ``{"results": [{"ref", "status": "accepted" |
"duplicate" | "rejected", "id", "error"}]}``. ``ref`` is our idempotency key: the
provider accepts each ref once and answers a repeat as ``duplicate`` with the first id,
so a batch re-sent after a crash is not delivered twice.

HTTP 429 and 5xx, timeouts and connection failures are transient for the whole batch
(``Retry-After`` is honoured); 400 and 422 are permanent for it; a message the
provider rejects is permanent for that message.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import requests
from requests.adapters import HTTPAdapter

from services.notify.channels import PERMANENT, SENT, TRANSIENT, Message, Result

log = logging.getLogger(__name__)


def _retry_after(response: requests.Response) -> float | None:
    try:
        return float(response.headers.get("Retry-After", ""))
    except ValueError:
        return None


class SmsProvider:
    def __init__(self, *, url: str, api_key: str, sender_id: str, timeout: float,
                 pool_size: int = 4):
        self.endpoint = url.rstrip("/") + "/v1/sms/bulk"
        self.sender_id = sender_id
        self.timeout = timeout
        self.session = requests.Session()
        adapter = HTTPAdapter(pool_connections=1, pool_maxsize=pool_size, max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers.update({"Authorization": f"Bearer {api_key}",
                                     "Content-Type": "application/json"})

    def close(self) -> None:
        self.session.close()

    def send(self, messages: Sequence[Message]) -> list[Result]:
        body = {"sender": self.sender_id, "messages": [
            {"ref": m.key, "to": m.destination, "text": m.body,
             "unicode": not m.body.isascii()} for m in messages]}
        try:
            response = self.session.post(self.endpoint, json=body, timeout=self.timeout)
        except requests.RequestException as exc:
            error = f"SMS provider unreachable or slow: {type(exc).__name__}"
            return [Result(TRANSIENT, error=error)] * len(messages)
        status = response.status_code
        if status == 429 or status >= 500 or status in (401, 403, 408):
            error = f"SMS provider answered HTTP {status}"
            return [Result(TRANSIENT, error=error, retry_after=_retry_after(response))] \
                * len(messages)
        if status != 200:
            error = f"SMS provider refused the request: HTTP {status}"
            return [Result(PERMANENT, error=error)] * len(messages)
        try:
            results = {item["ref"]: item for item in response.json()["results"]}
        except (ValueError, KeyError, TypeError):
            return [Result(TRANSIENT, error="SMS provider answered an unreadable body")] \
                * len(messages)
        answered = []
        for message in messages:
            item = results.get(message.key)
            if item is None:
                answered.append(Result(TRANSIENT, error="SMS provider did not answer for "
                                                        "this message"))
            elif item.get("status") in ("accepted", "duplicate"):
                answered.append(Result(SENT, provider_id=str(item.get("id") or "")[:100]))
            else:
                answered.append(Result(PERMANENT, error="SMS provider rejected it: "
                                       + str(item.get("error") or "no reason")))
        return answered
