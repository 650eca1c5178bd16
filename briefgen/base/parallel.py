"""Process-pool helpers whose results never depend on how many processes ran them.

:func:`map_ordered` returns results in input order whatever finishes first, and :class:`Helper`
is one background process for work that can overlap the main one (a slow import, the PDF).
With ``jobs=1`` nothing is started, so ``--jobs 1`` and ``--jobs N`` run the same code on the
same inputs and give byte-identical briefings.

Processes are forked where the OS allows it (Linux): a fork costs milliseconds and inherits the
modules already imported, where a spawned interpreter would re-import briefgen (~0.3 s).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

from briefgen.base.cluster import dask_map
from briefgen.spec import parse_executor

__all__ = ["Helper", "cpu_count", "map_ordered", "resolve_jobs"]

T = TypeVar("T")
R = TypeVar("R")

# Below this many items per process, starting processes costs more than it saves.
MIN_ITEMS_PER_JOB = 8


def cpu_count() -> int:
    """Cores this process may run on (respects CPU affinity and container limits)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


def resolve_jobs(jobs: int | None) -> int:
    """``None`` or ``0`` means every core; negative counts are refused."""
    if jobs is None or jobs == 0:
        return cpu_count()
    if jobs < 0:
        raise ValueError(f"jobs must be 0 (all cores) or more, not {jobs}")
    return jobs


def _child_signals() -> None:
    """In a worker process: Ctrl-C is the parent's to handle (it reaches the whole process
    group, and a worker would print a traceback); SIGTERM ends the worker quietly."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def map_ordered(
    func: Callable[[T], R],
    items: Iterable[T],
    jobs: int = 1,
    min_per_job: int | None = None,
    *,
    executor: str = "local",
) -> list[R]:
    """``[func(x) for x in items]``, spread over ``jobs`` processes, in input order.

    ``func`` must be a module-level function (it is pickled by name).  Runs in this process when
    ``jobs`` is 1 or there are too few items to be worth a process each.  With ``executor``
    ``"dask://HOST:PORT"`` it runs on that Dask scheduler's workers instead, in chunks
    (:func:`briefgen.base.cluster.dask_map`); ``jobs`` is then not used.
    """
    seq = list(items)
    address = parse_executor(executor)
    if address is not None:
        return dask_map(func, seq, address)
    per_job = MIN_ITEMS_PER_JOB if min_per_job is None else min_per_job
    workers = min(resolve_jobs(jobs), len(seq) // max(1, per_job))
    if workers <= 1:
        return [func(x) for x in seq]
    chunk = max(1, len(seq) // (workers * 4))
    # Forked workers share the parent's pages until they write them; a garbage collection in a
    # worker would walk (and so copy) every inherited object.  Frozen objects are not walked.
    gc.freeze()
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=_context(), initializer=_child_signals
    ) as pool:
        try:
            return list(pool.map(func, seq, chunksize=chunk))
        finally:
            gc.unfreeze()


class Helper:
    """One background process for independent work, started on first use, or none at all.

    With ``enabled=False`` :meth:`submit` runs the call at once in this process and returns a
    finished future, so callers are written once for both modes.
    """

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self._pool: ProcessPoolExecutor | None = None

    def submit(self, func: Callable[..., R], *args: Any) -> Future[R]:
        if not self.enabled:
            done: Future[R] = Future()
            try:
                done.set_result(func(*args))
            except BaseException as exc:  # delivered by .result(), like a pool would
                done.set_exception(exc)
            return done
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=1, mp_context=_context(), initializer=_child_signals
            )
        return self._pool.submit(func, *args)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> Helper:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
