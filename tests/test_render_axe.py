"""The HTML a reader opens meets WCAG 2.1 AA as axe-core checks it in headless Chromium: a
briefing (with every section, and as a one-page brief) and the reports index."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefgen.model import Briefing
from briefgen.render import render
from briefgen.service.publish import write_index
from tests.a11y import counts, find_tools, run_axe
from tests.test_render_parity import full_briefing

CHROMIUM, AXE, MISSING = find_tools()
pytestmark = pytest.mark.skipif(bool(MISSING), reason=f"{MISSING} (scripts/setup.sh installs it)")


def _serious(violations: list[dict]) -> list[str]:
    return [
        f"{v['impact']}: {v['id']} ({v['help']}): {', '.join(v['nodes'][:3])}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def test_a_briefing_with_every_section_has_no_serious_axe_violation(
    briefing_builder, tmp_path: Path
) -> None:
    render(full_briefing(briefing_builder()), tmp_path, ["html"])
    violations = run_axe(tmp_path / "briefing.html")
    print("briefing.html axe-core:", counts(violations))
    assert _serious(violations) == []


def test_the_one_page_brief_has_no_serious_axe_violation(briefing_builder, tmp_path: Path):
    render(briefing_builder(), tmp_path, ["html"], layout="brief")
    violations = run_axe(tmp_path / "briefing.html")
    print("brief axe-core:", counts(violations))
    assert _serious(violations) == []


def test_the_reports_index_has_no_serious_axe_violation(briefing_builder, tmp_path: Path):
    briefing: Briefing = briefing_builder()
    edition = tmp_path / "kazakhstan" / "2026-01-24_0700"
    render(briefing, edition, ["html", "json"], basename="kazakhstan")
    os.symlink("2026-01-24_0700", tmp_path / "kazakhstan" / "latest")
    index = write_index(tmp_path, now=datetime(2026, 1, 24, 7, 5, tzinfo=UTC))
    violations = run_axe(index)
    print("index.html axe-core:", counts(violations))
    assert _serious(violations) == []


def test_axe_finds_what_it_should_so_a_pass_means_something(tmp_path: Path) -> None:
    page = tmp_path / "bad.html"
    page.write_text(
        "<!DOCTYPE html><html><head><title>t</title></head><body><main><h1>t</h1>"
        '<p style="color:#bbb">faint</p><a href="#x"></a></main></body></html>'
    )
    found = {v["id"] for v in run_axe(page)}
    assert {"html-has-lang", "color-contrast", "link-name"} <= found
