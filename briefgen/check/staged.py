"""The gate applied to a staged edition: publish nothing that fails, keep it aside with reasons."""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from briefgen.check import gate
from briefgen.errors import CheckError
from briefgen.model import Briefing
from briefgen.spec import BriefingSpec


def check_staged(
    briefing: Briefing, staging: Path, reject_dir: Path, spec: BriefingSpec
) -> list[gate.CheckResult]:
    """Run ``briefgen check`` on a rendered, not yet published briefing.

    A briefing that fails is moved aside to ``reject_dir/.rejected/<time>/`` with its reasons and
    a :class:`CheckError` says why; what was published before stays in place.
    """
    results = gate.check_model(briefing, spec.targets) + gate.check_rendered(
        briefing, staging, spec.basename, spec.targets, spec.layout
    )
    failed = [r for r in results if r.failed]
    if failed:
        kept = _set_aside(staging, reject_dir, results)
        raise CheckError(
            f"briefing not published: {failed[0].name}: {failed[0].detail}"
            + (f" (+{len(failed) - 1} more failed checks)" if len(failed) > 1 else "")
            + f"; kept aside in {kept}"
        )
    return results


def _set_aside(staging: Path, reject_dir: Path, results: Sequence[gate.CheckResult]) -> Path:
    """Keep a rejected briefing for inspection, with the reasons, out of the way."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = reject_dir / ".rejected" / stamp
    n = 1
    while target.exists():
        n += 1
        target = reject_dir / ".rejected" / f"{stamp}-{n}"
    target.parent.mkdir(parents=True, exist_ok=True)
    (staging / "REASONS.txt").write_text(gate.format_table(results) + "\n", encoding="utf-8")
    os.replace(staging, target)
    return target
