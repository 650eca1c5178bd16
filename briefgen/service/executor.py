"""Run many briefings at once: a local process pool, or a Dask distributed cluster.

``briefgen run CONFIG --executor local`` (the default) builds the briefings of a config in a pool
of processes on this machine; ``--executor dask://HOST:PORT`` sends each one to the workers of a
Dask scheduler (``distributed.Client``).  A briefing is the unit of work: ``run_briefing`` takes
picklable arguments, opens its own state connection and returns a :class:`RunOutcome` instead of
raising, so one broken briefing never takes the others down.  Anything that still escapes (a
worker killed, a bug, a missing import on a worker) becomes a ``failed`` outcome that names the
briefing.  Workers need briefgen installed and the sources and reports folder on a shared
filesystem (see docs/scaling.md).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from briefgen.base.cluster import connect
from briefgen.base.parallel import cpu_count
from briefgen.errors import BriefgenError, one_line
from briefgen.service.runner import RunOutcome, run_briefing
from briefgen.spec import parse_executor as spec_parse_executor

__all__ = ["Runner", "parse_executor", "run_many"]

log = logging.getLogger(__name__)


class Runner(Protocol):
    """What runs one briefing: :func:`~briefgen.service.runner.run_briefing` or a test stand-in."""

    def __call__(
        self,
        config: Any,
        briefing_name: str,
        reports_dir: Path | str | None = None,
        force: bool = False,
        *,
        now: datetime | None = None,
    ) -> RunOutcome: ...


def parse_executor(spec: str) -> str | None:
    """``"local"`` -> ``None``; ``"dask://HOST:PORT"`` (or ``tcp://``) -> the scheduler address."""
    try:
        return spec_parse_executor(spec)
    except ValueError as exc:
        raise BriefgenError(str(exc)) from None


def _failed(name: str, exc: BaseException) -> RunOutcome:
    return RunOutcome(name, "failed", f"worker error: {exc.__class__.__name__}: {one_line(exc)}")


def run_many(
    config: Any,
    names: Sequence[str],
    reports_dir: Path | None = None,
    force: bool = False,
    executor: str = "local",
    *,
    jobs: int | None = None,
    now: datetime | None = None,
    runner: Runner = run_briefing,
    on_outcome: Callable[[RunOutcome], None] | None = None,
) -> list[RunOutcome]:
    """Run every briefing in ``names``; outcomes in the order of ``names``, one per briefing.

    ``on_outcome`` is called with each outcome as it is collected (in the order of ``names``).
    A single briefing, or ``jobs=1``, runs in this process: a pool would only add start-up time.
    """
    address = parse_executor(executor)
    if not names:
        return []
    args = [(config, name, reports_dir, force) for name in names]
    if address is None:
        return _run_local(args, jobs, now, runner, on_outcome)
    return _run_dask(address, args, now, runner, on_outcome)


def _collect(
    names: Sequence[str], futures: Sequence[Any], on_outcome: Callable[[RunOutcome], None] | None
) -> list[RunOutcome]:
    outcomes = []
    for name, future in zip(names, futures, strict=True):
        try:
            outcome = future.result()
        except Exception as exc:  # the worker or the call itself broke: report, keep going
            log.error("%s: %s", name, exc)
            outcome = _failed(name, exc)
        if on_outcome is not None:
            on_outcome(outcome)
        outcomes.append(outcome)
    return outcomes


def _run_local(
    args: Sequence[tuple[Any, str, Path | None, bool]],
    jobs: int | None,
    now: datetime | None,
    runner: Runner,
    on_outcome: Callable[[RunOutcome], None] | None,
) -> list[RunOutcome]:
    """A process pool on this machine (one process per core, at most one per briefing)."""
    import multiprocessing

    workers = max(1, min(len(args), jobs or cpu_count()))
    if workers == 1:
        outcomes = []
        for a in args:
            try:
                outcome = runner(*a, now=now)
            except Exception as exc:  # the same report as from a pool worker
                log.error("%s: %s", a[1], exc)
                outcome = _failed(a[1], exc)
            if on_outcome is not None:
                on_outcome(outcome)
            outcomes.append(outcome)
        return outcomes
    # Spawned, not forked: the caller may hold threads (the scheduler) or open state files.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures: list[Future[RunOutcome]] = [pool.submit(runner, *a, now=now) for a in args]
        return _collect([a[1] for a in args], futures, on_outcome)


def _run_dask(
    address: str,
    args: Sequence[tuple[Any, str, Path | None, bool]],
    now: datetime | None,
    runner: Runner,
    on_outcome: Callable[[RunOutcome], None] | None,
) -> list[RunOutcome]:
    """Each briefing as one task on a Dask cluster; results gathered by briefing name."""
    with connect(address) as client:  # one line if unreachable, without workers or mismatched
        futures = [
            # pure=False: a rerun of the same briefing is new work, never a cached result.
            client.submit(runner, *a, now=now, key=f"briefing-{a[1]}-{i}", pure=False)
            for i, a in enumerate(args)
        ]
        return _collect([a[1] for a in args], futures, on_outcome)
