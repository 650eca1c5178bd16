"""Run axe-core (npm) on an HTML file in headless Chromium (Debian's ``chromium``), no server.

The page is copied beside a copy of ``axe.min.js`` with two script tags added at the end of its
body: axe-core, and a runner that writes axe's violations as JSON into a ``<pre>`` appended after
the run.  ``chromium --headless --dump-dom`` (with a virtual time budget, so the asynchronous
run finishes) prints the DOM, and the JSON is read back from it.  ``scripts/setup.sh`` installs
both tools; :func:`find_tools` says what is missing.

    python -m tests.a11y reports/briefing.html reports/index.html   # counts by impact
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
AXE_CANDIDATES = (
    ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js",
    ROOT / "node_modules" / "axe-core" / "axe.min.js",
)
RUNNER = """<script src="axe.min.js"></script>
<script>
axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
  "best-practice"]}, resultTypes: ["violations"]}).then(function (r) {
  var out = document.createElement("pre");
  out.id = "axe-results";
  out.textContent = JSON.stringify(r.violations.map(function (v) {
    return {id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(function (n) { return n.target.join(" "); })};
  }));
  document.body.appendChild(out);
});
</script>
"""
_RESULT = re.compile(r'<pre id="axe-results">(.*?)</pre>', re.DOTALL)


def find_tools() -> tuple[str | None, Path | None, str]:
    """Chromium's executable, axe.min.js, and what is missing ("" when both were found)."""
    chromium = os.environ.get("BRIEFGEN_CHROMIUM") or next(
        (found for name in ("chromium", "chromium-browser") if (found := shutil.which(name))),
        None,
    )
    env_axe = os.environ.get("AXE_CORE_JS")
    axe = next(
        (p for p in (*((Path(env_axe),) if env_axe else ()), *AXE_CANDIDATES) if p.is_file()),
        None,
    )
    missing = []
    if chromium is None:
        missing.append("chromium (Debian package 'chromium')")
    if axe is None:
        missing.append("axe-core (npm install --prefix .cache/axe axe-core)")
    return chromium, axe, ("not installed: " + ", ".join(missing)) if missing else ""


def run_axe(page: Path, timeout: float = 120) -> list[dict[str, Any]]:
    """axe-core's violations on ``page`` (WCAG 2.0/2.1 A and AA rules and best practices)."""
    chromium, axe, missing = find_tools()
    if chromium is None or axe is None:
        raise RuntimeError(missing)
    with tempfile.TemporaryDirectory(prefix="axe-") as tmp:
        folder = Path(tmp)
        shutil.copy(axe, folder / "axe.min.js")
        text = page.read_text(encoding="utf-8")
        cut = text.rfind("</body>")
        text = text[:cut] + RUNNER + text[cut:] if cut >= 0 else text + RUNNER
        target = folder / "page.html"
        target.write_text(text, encoding="utf-8")
        done = subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",  # as root (CI) Chromium refuses to start with its sandbox
                "--disable-gpu",
                "--no-first-run",
                f"--user-data-dir={folder / 'profile'}",
                "--virtual-time-budget=20000",
                "--dump-dom",
                target.as_uri(),
            ],
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    found = _RESULT.search(done.stdout.decode("utf-8", errors="replace"))
    if found is None:
        err = done.stderr.decode("utf-8", errors="replace").strip().splitlines()[-3:]
        raise RuntimeError(f"axe-core did not report on {page} (chromium: {' | '.join(err)})")
    violations: list[dict[str, Any]] = json.loads(html.unescape(found.group(1)))
    return violations


def counts(violations: list[dict[str, Any]]) -> dict[str, int]:
    """Violations (rules broken) by impact: critical, serious, moderate, minor."""
    found = Counter(v.get("impact") or "unknown" for v in violations)
    return {k: found.get(k, 0) for k in ("critical", "serious", "moderate", "minor")}


if __name__ == "__main__":  # pragma: no cover - a reporting aid
    for name in sys.argv[1:]:
        result = run_axe(Path(name))
        print(f"{name}: {counts(result)}")
        for v in result:
            print(f"  {v['impact']}: {v['id']}: {v['help']} ({len(v['nodes'])} nodes)")
