"""An SMTP server on 127.0.0.1 for the delivery tests: aiosmtpd with STARTTLS (a self-signed
certificate made by the test with the ``openssl`` command) and AUTH, able to fail on demand."""

from __future__ import annotations

import logging
import shutil
import socket
import ssl
import subprocess
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

# aiosmtpd 1.4.6 warns about its own deprecated Session.login_data on every AUTH.
logging.getLogger("mail.log").setLevel(logging.ERROR)

USER = "briefings@example.org"
PASSWORD = "correct horse battery staple"


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost, valid for a day."""
    if shutil.which("openssl") is None:
        raise RuntimeError("the openssl command is needed (scripts/setup.sh installs it)")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Inbox:
    """What the server received; set ``failing`` to answer every message with 451."""

    messages: list[tuple[list[str], bytes]] = field(default_factory=list)
    failing: bool = False
    logins: list[str] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.failing:
            return "451 4.3.0 Mail server temporarily unavailable"
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 OK"

    def parsed(self) -> list[EmailMessage]:
        return [message_from_bytes(raw, policy=policy.default) for _, raw in self.messages]  # type: ignore[misc]


class SmtpServer:
    """The running server: ``inbox``, ``port``, ``cert``; stop() when done."""

    def __init__(self, folder: Path, implicit_tls: bool = False) -> None:
        self.cert, key = make_certificate(folder)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, key)
        self.inbox = Inbox()
        self.port = free_port()

        def authenticator(
            server: Any, session: Any, envelope: Any, mechanism: str, auth: Any
        ) -> AuthResult:
            ok = isinstance(auth, LoginPassword) and (auth.login, auth.password) == (
                USER.encode(),
                PASSWORD.encode(),
            )
            if ok:
                self.inbox.logins.append(USER)
            return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535

        if implicit_tls:  # SMTPS (port 465 style): TLS from the first byte
            tls: dict[str, Any] = {"ssl_context": context, "auth_require_tls": False}
        else:
            tls = {"tls_context": context, "require_starttls": True}
        self.controller = Controller(
            self.inbox, hostname="127.0.0.1", port=self.port, auth_required=True,
            authenticator=authenticator, **tls,
        )  # fmt: skip
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()
