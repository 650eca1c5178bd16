"""The command line: one-line errors, exit codes, help."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from briefgen.cli import main

SEEDS = Path(__file__).parent.parent / "seeds"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def one_line_error(output: str) -> str:
    lines = [line for line in output.strip().splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, output
    assert "Traceback" not in output
    return lines[0]


def test_every_command_has_help() -> None:
    result = run("--help")
    assert result.exit_code == 0
    for command in ("build", "extract", "schema"):
        sub = run(command, "--help")
        assert sub.exit_code == 0 and "Usage:" in sub.output
        assert command in result.output


def test_an_empty_file_alone_fails_with_a_one_line_reason_naming_it(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    result = run("build", str(empty), "-o", str(tmp_path / "out"))
    assert result.exit_code != 0
    assert "empty.txt" in one_line_error(result.output)


def test_a_binary_file_alone_fails_with_a_one_line_reason(tmp_path: Path) -> None:
    png = tmp_path / "photo.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    result = run("build", str(png), "-o", str(tmp_path / "out"))
    assert result.exit_code != 0
    assert "photo.txt" in one_line_error(result.output)


def test_a_folder_with_no_articles_fails_with_a_one_line_reason(tmp_path: Path) -> None:
    (tmp_path / "notes.csv").write_text("a,b\n")
    result = run("build", str(tmp_path), "-o", str(tmp_path / "out"))
    assert result.exit_code != 0
    assert str(tmp_path.name) in one_line_error(result.output)


def test_a_missing_path_fails_with_a_one_line_reason(tmp_path: Path) -> None:
    result = run("build", str(tmp_path / "nope"), "-o", str(tmp_path / "out"))
    assert result.exit_code != 0
    assert "nope" in one_line_error(result.output)


def test_bad_files_beside_good_ones_are_skipped_with_a_warning(tmp_path: Path) -> None:
    for seed in SEEDS.glob("*.txt"):
        (tmp_path / seed.name).write_bytes(seed.read_bytes())
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "garbage.txt").write_bytes(b"\x00\xff\xfe\x00" * 300)
    (tmp_path / "latin.txt").write_bytes(
        "Caf\u00e9 owners in Montr\u00e9al said prices rose sharply this winter.".encode("cp1252")
    )
    out = tmp_path / "out"
    result = run("build", str(tmp_path), "-o", str(out), "--formats", "json,md")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert "empty.txt" in result.output and "garbage.txt" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["briefing.json", "briefing.md"]


def test_an_unknown_format_is_refused_before_any_work(tmp_path: Path) -> None:
    result = run("build", str(SEEDS), "-o", str(tmp_path), "--formats", "pdf,odt")
    assert result.exit_code != 0
    assert "odt" in result.output
    assert not list(tmp_path.iterdir())


def test_a_failed_build_leaves_the_previous_report_in_place(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("build", str(SEEDS), "-o", str(out), "--formats", "json").exit_code == 0
    before = (out / "briefing.json").read_bytes()
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n")
    assert run("build", str(empty), "-o", str(out), "--formats", "json").exit_code != 0
    assert (out / "briefing.json").read_bytes() == before
    assert [p.name for p in out.iterdir()] == ["briefing.json"]


def test_extract_prints_the_cleaned_body_text() -> None:
    seed = sorted(SEEDS.glob("*.txt"))[0]
    result = run("extract", str(seed))
    assert result.exit_code == 0
    assert "Kassym-Jomart Tokayev" in result.output
    assert "Back to top button" not in result.output


def test_extract_json_includes_metadata() -> None:
    import json

    seed = sorted(SEEDS.glob("*.txt"))[0]
    result = run("extract", str(seed), "--json")
    data = json.loads(result.output)
    assert data["title"].startswith("Kazakhstan")
    assert "sha256" in data and "text" in data


def _console_script(*args: str) -> subprocess.CompletedProcess[str]:
    """``briefgen ARGS`` as the installed console script runs it, output through pipes."""
    code = "import sys; from briefgen.cli import entry; sys.argv[0] = 'briefgen'; entry()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120
    )


def test_the_console_script_reports_a_build_and_exits_zero_through_a_pipe(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = _console_script("build", str(SEEDS), "-o", str(out), "-q", "--formats", "md,json")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Wrote 2 files to ")  # flushed before the fast exit
    assert sorted(p.name for p in out.iterdir()) == ["briefing.json", "briefing.md"]


def test_the_console_script_keeps_exit_codes_and_errors_of_failed_commands(tmp_path: Path) -> None:
    done = _console_script("build", str(tmp_path / "missing"), "-o", str(tmp_path / "out"))
    assert done.returncode == 1
    assert one_line_error(done.stderr).endswith("missing: no such file or folder")
    assert _console_script("no-such-command").returncode == 2
