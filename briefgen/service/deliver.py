"""Delivering published editions: email (``email_to``) and webhooks (``webhook_url``).

Never twice, never lost.  Every attempt is a row in the state file (edition, channel, recipient,
Message-ID, status); the newest row per edition and recipient is its status.  After each run of
a briefing, under its lock, :func:`deliver` sends what is due:

- the newest published edition to every recipient that has no record for it yet (normally the
  edition this run just published; after a crash between publishing and sending, the same
  edition on the next run, without rebuilding);
- every earlier attempt that failed, again, while the edition is still on disk.

So a run that published but could not send retries on the next run, a skipped run sends
nothing new, and a message is recorded as sent only after the server accepted it.  A message
that might have gone out before a crash is sent again with the same Message-ID.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from briefgen.errors import DeliveryError, one_line
from briefgen.service import mail
from briefgen.service.config import BriefingConfig, Config
from briefgen.service.digest import Digest, edition_link
from briefgen.service.state import STATE_FILE, Delivery, State
from briefgen.service.webhook import payload, post_json, redact

__all__ = ["DeliveryReport", "Due", "deliver", "due"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Due:
    """One message to send: an edition to one recipient over one channel."""

    edition: str
    channel: str  # "email" | "webhook"
    recipient: str
    retry: bool

    @property
    def shown(self) -> str:
        return redact(self.recipient) if self.channel == "webhook" else self.recipient


@dataclass(frozen=True)
class DeliveryReport:
    lines: tuple[str, ...] = ()
    failed: int = 0


def targets(b: BriefingConfig) -> list[tuple[str, str]]:
    return [("email", a) for a in b.email_to] + (
        [("webhook", b.webhook_url)] if b.webhook_url else []
    )


def due(state: State, b: BriefingConfig) -> list[Due]:
    """What :func:`deliver` would send now, oldest edition first."""
    wanted = set(targets(b))
    if not wanted:
        return []
    current = state.deliveries(b.name)
    out = [
        Due(d.edition, d.channel, d.recipient, retry=True)
        for d in current
        if d.status == "failed" and (d.channel, d.recipient) in wanted
    ]
    latest = state.latest_edition(b.name)
    if latest is not None:
        tried = {(d.channel, d.recipient) for d in current if d.edition == latest[1]}
        out += [Due(latest[1], c, r, retry=False) for c, r in targets(b) if (c, r) not in tried]
    return out


def deliver(
    cfg: Config, b: BriefingConfig, reports: Path, now: datetime, run_id: int | None = None
) -> DeliveryReport:
    """Send what is due for briefing ``b`` and record each attempt; never raises for a failed
    delivery (it is in the report, and retried on the next run)."""
    with State(reports / STATE_FILE) as state:
        todo = due(state, b)
        if not todo:
            return DeliveryReport()
        digests: dict[str, Digest | str] = {}
        for item in todo:
            if item.edition not in digests:
                digests[item.edition] = _digest(reports / b.name / item.edition, b)
        results: list[tuple[Due, str | None, str]] = []  # (due, error, message id)
        emails = [d for d in todo if d.channel == "email"]
        if emails:
            results += _send_emails(cfg, b, reports, emails, digests, now)
        for item in (d for d in todo if d.channel == "webhook"):
            results.append(_post(cfg, b, reports, item, digests[item.edition]))
        return _record(state, b, results, digests, now, run_id)


def _digest(folder: Path, b: BriefingConfig) -> Digest | str:
    """The edition's digest, or why there is none (the edition was removed, or has no JSON)."""
    if not folder.is_dir():
        return "the edition was removed before it could be sent"
    try:
        return Digest.from_edition(folder, b.name, b.timezone)
    except (OSError, ValueError) as exc:
        return f"cannot read the edition's briefing JSON ({one_line(exc)})"


def _send_emails(
    cfg: Config,
    b: BriefingConfig,
    reports: Path,
    items: Sequence[Due],
    digests: dict[str, Digest | str],
    now: datetime,
) -> list[tuple[Due, str | None, str]]:
    assert cfg.smtp is not None  # the config refuses email_to without [smtp]
    smtp = cfg.smtp
    domain = smtp.from_address.domain
    out: list[tuple[Due, str | None, str]] = []
    ready: list[tuple[Due, str]] = []
    messages = []
    for item in items:
        digest = digests[item.edition]
        if isinstance(digest, str):
            out.append((item, digest, ""))
            continue
        link = edition_link(cfg.reports_url, reports, b.name, item.edition)
        msg = mail.compose(
            digest, smtp=smtp, recipient=item.recipient, folder=reports / b.name / item.edition,
            link=link, formats=b.email_formats, now=now,
        )  # fmt: skip
        messages.append(msg)
        ready.append((item, mail.message_id(digest, item.recipient, domain)))
    for (item, mid), error in zip(ready, mail.send(smtp, messages), strict=True):
        out.append((item, error, mid))
    return out


def _post(
    cfg: Config, b: BriefingConfig, reports: Path, item: Due, digest: Digest | str
) -> tuple[Due, str | None, str]:
    if isinstance(digest, str):
        return item, digest, ""
    link = edition_link(cfg.reports_url, reports, b.name, item.edition)
    try:
        post_json(item.recipient, payload(digest, link), b.fetch)
    except DeliveryError as exc:
        return item, one_line(exc), ""
    return item, None, ""


def _record(
    state: State,
    b: BriefingConfig,
    results: Sequence[tuple[Due, str | None, str]],
    digests: dict[str, Digest | str],
    now: datetime,
    run_id: int | None,
) -> DeliveryReport:
    lines: list[str] = []
    failed = 0
    for item, error, mid in results:
        digest = digests[item.edition]
        gone = isinstance(digest, str)  # nothing to send from: retrying cannot help
        status = "sent" if error is None else ("gone" if gone else "failed")
        state.record_delivery(
            Delivery(
                run_id, b.name, item.edition, item.channel, item.recipient, mid, status, error,
                digest.to_json() if isinstance(digest, Digest) else None,
            ),
            now,
        )  # fmt: skip
        verb = "emailed" if item.channel == "email" else "posted to webhook"
        if error is None:
            lines.append(f"{b.name}: {verb} {item.shown} ({item.edition})")
            continue
        failed += 1
        what = "email to" if item.channel == "email" else "webhook"
        later = "; not retried" if status == "gone" else "; retried on the next run"
        lines.append(f"{b.name}: {what} {item.shown} failed ({item.edition}): {error}{later}")
    return DeliveryReport(tuple(lines), failed)
