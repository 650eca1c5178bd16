"""Print the mutation score of the last `mutmut run` and every surviving mutant (`make mutation`).

Score = (killed + timed out) / (all - skipped), mutmut's own formula; a mutant no test reaches
("no tests") counts as surviving.  Exits 1 when there is no mutation data.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

STATS = Path("mutants/mutmut-cicd-stats.json")


def main() -> int:
    mutmut = str(Path(sys.executable).with_name("mutmut"))
    subprocess.run([mutmut, "export-cicd-stats"], check=False, capture_output=True)
    if not STATS.exists():
        print("Error: no mutation data: run `mutmut run` first", file=sys.stderr)
        return 1
    stats = json.loads(STATS.read_text(encoding="utf-8"))
    tested = int(stats["total"]) - int(stats.get("skipped", 0))
    killed = int(stats["killed"]) + int(stats.get("timeout", 0))
    score = killed / tested if tested else 0.0
    print(
        f"mutation score {score:.1%}: {killed} of {tested} mutants killed "
        f"({stats.get('survived', 0)} survived, {stats.get('no_tests', 0)} reached by no test, "
        f"{stats.get('suspicious', 0)} suspicious)"
    )
    done = subprocess.run([mutmut, "results"], check=False, capture_output=True, text=True)
    print("surviving mutants (`mutmut show NAME` prints one):")
    print(done.stdout.rstrip() or "  none")
    return 0


if __name__ == "__main__":
    sys.exit(main())
