"""The command line: one-line errors, exit codes, help."""

from __future__ import annotations

import io
import logging
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen import cli
from briefgen import log as logs
from briefgen.cli import entry, main

SEEDS = Path(__file__).parent.parent / "seeds"
SEED = sorted(SEEDS.glob("*.txt"))[0]


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


# --------------------------------------------------------------------------- exit codes
# 0 success; 1 failed (bad input, a briefing not published, a failed check); 2 wrong command
# line; 3 internal error; 130 interrupted.  The same for every command.

COMMANDS = ("build", "extract", "check", "verify", "run", "schedule", "history", "schema")


def test_exit_0_for_a_build_and_the_commands_that_only_print(tmp_path: Path) -> None:
    result = run("build", str(SEEDS), "-o", str(tmp_path / "out"), "--formats", "json")
    assert result.exit_code == 0, result.output
    assert run("schema").exit_code == 0
    assert run("extract", str(sorted(SEEDS.glob("*.txt"))[0])).exit_code == 0
    assert run("check", str(tmp_path / "out" / "briefing.json")).exit_code == 0


@pytest.mark.parametrize("command", COMMANDS)
def test_exit_2_for_an_unknown_option_of_every_command(command: str) -> None:
    result = run(command, "--no-such-option")
    assert result.exit_code == 2, result.output
    assert "No such option" in one_line_error(result.output)


@pytest.mark.parametrize(
    "args",
    [
        ("no-such-command",),
        ("build",),  # PATHS missing
        ("build", str(SEEDS), "--formats", "pdf,odt"),
        ("build", str(SEEDS), "--max-pages", "0"),
        ("build", str(SEEDS), "--now", "yesterday"),
        ("build", str(SEEDS), "--executor", "dask://"),
        ("run", "briefings.toml", "--executor", "yarn"),
        ("history", "briefings.toml", "--limit", "many"),
        ("schedule", "briefings.toml", "--print", "launchd"),
    ],
)
def test_exit_2_for_a_wrong_command_line(args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.exit_code == 2, result.output
    one_line_error(result.output)


def test_output_to_stdout_is_a_one_line_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(SEEDS), "-o", "-"], catch_exceptions=False)
    assert result.exit_code == 2
    assert result.output == (
        "Error: -o -: writing to standard output is not supported; give a folder\n"
    )
    assert not Path("-").exists()


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("build", "{tmp}/missing"), "missing: no such file or folder"),
        (("build", str(SEEDS), "--template-dir", "{tmp}/nope"), "nope: no such file or folder"),
        (("build", str(SEEDS), "--previous", "{tmp}/old.json"), "old.json: no such file"),
        (("extract", "{tmp}/missing.txt"), "missing.txt: no such file or folder"),
        (("extract", "{tmp}"), ": a folder, not a file"),
        (("check", "{tmp}/report"), "report: no such file or folder"),
        (("verify", "{tmp}/b.json", str(SEEDS)), "b.json: no such file or folder"),
        (("run", "{tmp}/b.toml"), "b.toml: no such file or folder"),
        (("schedule", "{tmp}/b.toml"), "b.toml: no such file or folder"),
        (("history", "{tmp}/b.toml"), "b.toml: no such file or folder"),
    ],
)
def test_exit_1_for_missing_input_with_one_line_naming_it(
    tmp_path: Path, args: tuple[str, ...], named: str
) -> None:
    result = run(*(a.format(tmp=tmp_path) for a in args))
    assert result.exit_code == 1, result.output
    assert named in one_line_error(result.output)


def test_exit_1_for_a_failed_check_and_a_failed_verification(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("build", str(SEEDS), "-o", str(out), "--formats", "json").exit_code == 0
    checked = run("check", str(out / "briefing.json"), "--max-key-point-words", "5")
    assert checked.exit_code == 1, checked.output
    assert "checks failed" in one_line_error(checked.output)
    other = tmp_path / "other.txt"
    other.write_text("A different article about something else entirely, with no match.\n")
    verified = run("verify", str(out / "briefing.json"), str(other))
    assert verified.exit_code == 1, verified.output


_INTERNALS = {
    "build": ("briefgen.service.build.build", ("build", str(SEEDS), "-o", "{tmp}/out")),
    "extract": ("briefgen.ingest.read.read_article", ("extract", str(SEED))),
    "check": ("briefgen.check.gate.check_report", ("check", str(SEEDS))),
    "verify": ("briefgen.extract.changes.load_previous", ("verify", "{json}", str(SEEDS))),
    "run": ("briefgen.service.config.load_config", ("run", "{json}")),
    "schedule": ("briefgen.service.config.load_config", ("schedule", "{json}")),
    "history": ("briefgen.service.config.load_config", ("history", "{json}")),
    "schema": ("briefgen.model.json_schema", ("schema",)),
}


@pytest.mark.parametrize("command", COMMANDS)
def test_exit_3_for_an_internal_error_of_every_command_in_one_line(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target, args = _INTERNALS[command]

    def broken(*_a: object, **_k: object) -> None:
        raise RuntimeError("a bug\nover two lines")

    monkeypatch.setattr(target, broken)
    (tmp_path / "b.json").write_text("{}")
    fill = {"tmp": tmp_path, "json": tmp_path / "b.json"}
    result = run(*(a.format(**fill) for a in args))
    assert result.exit_code == 3, result.output
    error = one_line_error(result.output)
    assert error == "Error: internal error: RuntimeError: a bug over two lines"


def test_exit_130_when_interrupted(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("briefgen.model.json_schema", interrupted)
    result = run("schema")
    assert (result.exit_code, result.output) == (130, "Interrupted.\n")


def test_the_console_script_gives_the_same_codes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def code(*args: str) -> int | str | None:
        monkeypatch.setattr(sys, "argv", ["briefgen", *args])
        with pytest.raises(SystemExit) as exited:
            entry()
        return exited.value.code

    assert code("schema") == 0
    assert code("--help") == 0
    assert code("extract", str(tmp_path / "nope.txt")) == 1
    assert code("build", "--no-such-option") == 2
    monkeypatch.setattr("briefgen.model.json_schema", lambda: 1 / 0)
    assert code("schema") == 3


# --------------------------------------------------------------------------- -v / -q


@pytest.mark.parametrize(
    "args",
    [
        ("-v", "build", str(SEEDS)),
        ("build", "-v", str(SEEDS)),
        ("build", str(SEEDS), "-vv"),
        ("-v", "build", "-v", str(SEEDS)),
    ],
)
def test_verbose_before_or_after_the_command_logs_briefgen_steps(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    result = run(*args, "-o", str(tmp_path / "out"), "--formats", "json")
    assert result.exit_code == 0, result.output
    assert "  ingest: 2 articles" in result.output  # the stages
    assert "timings: {" in result.output  # briefgen's INFO


@pytest.mark.parametrize(
    "args", [("-q", "build", str(SEEDS)), ("build", "-q", str(SEEDS)), ("build", str(SEEDS), "-q")]
)
def test_quiet_before_or_after_the_command_prints_only_the_result(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    result = run(*args, "-o", str(tmp_path / "out"), "--formats", "json")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""  # no stages, no warnings (the seeds miss the grade target)
    assert result.stdout.startswith("Wrote 1 files to ")


def test_a_plain_build_shows_stages_and_warnings_once_each(tmp_path: Path) -> None:
    # The seeds read at grade 12 (issue #16), so a target of 8 makes the one warning.
    result = run(
        "build", str(SEEDS), "-o", str(tmp_path / "out"), "--formats", "json", "--max-grade", "8"
    )
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert [line.split(":")[0] for line in lines if line.startswith("  ")] == [
        "  ingest",
        "  summarize",
        "  render",
        "  check",
    ]
    warnings = [line for line in lines if line.startswith("Warning:")]
    assert len(warnings) == len(set(warnings)) == 1 and "grade" in warnings[0]
    assert "timings" not in result.output  # INFO only with -v


def test_verbose_never_shows_other_libraries_below_warning(
    capsys: pytest.CaptureFixture[str],
) -> None:
    chatter = logging.getLogger("fontTools.subset")
    chatter.setLevel(logging.DEBUG)  # even a library that lowers its own level stays quiet
    try:
        logs.configure(2)
        chatter.info("subsetting glyphs")
        logging.getLogger("weasyprint.progress").info("Step 5 - Creating layout")
        logging.getLogger("httpx").debug("connect_tcp.started")
        logging.getLogger("weasyprint").warning("Ignored `gap: 1em`")
        logging.getLogger("weasyprint.images").error("Failed to load image")
        logging.getLogger("briefgen.pipeline").info("timings: {}")
        logging.getLogger("briefgen.pipeline").debug("detail")
    finally:
        logs.unconfigure()
        chatter.setLevel(logging.NOTSET)
    assert capsys.readouterr().err.splitlines() == [
        "Warning: weasyprint: Ignored `gap: 1em`",
        "Warning: weasyprint: Failed to load image",  # not an Error: line, the build goes on
        "timings: {}",
        "debug: briefgen.pipeline: detail",
    ]


def test_configure_twice_still_writes_each_record_once(
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = list(logging.getLogger().handlers)
    try:
        logs.configure(0)
        logs.configure(1)
        logging.getLogger("briefgen.x").warning("once")
    finally:
        logs.unconfigure()
    assert capsys.readouterr().err == "Warning: once\n"
    assert logging.getLogger().handlers == before


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_the_stages_are_one_line_rewritten_in_place(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    screen = _Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    monkeypatch.delenv("TERM", raising=False)
    try:
        console = logs.configure(0)
        assert console.live
        console.status("ingest: 2 articles")
        console.status("render: pdf")
        logging.getLogger("briefgen.x").warning("a warning")  # printed above the stage line
        console.end_status()
    finally:
        logs.unconfigure()
    text = screen.getvalue()
    assert "\n" not in text.replace("Warning: a warning\n", "")  # stages never scroll
    assert text.startswith("ingest: 2 articles\r")
    assert "Warning: a warning\nrender: pdf" in text
    assert text.endswith("\r" + " " * len("render: pdf") + "\r")  # gone before the result


def test_piped_the_stages_are_plain_lines_and_quiet_hides_them(
    capsys: pytest.CaptureFixture[str],
) -> None:
    try:
        console = logs.configure(0)
        assert not console.live
        console.status("ingest: 2 articles")
        logs.configure(-1).status("render: pdf")
    finally:
        logs.unconfigure()
    assert capsys.readouterr().err == "  ingest: 2 articles\n"


def test_build_has_no_module_level_finished_flag() -> None:
    assert not hasattr(cli, "_finished_build")
