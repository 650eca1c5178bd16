"""An edition as an email, and sending it, with the standard library only.

One message per edition and recipient: a subject with the title and date; a plain-text and an
HTML part with the bottom line and the key points with their sources, and where the edition
lives; the chosen formats attached, or, when they are larger than the limit together, a line
saying where the files are instead.

Header injection: every header value made from article text goes through
:func:`briefgen.service.digest.clean_line` (no line breaks or control characters), and the
``email`` package's default policy refuses any that remain.  The Message-ID is derived from the
briefing, edition and recipient, so a retry of a message that might have gone out carries the
same id and mail programs can drop the copy.
"""

from __future__ import annotations

import hashlib
import html
import smtplib
import ssl
from collections.abc import Sequence
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime
from pathlib import Path

from briefgen.errors import DeliveryError, one_line
from briefgen.service.digest import Digest, clean_line
from briefgen.service.smtpconfig import SmtpConfig
from briefgen.spec import format_size

__all__ = ["compose", "message_id", "send"]

MIME = {
    ".pdf": ("application", "pdf"),
    ".docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".html": ("text", "html"),
    ".md": ("text", "markdown"),
    ".json": ("application", "json"),
}


def message_id(digest: Digest, recipient: str, sender_domain: str) -> str:
    """A Message-ID stable across retries of one edition to one recipient."""
    key = f"{digest.briefing}/{digest.edition}/{recipient}".encode()
    return f"<briefgen.{digest.edition}.{hashlib.sha256(key).hexdigest()[:20]}@{sender_domain}>"


def subject(digest: Digest) -> str:
    return clean_line(f"{digest.title} — {digest.date_text}", 200)


def _refs(numbers: Sequence[int]) -> str:
    return f" [{', '.join(map(str, numbers))}]" if numbers else ""


def text_body(digest: Digest, link: str, files_line: str) -> str:
    lines = [digest.title, f"{digest.date_text} · {len(digest.sources)} sources cited", ""]
    if digest.bottom_line:
        lines += ["BOTTOM LINE", *(p.text + _refs(p.sources) for p in digest.bottom_line), ""]
    if digest.key_points:
        lines.append("KEY POINTS")
        lines += [f"{i}. {p.text}{_refs(p.sources)}" for i, p in enumerate(digest.key_points, 1)]
        lines.append("")
    if digest.sources:
        lines.append("SOURCES")
        for s in digest.sources:
            outlet = f" ({s.outlet})" if s.outlet else ""
            lines.append(f"[{s.number}] {s.title}{outlet}" + (f" {s.where}" if s.where else ""))
        lines.append("")
    lines += [f"The full edition: {link}", files_line, "", "-- ", "Sent by briefgen."]
    return "\n".join(lines) + "\n"


def html_body(digest: Digest, link: str, files_line: str) -> str:
    e = html.escape

    def point(p: object, tag: str) -> str:
        refs = e(_refs(getattr(p, "sources", [])))
        return f"<{tag}>{e(getattr(p, 'text', ''))}<small>{refs}</small></{tag}>"

    parts = [
        f'<h1 style="font-size:20px">{e(digest.title)}</h1>',
        f'<p style="color:#555">{e(digest.date_text)} · {len(digest.sources)} sources cited</p>',
    ]
    if digest.bottom_line:
        box = "".join(point(p, "p") for p in digest.bottom_line)
        parts.append(
            '<div style="border-left:4px solid #2b6cb0;padding:4px 12px">'
            f"<strong>Bottom line</strong>{box}</div>"
        )
    if digest.key_points:
        items = "".join(point(p, "li") for p in digest.key_points)
        parts.append(f"<h2 style='font-size:16px'>Key points</h2><ol>{items}</ol>")
    if digest.sources:
        rows = []
        for s in digest.sources:
            name = e(s.title) + (f" ({e(s.outlet)})" if s.outlet else "")
            if s.where and s.where.startswith(("http://", "https://")):
                name = f'<a href="{e(s.where, quote=True)}">{name}</a>'
            rows.append(f"<li value='{s.number}'>{name}</li>")
        parts.append(f"<h2 style='font-size:16px'>Sources</h2><ol>{''.join(rows)}</ol>")
    href = e(link, quote=True)
    parts.append(f'<p>The full edition: <a href="{href}">{e(link)}</a><br>{e(files_line)}</p>')
    body = "\n".join(parts)
    return (
        f'<!DOCTYPE html><html lang="en"><body style="font-family:sans-serif">{body}</body></html>'
    )


def attachments(folder: Path, digest: Digest, formats: Sequence[str]) -> list[Path]:
    wanted = {f".{f}" for f in formats}
    return [folder / n for n in digest.files if Path(n).suffix in wanted and (folder / n).is_file()]


def compose(
    digest: Digest,
    *,
    smtp: SmtpConfig,
    recipient: str,
    folder: Path,
    link: str,
    formats: Sequence[str],
    now: datetime,
) -> EmailMessage:
    """The message for ``recipient``; the files of ``formats`` in ``folder`` attached when they
    fit ``smtp.max_attachment_size`` together."""
    files = attachments(folder, digest, formats)
    total = sum(p.stat().st_size for p in files)
    if not files:
        files_line = "No files attached."
    elif total > smtp.max_attachment_size:
        limit = format_size(smtp.max_attachment_size)
        files_line = (
            f"The files ({format_size(total)}) are over the {limit} email limit and are not "
            f"attached; they are at {link}"
        )
        files = []
    else:
        files_line = "Attached: " + ", ".join(
            f"{p.name} ({format_size(p.stat().st_size)})" for p in files
        )
    msg = EmailMessage(policy=SMTP_POLICY)
    sender = smtp.from_address
    msg["Subject"] = subject(digest)
    msg["From"] = sender
    msg["To"] = recipient
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = message_id(digest, recipient, sender.domain)
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(text_body(digest, link, files_line))
    msg.add_alternative(html_body(digest, link, files_line), subtype="html")
    for path in files:
        maintype, subtype = MIME.get(path.suffix, ("application", "octet-stream"))
        # Base64 keeps the file byte for byte; briefgen's text formats are UTF-8, so say so.
        params = {"charset": "utf-8"} if maintype == "text" else {}
        msg.add_attachment(
            path.read_bytes(), maintype=maintype, subtype=subtype, filename=path.name,
            params=params,
        )  # fmt: skip
    return msg


def _connect(smtp: SmtpConfig) -> smtplib.SMTP:
    context = ssl.create_default_context(cafile=smtp.ca_file)
    host, port = smtp.host, smtp.port_number
    if smtp.security == "ssl":
        return smtplib.SMTP_SSL(host, port, timeout=smtp.timeout, context=context)
    client = smtplib.SMTP(host, port, timeout=smtp.timeout)
    if smtp.security == "starttls":
        client.starttls(context=context)
    return client


def send(smtp: SmtpConfig, messages: Sequence[EmailMessage]) -> list[str | None]:
    """Send ``messages`` over one connection: per message None when sent, else why not.

    A failure to connect, secure or log in fails them all; a recipient the server refuses fails
    only its own message.
    """
    try:
        password = smtp.password()
        client = _connect(smtp)
    except DeliveryError as exc:
        return [one_line(exc)] * len(messages)
    except (OSError, smtplib.SMTPException) as exc:
        return [f"{smtp.host}:{smtp.port_number}: {_why(exc)}"] * len(messages)
    results: list[str | None] = []
    try:
        if smtp.username is not None and password is not None:
            client.login(smtp.username, password)
        for msg in messages:
            try:
                client.send_message(msg)
                results.append(None)
            except smtplib.SMTPRecipientsRefused as exc:
                results.append(f"refused: {_why(exc)}")
            except smtplib.SMTPResponseException as exc:
                results.append(_why(exc))
    except (OSError, smtplib.SMTPException) as exc:
        why = _why(exc)
        if isinstance(exc, smtplib.SMTPNotSupportedError) and smtp.security == "none":
            why += ' (many servers offer AUTH only over TLS: try security = "starttls")'
        results += [f"{smtp.host}:{smtp.port_number}: {why}"] * (len(messages) - len(results))
    finally:
        try:
            client.quit()
        except (OSError, smtplib.SMTPException):
            client.close()
    return results


def _why(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        text = (
            exc.smtp_error.decode("utf-8", "replace")
            if isinstance(exc.smtp_error, bytes)
            else str(exc.smtp_error)
        )
        return f"{exc.smtp_code} {' '.join(text.split())}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{r}: {code} {m.decode('utf-8', 'replace')}" for r, (code, m) in exc.recipients.items()
        )
    if isinstance(exc, ssl.SSLError):
        return f"TLS failed ({exc.reason or exc})"
    if isinstance(exc, TimeoutError):
        return "timed out"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    return one_line(exc)
