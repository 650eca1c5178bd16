"""The ``[smtp]`` table of a config: the mail server editions are emailed through.

The password is never written in the file: ``password_env`` names the environment variable that
holds it, read when a message is sent (so a config can be shared, and ``briefgen run --dry-run``
needs no secret).
"""

from __future__ import annotations

import os
import re
from email.headerregistry import Address
from email.utils import getaddresses
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from briefgen.errors import DeliveryError
from briefgen.spec import parse_size

__all__ = ["SmtpConfig", "check_address"]

DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def check_address(value: str) -> str:
    """One email address, optionally with a display name; refuse anything that could inject a
    header (line breaks, control characters) or hold several addresses."""
    if _CONTROL.search(value):
        raise ValueError(f"{value!r}: control characters or line breaks in an address")
    found = getaddresses([value])
    if len(found) != 1 or "@" not in found[0][1] or " " in found[0][1].strip():
        raise ValueError(f"{value!r}: not one email address")
    local, _, domain = found[0][1].rpartition("@")
    if not local or "." not in domain:
        raise ValueError(f"{value!r}: not one email address")
    return value.strip()


class SmtpConfig(BaseModel):
    """How editions are emailed: the server, its security, the sender and the size limit."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    host: str = Field(description="Mail server (SMTP submission).")
    port: int | None = Field(None, ge=1, le=65535, description="Default: 587, 465 or 25.")
    security: Literal["starttls", "ssl", "none"] = "starttls"
    username: str | None = Field(None, description="Login; none: no AUTH.")
    password_env: str | None = Field(
        None, description="Environment variable holding the password (never the password)."
    )
    sender: str = Field(alias="from", description='From: header, e.g. "Briefings <b@x.org>".')
    ca_file: str | None = Field(
        None, description="CA certificate (PEM) to trust besides the system's, e.g. a private CA."
    )
    timeout: float = Field(30.0, gt=0, le=600, description="Seconds per SMTP connection step.")
    max_attachment_size: int = Field(
        10_000_000, gt=0, description="Above this many bytes in all, files are linked, not sent."
    )

    @model_validator(mode="before")
    @classmethod
    def _no_password(cls, data: Any) -> Any:
        if isinstance(data, dict) and "password" in data:
            raise ValueError(
                "password: never write the password in the file; set password_env to the name "
                "of an environment variable holding it"
            )
        if isinstance(data, dict) and isinstance(data.get("max_attachment_size"), str):
            data = {**data, "max_attachment_size": parse_size(data["max_attachment_size"])}
        return data

    @field_validator("sender")
    @classmethod
    def _sender(cls, value: str) -> str:
        return check_address(value)

    @field_validator("host")
    @classmethod
    def _host(cls, value: str) -> str:
        if not value.strip() or _CONTROL.search(value) or " " in value.strip():
            raise ValueError(f"{value!r}: not a host name")
        return value.strip()

    @property
    def port_number(self) -> int:
        return self.port or DEFAULT_PORTS[self.security]

    @property
    def from_address(self) -> Address:
        name, addr = getaddresses([self.sender])[0]
        user, _, domain = addr.rpartition("@")
        return Address(display_name=name, username=user, domain=domain)

    def password(self) -> str | None:
        """The password from ``password_env``; DeliveryError when the variable is not set."""
        if self.username is None:
            return None
        if not self.password_env:
            raise DeliveryError("[smtp] has a username but no password_env")
        value = os.environ.get(self.password_env)
        if value is None:
            raise DeliveryError(f"the SMTP password variable {self.password_env} is not set")
        return value
