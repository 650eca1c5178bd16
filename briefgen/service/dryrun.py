"""``briefgen run --dry-run``: what a run would publish and send, with nothing built, written,
sent or recorded.

The sources are gathered as a run gathers them (files read, feeds and pages fetched: reading is
what tells whether anything is new), then compared with the state file, which is only read.
"""

from __future__ import annotations

from pathlib import Path

from briefgen.errors import BriefgenError, one_line
from briefgen.ingest.fetch import gather
from briefgen.service.config import BriefingConfig
from briefgen.service.deliver import Due, due, targets
from briefgen.service.publish import editions
from briefgen.service.state import STATE_FILE, State
from briefgen.service.webhook import redact

__all__ = ["plan"]


def _shown(channel: str, recipient: str) -> str:
    return f"post to webhook {redact(recipient)}" if channel == "webhook" else f"email {recipient}"


def plan(b: BriefingConfig, reports: Path, force: bool = False) -> tuple[list[str], bool]:
    """The lines ``--dry-run`` prints for briefing ``b``, and whether the run would succeed."""
    spec = b.spec()
    try:
        gathered = gather(b.name, b.sources, b.feeds, spec, jobs=1)
    except BriefgenError as exc:
        return [f"{b.name}: would fail: {one_line(exc)}"], False
    hashes = [a.sha256 for a in gathered.articles]
    pending: list[Due] = []
    state_file = reports / STATE_FILE
    if state_file.exists():
        with State(state_file) as state:
            new = state.unseen(b.name, hashes)
            pending = due(state, b)
    else:
        new = set(hashes)
    folder = reports / b.name
    publish = bool(new) or force or b.on_nothing_new == "build" or not editions(folder)
    articles = f"{len(gathered.articles)} articles, {len(new)} new"
    lines = [
        f"{b.name}: would publish ({articles})" if publish else f"{b.name}: would skip: nothing new"
    ]
    for d in pending:
        if d.retry:
            lines.append(f"{b.name}: would retry: {_shown(d.channel, d.recipient)} ({d.edition})")
        elif not publish:  # the newest edition, never sent to this recipient
            lines.append(f"{b.name}: would {_shown(d.channel, d.recipient)} ({d.edition})")
    if publish:
        lines += [f"{b.name}: would {_shown(c, r)} the new edition" for c, r in targets(b)]
    return lines, True
