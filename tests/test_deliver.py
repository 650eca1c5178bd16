"""Email delivery of published editions: against a real SMTP server on 127.0.0.1 with STARTTLS
and AUTH (tests/smtp_server.py), including a server that fails and then recovers."""

from __future__ import annotations

import json
import shutil
import textwrap
from collections.abc import Iterator
from datetime import UTC, datetime
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.cli import main
from briefgen.errors import ConfigError
from briefgen.service.config import load_config
from briefgen.service.digest import Digest, Point, SourceLine
from briefgen.service.mail import compose
from briefgen.service.runner import run_briefing
from briefgen.service.smtpconfig import SmtpConfig
from tests.smtp_server import PASSWORD, USER, SmtpServer

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
EXTRA = ROOT / "tests" / "resources" / "ingest" / "peace_board_brief.md"


@pytest.fixture
def smtp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpServer]:
    server = SmtpServer(tmp_path)
    monkeypatch.setenv("TEST_SMTP_PASSWORD", PASSWORD)
    yield server
    server.stop()


def setup(tmp_path: Path, server: SmtpServer, extra: str = "", smtp_extra: str = "") -> Path:
    articles = tmp_path / "articles"
    articles.mkdir()
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, articles)
    config = tmp_path / "briefings.toml"
    config.write_text(
        textwrap.dedent(f"""\
        reports_url = "https://briefings.example.org/reports/"

        [smtp]
        host = "127.0.0.1"
        port = {server.port}
        security = "starttls"
        username = "{USER}"
        password_env = "TEST_SMTP_PASSWORD"
        from = "Briefings <{USER}>"
        ca_file = "{server.cert}"
        """)
        + smtp_extra
        + textwrap.dedent("""
        [[briefings]]
        name = "kz"
        title = "Kazakhstan and the Board of Peace"
        sources = ["articles/"]
        formats = ["md"]
        timezone = "Asia/Almaty"
        email_to = ["desk@example.org", "Analyst <analyst@example.org>"]
        email_formats = ["md"]
        """)
        + extra
    )
    return config


def at(day: int) -> datetime:
    return datetime(2026, 1, day, 2, 0, tzinfo=UTC)


def test_published_edition_is_emailed_once_per_recipient_with_parts_and_attachment(
    tmp_path: Path, smtp: SmtpServer
) -> None:
    config = setup(tmp_path, smtp)
    outcome = run_briefing(config, "kz", now=at(20))
    assert outcome.status == "published" and outcome.ok
    assert outcome.deliveries == (
        "kz: emailed desk@example.org (2026-01-20_0700)",
        "kz: emailed Analyst <analyst@example.org> (2026-01-20_0700)",
    )
    assert smtp.inbox.logins == [USER]  # one connection, logged in once, after STARTTLS
    assert [rcpt for rcpt, _ in smtp.inbox.messages] == [
        ["desk@example.org"],
        ["analyst@example.org"],
    ]
    msg = smtp.inbox.parsed()[0]
    assert msg["Subject"] == "Kazakhstan and the Board of Peace — 20 January 2026"
    assert msg["From"] == f"Briefings <{USER}>" and msg["To"] == "desk@example.org"
    assert msg["Date"] and msg["Message-ID"].endswith("@example.org>")
    data = json.loads((outcome.edition / "kz.json").read_text())  # type: ignore[operator]
    text = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = msg.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert data["bottom_line"][0]["text"] in text
    assert all(p["text"] in text for p in data["key_points"])
    assert "KEY POINTS" in text and "SOURCES" in text and "[1]" in text
    link = "https://briefings.example.org/reports/kz/2026-01-20_0700/"
    assert f"The full edition: {link}" in text and f'href="{link}"' in html
    (attachment,) = list(msg.iter_attachments())
    assert attachment.get_filename() == "kz.md"
    assert attachment.get_content() == (outcome.edition / "kz.md").read_text()  # type: ignore[operator]

    again = run_briefing(config, "kz", now=at(21))  # nothing new: skipped, nothing sent
    assert (again.status, again.deliveries) == ("skipped", ())
    assert len(smtp.inbox.messages) == 2


def test_failed_send_is_reported_and_retried_next_run_without_rebuilding(
    tmp_path: Path, smtp: SmtpServer
) -> None:
    config = setup(tmp_path, smtp)
    smtp.inbox.failing = True
    runner = CliRunner()
    first = runner.invoke(main, ["run", str(config), "--now", "2026-01-20T02:00Z"])
    assert first.exit_code == 1, first.output  # published, but not delivered: a failed run
    lines = [x for x in first.output.splitlines() if not x.startswith("Warning:")]
    assert lines[0].startswith("kz: published ")
    assert lines[1] == (
        "kz: email to desk@example.org failed (2026-01-20_0700): 451 4.3.0 Mail server "
        "temporarily unavailable; retried on the next run"
    )
    history = runner.invoke(main, ["history", str(config)]).output
    assert "DELIVERY FAILED 2: desk@example.org (451 4.3.0" in history
    assert smtp.inbox.messages == []

    dry = runner.invoke(main, ["run", str(config), "--dry-run"])
    assert dry.output.splitlines() == [
        "kz: would skip: nothing new",
        "kz: would retry: email desk@example.org (2026-01-20_0700)",
        "kz: would retry: email Analyst <analyst@example.org> (2026-01-20_0700)",
    ]

    smtp.inbox.failing = False  # the server recovers; no article is new
    second = runner.invoke(main, ["run", str(config), "--now", "2026-01-21T02:00Z"])
    assert second.exit_code == 0, second.output
    assert second.output.splitlines() == [
        "kz: skipped: nothing new",
        "kz: emailed desk@example.org (2026-01-20_0700)",
        "kz: emailed Analyst <analyst@example.org> (2026-01-20_0700)",
    ]
    editions = [p.name for p in (tmp_path / "reports" / "kz").iterdir() if p.name[0].isdigit()]
    assert editions == ["2026-01-20_0700"]  # sent from the published edition, not rebuilt
    assert "delivered 2" in runner.invoke(main, ["history", str(config)]).output

    third = runner.invoke(main, ["run", str(config), "--now", "2026-01-22T02:00Z"])
    assert third.output == "kz: skipped: nothing new\n" and len(smtp.inbox.messages) == 2


def test_a_retry_carries_the_same_message_id_as_the_first_attempt(
    tmp_path: Path, smtp: SmtpServer
) -> None:
    config = setup(tmp_path, smtp)
    smtp.inbox.failing = True
    run_briefing(config, "kz", now=at(20))
    smtp.inbox.failing = False
    shutil.copy(EXTRA, tmp_path / "articles")
    run_briefing(config, "kz", now=at(21))  # retries the first edition, sends the second
    got = [(m["Subject"], m["Message-ID"], m["To"]) for m in smtp.inbox.parsed()]
    assert [s for s, _, _ in got] == [
        "Kazakhstan and the Board of Peace — 20 January 2026",
        "Kazakhstan and the Board of Peace — 20 January 2026",
        "Kazakhstan and the Board of Peace — 21 January 2026",
        "Kazakhstan and the Board of Peace — 21 January 2026",
    ]
    assert len({mid for _, mid, _ in got}) == 4


def test_wrong_password_and_missing_password_fail_with_the_reason(
    tmp_path: Path, smtp: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = setup(tmp_path, smtp)
    monkeypatch.setenv("TEST_SMTP_PASSWORD", "wrong")
    outcome = run_briefing(config, "kz", now=at(20))
    assert not outcome.ok and outcome.undelivered == 2
    assert "535" in outcome.deliveries[0] and "retried on the next run" in outcome.deliveries[0]
    monkeypatch.delenv("TEST_SMTP_PASSWORD")
    retry = run_briefing(config, "kz", now=at(21))
    assert "the SMTP password variable TEST_SMTP_PASSWORD is not set" in retry.deliveries[0]
    assert smtp.inbox.messages == []


def test_files_over_the_size_limit_are_linked_not_attached(
    tmp_path: Path, smtp: SmtpServer
) -> None:
    config = setup(tmp_path, smtp, smtp_extra='max_attachment_size = "1kB"\n')
    run_briefing(config, "kz", now=at(20))
    msg = smtp.inbox.parsed()[0]
    assert list(msg.iter_attachments()) == []
    text = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "are over the 1 kB email limit and are not attached; they are at " in text
    assert "https://briefings.example.org/reports/kz/2026-01-20_0700/" in text


def test_dry_run_shows_what_would_be_published_and_sent_and_sends_nothing(
    tmp_path: Path, smtp: SmtpServer
) -> None:
    config = setup(tmp_path, smtp)
    result = CliRunner().invoke(main, ["run", str(config), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "kz: would publish (2 articles, 2 new)",
        "kz: would email desk@example.org the new edition",
        "kz: would email Analyst <analyst@example.org> the new edition",
    ]
    assert smtp.inbox.messages == [] and not (tmp_path / "reports" / "kz").exists()


def test_article_text_cannot_inject_headers() -> None:
    digest = Digest(
        briefing="kz",
        edition="2026-01-20_0700",
        title="Peace\r\nBcc: victim@example.com\r\nX-Evil: 1",
        generated_at="2026-01-20T02:00:00+00:00",
        timezone="UTC",
        bottom_line=[Point("A line.\r\nBcc: x@example.com", [1])],
        key_points=[],
        sources=[SourceLine(1, "T\nBcc: y@example.com", None, None)],
    )
    smtp = SmtpConfig.model_validate({"host": "127.0.0.1", "from": "b@example.org"})
    msg = compose(
        digest, smtp=smtp, recipient="desk@example.org", folder=Path("/nonexistent"),
        link="https://x.example/", formats=["pdf"], now=at(20),
    )  # fmt: skip
    sent = message_from_bytes(msg.as_bytes(), policy=policy.default)
    assert sent.keys() == [
        "Subject", "From", "To", "Date", "Message-ID", "Auto-Submitted", "MIME-Version",
        "Content-Type",
    ]  # fmt: skip
    assert sent["Subject"] == "Peace Bcc: victim@example.com X-Evil: 1 — 20 January 2026"


@pytest.mark.parametrize(
    ("table", "problem"),
    [
        (
            '[smtp]\nhost = "h"\nfrom = "b@example.org"\npassword = "hunter2"\n',
            "never write the password",
        ),
        ('[smtp]\nhost = "h"\nfrom = "not an address"\n', "not one email address"),
        ("", "has email_to but there is no [smtp] table"),
    ],
)
def test_config_refuses_passwords_bad_addresses_and_email_without_smtp(
    tmp_path: Path, table: str, problem: str
) -> None:
    (tmp_path / "a").mkdir()
    config = tmp_path / "c.toml"
    config.write_text(
        table + '[[briefings]]\nname = "kz"\nsources = ["a/"]\nemail_to = ["d@example.org"]\n'
    )
    with pytest.raises(ConfigError, match=problem.replace("[", r"\[").replace("]", r"\]")):
        load_config(config)


# aiosmtpd warns that SMTPS with AUTH "does not require TLS": it is TLS from the first byte.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_implicit_tls_server_and_a_plain_connection_refused_by_a_starttls_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEST_SMTP_PASSWORD", PASSWORD)
    server = SmtpServer(tmp_path, implicit_tls=True)
    try:
        config = setup(tmp_path, server)
        config.write_text(config.read_text().replace('"starttls"', '"ssl"'))
        outcome = run_briefing(config, "kz", now=at(20))
        assert outcome.ok and len(server.inbox.messages) == 2
    finally:
        server.stop()

    (tmp_path / "plain").mkdir()
    plain = SmtpServer(tmp_path / "plain")
    try:
        config.write_text(
            config.read_text()
            .replace('"ssl"', '"none"')
            .replace(f"port = {server.port}", f"port = {plain.port}")
        )
        outcome = run_briefing(config, "kz", force=True, now=at(21))
        assert outcome.undelivered == 2 and plain.inbox.messages == []
        assert outcome.deliveries[0].endswith(
            ": SMTP AUTH extension not supported by server. (many servers offer AUTH only "
            'over TLS: try security = "starttls"); retried on the next run'
        ), outcome.deliveries[0]
    finally:
        plain.stop()
