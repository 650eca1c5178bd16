"""Soak test: many scheduled runs on a compressed clock, checking nothing is ever lost or partial.

Calls :func:`briefgen.service.runner.run_briefing` once per fire time of a cron schedule (default
every 6 hours, 200 runs = 50 days), with a fake "now".  Every third run a new article replaces the
oldest (six in view, like a feed), so runs are a mix of builds and "nothing new" skips.  Failures
are injected: a renderer that raises (a failed run), and the debris of a run killed with
``kill -9`` (a temp folder and a run left "running") that the next run must sweep.  After every
run it checks that ``latest`` points to a complete edition, no partial folder is in view, and at
most ``keep`` editions remain.

Formats are json, md and html for most runs and add pdf every 10th build, to keep it fast.

    .venv/bin/python benchmarks/soak.py             # 200 runs
    .venv/bin/python benchmarks/soak.py --runs 50 --keep 3 --dir /tmp/soak
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from briefgen import render
from briefgen.errors import RenderError
from briefgen.service.config import load_config
from briefgen.service.publish import LATEST, editions
from briefgen.service.runner import run_briefing, state_path
from briefgen.service.schedule import cron_trigger, fire_times
from briefgen.service.state import State

COUNTRIES = [
    "Kazakhstan",
    "Uzbekistan",
    "Kyrgyzstan",
    "Tajikistan",
    "Turkmenistan",
    "Mongolia",
    "Azerbaijan",
    "Georgia",
    "Armenia",
    "Turkey",
    "China",
    "Russia",
    "India",
    "Iran",
]
TOPICS = [
    "a rail corridor",
    "a water-sharing treaty",
    "a grain export quota",
    "a power line",
    "a customs union",
    "a gas pipeline",
    "a border crossing",
    "a peace framework",
    "a uranium supply deal",
    "a fibre-optic cable",
    "a drought relief fund",
]
VERBS = [
    "signed",
    "announced",
    "rejected",
    "postponed",
    "welcomed",
    "criticised",
    "approved",
    "questioned",
    "extended",
    "suspended",
]
PEOPLE = [
    "Aigerim",
    "Timur",
    "Dilnoza",
    "Bakyt",
    "Nodira",
    "Rustam",
    "Saule",
    "Farrukh",
    "Gulnara",
    "Erlan",
    "Madina",
    "Anvar",
]
SURNAMES = ["Nurpeisova", "Karimov", "Abdullaeva", "Sadykov", "Yusupova", "Tokhtarov"]


WINDOW = 6  # articles in the sources at any time


def synthetic_article(n: int) -> str:
    """A distinct, plausible news text (distinct enough that dedupe keeps every one)."""
    rng = random.Random(n)
    a, b = rng.sample(COUNTRIES, 2)
    topic = rng.choice(TOPICS)
    person = f"{rng.choice(PEOPLE)} {rng.choice(SURNAMES)}"
    title = f"{a} and {b} {rng.choice(VERBS)} {topic} (report {n})"
    sentences = [
        f"{a} and {b} {rng.choice(VERBS)} {topic} on day {n} of the talks, officials said.",
        f"The deal is worth {rng.randint(2, 900)} million dollars over {rng.randint(2, 15)} years.",
        f"{person}, who led the {a} delegation, said the agreement had taken {rng.randint(3, 40)}"
        f" months to negotiate.",
        f"Critics in {b} {rng.choice(VERBS)} the terms, saying {rng.randint(10, 90)} percent of"
        f" the cost would fall on {rng.choice(COUNTRIES)}.",
        f"Analysts expect {topic} to affect trade with {rng.choice(COUNTRIES)} by"
        f" {2026 + rng.randint(1, 9)}.",
        f"A second round of talks is planned in {rng.choice(COUNTRIES)} in"
        f" {rng.choice(['March', 'May', 'July', 'October'])}, according to {person}.",
        f"Observers counted {rng.randint(5, 60)} delegations at the meeting, {rng.randint(2, 9)}"
        " more than last year.",
    ]
    rng.shuffle(sentences)
    return f"{title}\n\n" + "\n\n".join(sentences) + "\n"


class InjectedFailure:
    """Stands in for the Markdown renderer for one run: a failed run must publish nothing."""

    extension = "md"
    needs_context = True

    def render(self, *_args: object) -> None:
        raise RenderError("md: injected failure")


def leave_kill_debris(folder: Path, state_file: Path, now: datetime) -> None:
    """What ``kill -9`` mid-render leaves: a hidden partial folder and a run left 'running'."""
    debris = folder / ".tmp-killed"
    debris.mkdir(parents=True, exist_ok=True)
    (debris / "soak.json").write_text('{"partial": ')
    with State(state_file) as state:
        state.start_run("soak", now)


def check(reports: Path, keep: int, formats_of: dict[str, list[str]]) -> list[str]:
    """Invariants a reader relies on after any run, whatever happened in it."""
    problems = []
    folder = reports / "soak"
    if not folder.exists():
        return problems
    found = editions(folder)
    if len(found) > keep:
        problems.append(f"{len(found)} editions kept, keep = {keep}")
    link = folder / LATEST
    if found and (not link.is_symlink() or os.readlink(link) != found[0].name):
        problems.append(f"latest does not point to the newest edition {found[0].name}")
    for edition in found:
        want = sorted(f"soak.{f}" for f in formats_of.get(edition.name, []))
        have = sorted(p.name for p in edition.iterdir())
        if have != want:
            problems.append(f"{edition.name}: files {have}, expected {want}")
        json.loads((edition / "soak.json").read_text())  # complete, parseable JSON
    for p in folder.iterdir():
        if not p.name.startswith(".") and p.name != LATEST and p not in found:
            problems.append(f"unexpected visible entry {p.name}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--keep", type=int, default=5)
    parser.add_argument("--schedule", default="0 */6 * * *")
    parser.add_argument("--dir", type=Path, help="Work folder (default: a temp folder, removed).")
    args = parser.parse_args()

    work = args.dir or Path(tempfile.mkdtemp(prefix="briefgen-soak-"))
    articles, reports = work / "articles", work / "reports"
    articles.mkdir(parents=True, exist_ok=True)
    config_path = work / "soak.toml"
    config_path.write_text(
        f'[[briefings]]\nname = "soak"\nsources = ["articles/"]\nformats = ["json", "md", "html"]'
        f'\nschedule = "{args.schedule}"\nkeep = {args.keep}\n'
    )
    config = load_config(config_path)
    base = config.briefings[0]
    with_pdf = config.model_copy(
        update={"briefings": [base.model_copy(update={"formats": ["json", "md", "html", "pdf"]})]}
    )
    times = fire_times(
        cron_trigger(args.schedule, "UTC"), datetime(2026, 1, 1, tzinfo=UTC), args.runs
    )
    for n in range(3):
        (articles / f"{n:04d}.txt").write_text(synthetic_article(n))
    next_article = 3

    counts: Counter[str] = Counter()
    injected = Counter[str]()
    formats_of: dict[str, list[str]] = {}
    problems: list[str] = []
    builds = 0
    started = time.perf_counter()
    real_md = render.RENDERERS["md"]
    for i, now in enumerate(times):
        if i and i % 3 == 0:  # sources change every few runs: like a feed, newest 6 shown
            (articles / f"{next_article:04d}.txt").write_text(synthetic_article(next_article))
            (articles / f"{next_article - WINDOW:04d}.txt").unlink(missing_ok=True)
            next_article += 1
        if i and i % 29 == 0:
            leave_kill_debris(reports / "soak", state_path(reports), now)
            injected["kill -9 debris"] += 1
        fail = i % 24 == 12  # a run with a new article, so it would build
        if fail:
            render.RENDERERS["md"] = InjectedFailure()
            injected["render failure"] += 1
        cfg = with_pdf if i % 10 == 9 else config
        try:
            outcome = run_briefing(cfg, "soak", reports, False, now=now)
        finally:
            render.RENDERERS["md"] = real_md
        counts[outcome.status] += 1
        if outcome.status == "published":
            assert outcome.edition is not None
            builds += 1
            formats_of[outcome.edition.name] = list(cfg.briefings[0].formats)
        elif outcome.status == "failed" and not fail:
            problems.append(f"run {i}: unexpected failure: {outcome.message}")
        problems += [f"run {i}: {p}" for p in check(reports, args.keep, formats_of)]
    elapsed = time.perf_counter() - started

    with State(state_path(reports)) as state:
        history = Counter(r.status for r in state.runs("soak", limit=10 * args.runs))
    if history["published"] != counts["published"] or history["failed"] != counts["failed"]:
        problems.append(f"state file disagrees: {dict(history)} vs {dict(counts)}")
    if counts["failed"] != injected["render failure"]:
        problems.append(f"{counts['failed']} failed runs, {injected['render failure']} injected")
    if history["interrupted"] != injected["kill -9 debris"]:
        problems.append(
            f"{history['interrupted']} interrupted runs recorded, "
            f"{injected['kill -9 debris']} injected"
        )
    leftovers = [p.name for p in (reports / "soak").iterdir() if p.name.startswith(".tmp-")]
    index = (reports / "index.html").read_text()
    missing = [e.name for e in editions(reports / "soak") if f"soak/{e.name}/" not in index]
    if missing:
        problems.append(f"index.html misses editions {missing}")

    print(
        f"soak: {args.runs} runs ({args.schedule!r} from 2026-01-01, "
        f"{next_article} articles written) in {elapsed:.1f} s ({elapsed / args.runs:.2f} s/run)"
    )
    print(
        f"  published {counts['published']} (pdf in {sum('pdf' in f for f in formats_of.values())}"
        f"), skipped {counts['skipped']}, failed {counts['failed']}"
    )
    print(
        f"  injected: {injected['render failure']} render failures, "
        f"{injected['kill -9 debris']} kill -9 leftovers (swept: {not leftovers})"
    )
    print(
        f"  kept {len(editions(reports / 'soak'))} editions (keep = {args.keep}), "
        f"latest -> {os.readlink(reports / 'soak' / LATEST)}"
    )
    if problems:
        print(f"FAILED: {len(problems)} problems", *problems[:20], sep="\n  ")
    else:
        print(
            "  checks: ok (latest valid and complete after every run, no partial folder in "
            "view, state and index agree)"
        )
    if args.dir is None:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
