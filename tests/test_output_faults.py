"""Output faults: a folder that cannot be written, a file in the way, a full disk.

Tests run as root, where permissions do not block anything, so faults are simulated by
monkeypatching the one call that would fail.  Each must give one ``Error:`` line, exit code 1, the
previous report byte for byte, and no staging folder or temp file left behind.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from briefgen.cli import main

GOOD = Path(__file__).parent / "adversarial" / "files"
FORMATS = ("json", "md", "html")
GATE = ["--max-grade", "40", "--max-key-point-words", "400", "--max-pages", "60"]
PREVIOUS = b"previous report\n"


def build(inputs: Path, out: Path, *extra: str) -> Result:
    args = ["build", str(inputs), "-o", str(out), "--formats", ",".join(FORMATS), *GATE, *extra]
    return CliRunner().invoke(main, args)


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("good.txt", "good2.txt"):
        (folder / name).write_bytes((GOOD / name).read_bytes())
    return folder


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An output folder holding a previous report."""
    folder = tmp_path / "out"
    folder.mkdir()
    for fmt in FORMATS:
        (folder / f"briefing.{fmt}").write_bytes(PREVIOUS)
    return folder


def one_error(result: Result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, result.output
    return lines[0]


def assert_previous_report(out: Path) -> None:
    assert sorted(p.name for p in out.iterdir()) == sorted(f"briefing.{f}" for f in FORMATS)
    assert all(p.read_bytes() == PREVIOUS for p in out.iterdir())


def test_output_folder_not_writable(
    inputs: Path, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> str:
        raise PermissionError(errno.EACCES, "Permission denied", str(out))

    monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    line = one_error(build(inputs, out))
    assert str(out) in line and "Permission denied" in line
    assert_previous_report(out)


def test_output_path_is_a_file(inputs: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    target.write_bytes(PREVIOUS)
    assert "output path exists and is not a folder" in one_error(build(inputs, target))
    assert target.read_bytes() == PREVIOUS


def test_output_path_below_a_file(inputs: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_bytes(PREVIOUS)
    line = one_error(build(inputs, blocker / "reports"))
    assert "notes.txt" in line and "Not a directory" in line
    assert blocker.read_bytes() == PREVIOUS


def _full_disk_after(limit: int) -> Callable[..., Any]:
    """``os.fdopen`` whose files take ``limit`` bytes, then fail with ENOSPC, like a full disk."""
    real_fdopen = os.fdopen

    class Full:
        def __init__(self, fh: Any) -> None:
            self.fh = fh

        def write(self, data: bytes) -> int:
            self.fh.write(data[:limit])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def __enter__(self) -> Full:
            return self

        def __exit__(self, *exc: object) -> None:
            self.fh.close()

        def __getattr__(self, name: str) -> Any:
            return getattr(self.fh, name)

    def fdopen(fd: int, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        fh = real_fdopen(fd, mode, *args, **kwargs)
        return Full(fh) if "w" in mode else fh

    return fdopen


def test_disk_full_while_rendering(inputs: Path, out: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(os, "fdopen", _full_disk_after(10))
    line = one_error(build(inputs, out))
    assert "No space left on device" in line
    assert_previous_report(out)  # no staging folder, no .tmp file


def test_disk_full_while_publishing_rolls_back(
    inputs: Path, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second file fails to move into place: the first is put back, not left newer."""
    import briefgen.service.publish

    real_replace = os.replace
    placed: list[str] = []

    def replace(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        dst = Path(dst)
        if dst.parent == out and dst.name.startswith("briefing."):
            placed.append(dst.name)
            if len(placed) == 2:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(src))
        real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(briefgen.service.publish.os, "replace", replace)
    line = one_error(build(inputs, out))
    assert "No space left on device" in line and placed[1] in line
    assert_previous_report(out)


def test_a_successful_build_after_faults_replaces_every_file(inputs: Path, out: Path) -> None:
    result = build(inputs, out)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(f"briefing.{f}" for f in FORMATS)
    assert not any(p.read_bytes() == PREVIOUS for p in out.iterdir())


# --------------------------------------------------------------------------- unreadable inputs


def test_unreadable_file_is_skipped_with_a_warning(
    inputs: Path, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """chmod 000 does not stop root, so ``open`` is made to refuse the one file."""
    import builtins

    import briefgen.ingest.read

    real_open = builtins.open

    def guarded(file: Any, *args: Any, **kwargs: Any) -> Any:
        if str(file).endswith("good2.txt"):
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(briefgen.ingest.read, "open", guarded, raising=False)
    result = build(inputs, out, "--jobs", "1") if _has_jobs() else build(inputs, out)
    assert result.exit_code == 0, result.output
    assert "good2.txt: cannot read (Permission denied)" in result.output


def test_unreadable_only_file_is_a_one_line_error(
    inputs: Path, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import briefgen.ingest.read

    def refuse(file: Any, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError(errno.EACCES, "Permission denied", str(file))

    monkeypatch.setattr(briefgen.ingest.read, "open", refuse, raising=False)
    line = one_error(build(inputs / "good.txt", out))
    assert "good.txt: cannot read (Permission denied)" in line
    assert_previous_report(out)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_chmod_000_file_is_skipped(inputs: Path, out: Path) -> None:  # pragma: no cover - root CI
    (inputs / "good2.txt").chmod(0)
    result = build(inputs, out)
    assert result.exit_code == 0 and "good2.txt: cannot read" in result.output


def test_unlistable_folder_is_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``os.walk`` skips a folder it cannot list without a word; ingest now says so."""
    from briefgen.ingest.read import collect_paths

    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "a.txt").write_text("x")
    (tmp_path / "locked").mkdir()
    real_scandir = os.scandir

    def scandir(path: Any = ".") -> Any:
        if str(path).endswith("locked"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    warnings: list[str] = []
    assert [p.name for p in collect_paths([str(tmp_path)], warnings)] == ["a.txt"]
    assert len(warnings) == 1 and "locked: cannot read folder (Permission denied)" in warnings[0]


def _has_jobs() -> bool:
    return any(p.name == "jobs" for p in main.commands["build"].params)  # type: ignore[attr-defined]
