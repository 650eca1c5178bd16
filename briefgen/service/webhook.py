"""Posting an edition to a webhook: JSON with the title, date, bottom line, key points and links,
plus a Slack-compatible ``text`` field (Slack, Mattermost, Rocket.Chat and Teams' incoming
webhooks show it as the message).

Every POST goes through :func:`post_json`, the one place a briefing sends data out; it uses the
fetch limits (timeout, no redirects beyond ``max_redirects``, http/https only) and retries a
failed attempt with a growing pause.  When the egress guard of issue #15 lands
(``briefgen/ingest/egress.py``), it is plugged in here.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlsplit

import httpx

from briefgen import __version__
from briefgen.errors import DeliveryError, one_line
from briefgen.ingest.egress import EgressRefused, guarded_transport
from briefgen.ingest.fetch import policy_of
from briefgen.service.digest import Digest
from briefgen.spec import FetchLimits

__all__ = ["payload", "post_json", "redact"]

RETRIES = 2
"""Further attempts after a failed POST (connection error, timeout, 5xx or 429)."""
BACKOFF = 1.0
"""Seconds before the first retry; doubled before each next one."""


def redact(url: str) -> str:
    """A webhook URL as shown in output and history: scheme and host only (the path of a Slack
    webhook is its secret)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or ''}{f':{parts.port}' if parts.port else ''}/…"


def payload(digest: Digest, link: str) -> dict[str, Any]:
    """The JSON body: the digest's content and a ``text`` a chat app shows as is."""
    bottom = " ".join(p.text for p in digest.bottom_line)
    points = [p.text for p in digest.key_points]
    text = "\n".join(
        [f"*{digest.title}* ({digest.date_text})", bottom, *(f"• {p}" for p in points), link]
    )
    return {
        "text": text,
        "title": digest.title,
        "date": digest.generated_at,
        "briefing": digest.briefing,
        "edition": digest.edition,
        "bottom_line": bottom,
        "key_points": [{"text": p.text, "sources": p.sources} for p in digest.key_points],
        "sources": [
            {"number": s.number, "title": s.title, "outlet": s.outlet, "url": s.where}
            for s in digest.sources
        ],
        "links": {"edition": link, **{f.rsplit(".", 1)[-1]: link + f for f in digest.files}},
    }


def _retryable(exc: Exception) -> bool:
    if isinstance(exc, httpx.HTTPStatusError):
        code = exc.response.status_code
        return code >= 500 or code == 429
    return isinstance(exc, httpx.TransportError)


def post_json(
    url: str,
    body: dict[str, Any],
    limits: FetchLimits,
    retries: int = RETRIES,
    backoff: float | None = None,
) -> None:
    """POST ``body`` as JSON to ``url``; raise DeliveryError naming the (redacted) URL and the
    reason once every attempt has failed.  A 4xx answer other than 429 is not retried."""
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise DeliveryError(f"{redact(url)}: only http and https webhooks are supported")
    pause = BACKOFF if backoff is None else backoff
    headers = {"User-Agent": f"briefgen/{__version__}"}
    reason = ""
    with httpx.Client(
        timeout=httpx.Timeout(limits.timeout),
        follow_redirects=limits.max_redirects > 0,
        max_redirects=limits.max_redirects,
        headers=headers,
        trust_env=False,
        # The same egress guard as every fetch: a webhook URL from a config cannot reach
        # internal addresses unless [briefings.fetch] allows them.
        transport=guarded_transport(policy_of(limits), trust_env=False),
    ) as client:
        for attempt in range(retries + 1):
            if attempt:
                time.sleep(pause * 2 ** (attempt - 1))
            try:
                client.post(url, json=body).raise_for_status()
                return
            except EgressRefused as exc:
                reason = f"refused: {one_line(exc)}"
                break
            except httpx.HTTPError as exc:
                reason = _reason(exc)
                if not _retryable(exc):
                    break
    tries = f" after {attempt + 1} attempts" if attempt else ""
    raise DeliveryError(f"{redact(url)}: {reason}{tries}")


def _reason(exc: httpx.HTTPError) -> str:
    if isinstance(exc, httpx.HTTPStatusError):
        return f"HTTP {exc.response.status_code}"
    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    if isinstance(exc, httpx.ConnectError):
        return "cannot connect"
    return one_line(exc)
