"""What ``briefgen history`` says about deliveries: per run, the emails and webhooks it sent or
failed to send."""

from __future__ import annotations

from collections.abc import Sequence

from briefgen.service.state import RunRecord, State
from briefgen.service.webhook import redact

__all__ = ["delivery_notes"]


def delivery_notes(state: State, runs: Sequence[RunRecord]) -> dict[int, str]:
    """Run id -> ``"; emailed 2, FAILED 1: desk@x (535 ...)"`` for runs that delivered."""
    notes: dict[int, str] = {}
    for run in runs:
        attempts = state.deliveries(run.briefing, run_id=run.id)
        if not attempts:
            continue
        sent = [d for d in attempts if d.status == "sent"]
        failed = [d for d in attempts if d.status != "sent"]
        parts = []
        if sent:
            parts.append(f"delivered {len(sent)}")
        if failed:
            who = ", ".join(
                f"{redact(d.recipient) if d.channel == 'webhook' else d.recipient} ({d.error})"
                for d in failed
            )
            parts.append(f"DELIVERY FAILED {len(failed)}: {who}")
        notes[run.id] = "; " + ", ".join(parts)
    return notes
