"""``briefgen run`` / ``history``: incremental runs and what the user sees."""

from __future__ import annotations

import json
import os
import shutil
import textwrap
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from briefgen.cli import main
from briefgen.service import runner as runner_module
from briefgen.service.runner import run_briefing

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
EXTRA = ROOT / "tests" / "resources" / "ingest" / "peace_board_brief.md"


def make_setup(tmp_path: Path, extra: str = "") -> Path:
    articles = tmp_path / "articles"
    articles.mkdir()
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, articles)
    config = tmp_path / "briefings.toml"
    config.write_text(
        textwrap.dedent("""\
        [[briefings]]
        name = "kz"
        title = "Kazakhstan and the Board of Peace"
        sources = ["articles/"]
        formats = ["json", "md"]
        timezone = "Asia/Almaty"
        """)
        + extra
    )
    return config


def at(day: int) -> datetime:
    return datetime(2026, 1, day, 2, 0, tzinfo=UTC)  # 07:00 in Almaty


def test_incremental_runs_mark_exactly_the_new_article(tmp_path: Path) -> None:
    config = make_setup(tmp_path)
    first = run_briefing(config, "kz", now=at(20))
    assert first.line == f"kz: published {tmp_path}/reports/kz/2026-01-20_0700 (2 articles, 2 new)"
    data = json.loads((first.edition / "kz.json").read_text())  # type: ignore[operator]
    assert data["new_since"] is None  # a first report has nothing to compare with
    assert not any(s["new"] for s in data["sources"])

    shutil.copy(EXTRA, tmp_path / "articles")
    second = run_briefing(config, "kz", now=at(21))
    assert (second.status, second.articles, second.new) == ("published", 3, 1)
    data = json.loads((second.edition / "kz.json").read_text())  # type: ignore[operator]
    assert data["new_since"] == "2026-01-20"
    new = [s for s in data["sources"] if s["new"]]
    assert [s["title"] for s in new] == ["Kazakhstan joins Board of Peace"]
    md = (second.edition / "kz.md").read_text()  # type: ignore[operator]
    assert "new since 20 January 2026: 1" in md  # the reader sees it, not only the JSON
    if any(st["new"] for st in data["key_points"] + data["bottom_line"]):
        assert "**new**" in md
    new_id = new[0]["id"]
    statements = [
        st
        for section in ("bottom_line", "key_points", "background", "outlook")
        for st in data[section]
    ]
    assert statements
    for st in statements:
        assert st["new"] == any(c["article_id"] == new_id for c in st["citations"])

    third = run_briefing(config, "kz", now=at(22))
    assert third.line == "kz: skipped: nothing new"
    assert sorted(
        p.name for p in (tmp_path / "reports" / "kz").iterdir() if not p.name.startswith(".")
    ) == ["2026-01-20_0700", "2026-01-21_0700", "feed.xml", "latest"]

    forced = run_briefing(config, "kz", force=True, now=at(23))
    assert (forced.status, forced.new) == ("published", 0)


def test_on_nothing_new_build_publishes_anyway(tmp_path: Path) -> None:
    config = make_setup(tmp_path, 'on_nothing_new = "build"\n')
    assert run_briefing(config, "kz", now=at(20)).status == "published"
    assert run_briefing(config, "kz", now=at(21)).status == "published"


def test_run_example_config_publishes_all_formats_latest_and_index(tmp_path: Path) -> None:
    reports = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["run", str(ROOT / "examples" / "briefings.toml"), "--reports", str(reports)]
    )
    assert result.exit_code == 0, result.output
    name = "kazakhstan-board-of-peace"
    (edition,) = [p for p in (reports / name).iterdir() if p.name[0].isdigit()]
    # The key points read within the config's grade target (issue #16): published, no warning.
    *warned, line = result.output.splitlines()
    assert line == f"{name}: published {edition} (2 articles, 2 new)"
    assert warned == []
    assert sorted(p.name for p in edition.iterdir()) == sorted(
        f"{name}.{ext}" for ext in ("pdf", "docx", "html", "md", "json")
    )
    assert (edition / f"{name}.pdf").read_bytes().startswith(b"%PDF")
    assert os.readlink(reports / name / "latest") == edition.name
    index = (reports / "index.html").read_text()
    assert f'href="{name}/{edition.name}/{name}.pdf">PDF</a>' in index
    assert "Kazakhstan and the Board of Peace" in index

    again = CliRunner().invoke(
        main, ["run", str(ROOT / "examples" / "briefings.toml"), "--reports", str(reports)]
    )
    assert (again.exit_code, again.output) == (0, f"{name}: skipped: nothing new\n")


def test_one_failed_briefing_gives_exit_1_and_the_others_still_run(tmp_path: Path) -> None:
    config = make_setup(
        tmp_path,
        textwrap.dedent("""
        [[briefings]]
        name = "empty"
        sources = ["nothing-here/*.txt"]
        """),
    )
    result = CliRunner().invoke(main, ["run", str(config)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if not line.startswith("Warning:")]
    assert lines[0].startswith("kz: published ")
    assert lines[1] == (
        "empty: failed: briefing 'empty': no articles from any source "
        f"(source {tmp_path}/nothing-here/*.txt: no files match this pattern)"
    )


def test_run_one_briefing_and_unknown_name(tmp_path: Path) -> None:
    config = make_setup(tmp_path)
    result = CliRunner().invoke(main, ["run", str(config), "--briefing", "nope"])
    assert result.exit_code == 1
    assert result.output == f"Error: {config}: no briefing named 'nope' (have: kz)\n"


def test_history_lists_runs_newest_first(tmp_path: Path) -> None:
    config = make_setup(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["history", str(config)]).output == "No runs yet.\n"
    run_briefing(config, "kz", now=at(20))
    run_briefing(config, "kz", now=at(21))
    result = runner.invoke(main, ["history", str(config), "--briefing", "kz"])
    assert result.exit_code == 0, result.output
    header, skipped, published = result.output.splitlines()
    assert header.split() == [
        "started",
        "(Asia/Almaty)",  # the briefing's zone, as its edition folders: 2026-01-20_0700
        "briefing",
        "status",
        "secs",
        "articles",
        "new",
        "edition",
        "/",
        "error",
    ]
    assert skipped.split()[2:] == ["kz", "skipped", "0", "2", "0", "nothing", "new"]
    assert published.split()[2:] == ["kz", "published", "0", "2", "2", "2026-01-20_0700"]
    assert skipped.split()[:2] == ["2026-01-21", "07:00"]  # 02:00 UTC
    assert published.split()[:2] == ["2026-01-20", "07:00"]


def test_history_of_briefings_in_different_zones_names_the_zone_of_each_time(
    tmp_path: Path,
) -> None:
    config = make_setup(
        tmp_path,
        textwrap.dedent("""
        [[briefings]]
        name = "ber"
        sources = ["articles/"]
        formats = ["json"]
        timezone = "Europe/Berlin"
        """),
    )
    run_briefing(config, "kz", now=at(20))
    run_briefing(config, "ber", now=at(21))
    result = CliRunner().invoke(main, ["history", str(config)])
    assert result.exit_code == 0, result.output
    header, ber, kz = result.output.splitlines()
    assert header.split()[:2] == ["started", "briefing"]
    assert ber.split()[:4] == ["2026-01-21", "03:00", "CET", "ber"]
    assert kz.split()[:4] == ["2026-01-20", "07:00", "+05", "kz"]


def _run_json(tmp_path: Path, config: Path, name: str, *args: str) -> bytes:
    reports = tmp_path / name
    result = CliRunner().invoke(
        main, ["run", str(config), "--reports", str(reports), "--now", "2026-01-20T02:00Z", *args]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == f"kz: published {reports}/kz/2026-01-20_0700 (2 articles, 2 new)\n"
    return (reports / "kz" / "latest" / "kz.json").read_bytes()


def test_run_jobs_sets_the_processes_and_not_the_briefing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = make_setup(tmp_path, "jobs = 3\n")
    seen: list[int] = []
    real = runner_module.build_edition

    def spy(ingested: Any, spec: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(spec.jobs)
        return real(ingested, spec, *args, **kwargs)

    monkeypatch.setattr(runner_module, "build_edition", spy)
    one = _run_json(tmp_path, config, "one", "--jobs", "1")
    two = _run_json(tmp_path, config, "two", "-j", "2")
    default = _run_json(tmp_path, config, "config")
    assert seen == [1, 2, 3]  # the flag overrides the config's jobs; without it, the config's
    assert one == two == default


def test_run_prints_each_warning_once_and_quiet_only_the_outcome(tmp_path: Path) -> None:
    config = tmp_path / "briefings.toml"
    make_setup(tmp_path)
    config.write_text(config.read_text().replace('["articles/"]', '["articles/", "gone/*.txt"]'))
    result = CliRunner().invoke(main, ["run", str(config)])
    assert result.exit_code == 0, result.output
    gone = [line for line in result.stderr.splitlines() if "gone/*.txt" in line]
    assert gone == [f"Warning: kz: source {tmp_path}/gone/*.txt: no files match this pattern"]
    assert len(result.stderr.splitlines()) == len(set(result.stderr.splitlines()))

    for args in (["-q", "run", str(config), "--force"], ["run", str(config), "--force", "-q"]):
        quiet = CliRunner().invoke(main, args)
        assert quiet.exit_code == 0, quiet.output
        assert quiet.stderr == ""
        assert quiet.stdout.startswith("kz: published ")


def test_run_verbose_shows_the_briefings_stages(tmp_path: Path) -> None:
    config = make_setup(tmp_path)
    result = CliRunner().invoke(main, ["run", "-v", str(config)])
    assert result.exit_code == 0, result.output
    assert "kz: summarize: " in result.stderr and "kz: check: " in result.stderr
    assert result.stdout.startswith("kz: published ")


def test_a_run_failing_its_checks_is_not_published_and_the_previous_edition_stays(
    tmp_path: Path,
) -> None:
    config = make_setup(tmp_path)
    first = run_briefing(config, "kz", now=at(20))
    assert first.status == "published"
    strict = config.read_text() + "\n[briefings.readability]\nmax_grade = 5\nstrict = true\n"
    config.write_text(strict)
    shutil.copy(EXTRA, tmp_path / "articles")
    second = run_briefing(config, "kz", now=at(21))
    assert second.status == "failed"
    assert "not published" in second.message and "grade" in second.message
    folder = tmp_path / "reports" / "kz"
    assert os.readlink(folder / "latest") == first.edition.name  # type: ignore[union-attr]
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == [
        first.edition.name,  # type: ignore[union-attr]
        "feed.xml",
        "latest",
    ]
    assert list((folder / ".rejected").iterdir())


def test_a_second_edition_lists_what_changed_since_the_first(tmp_path: Path) -> None:
    config = make_setup(tmp_path)
    run_briefing(config, "kz", now=at(20))
    shutil.copy(EXTRA, tmp_path / "articles")
    second = run_briefing(config, "kz", now=at(21))
    data = json.loads((second.edition / "kz.json").read_text())  # type: ignore[operator]
    assert data["changes"] is not None
    assert data["changes"]["new_points"] or data["changes"]["new_actors"]
