"""Time and memory budgets: one article, one run.

A scheduled run holds its briefing's lock for as long as it runs, so no input may make it run
without end.  :func:`time_budget` interrupts the code inside it when its time is up by raising
:class:`OverBudget` from a ``SIGALRM`` timer (Python's regex engine and pure-Python parsers
such as PyYAML check for signals, so even a catastrophic regex is stopped).  Budgets nest (an
article's inside a run's); the first to end wins.  :func:`run_limits` adds a memory cap
(``RLIMIT_DATA``) and turns either limit into a one-line :class:`RunLimitExceeded`.

Signals reach only the main thread of a process: budgets hold in ``briefgen build``,
``briefgen run`` and the worker processes they start (timers are re-armed after a fork from
the inherited budgets on first use), and are not enforced in threads (the long-running
scheduler's runs), where they are a no-op.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Iterator
from typing import Any

from briefgen.errors import BriefgenError
from briefgen.spec import format_size

__all__ = ["OverBudget", "RunLimitExceeded", "enforced", "run_limits", "time_budget"]


class OverBudget(BaseException):
    """Raised inside a budget whose time is up.  A BaseException, like KeyboardInterrupt, so
    ``except Exception`` blocks on the way do not swallow it."""

    def __init__(self, what: str, seconds: float) -> None:
        super().__init__(what, seconds)
        self.what = what
        self.seconds = seconds


class RunLimitExceeded(BriefgenError):
    """A run ended by its time limit or memory cap."""


_budgets: list[tuple[float, OverBudget]] = []  # (deadline, exception): this process's budgets


def enforced() -> bool:
    """Whether budgets can interrupt code here (the main thread, on a system with SIGALRM)."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def _arm() -> None:
    if not _budgets:
        signal.setitimer(signal.ITIMER_REAL, 0)
        return
    left = min(deadline for deadline, _ in _budgets) - time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, max(left, 0.001))


def _ring(_signum: int, _frame: Any) -> None:
    now = time.monotonic()
    due = [exc for deadline, exc in _budgets if deadline <= now]
    if due:
        raise due[0]  # the outermost budget that ended: a run's limit wins over an article's
    _arm()


@contextlib.contextmanager
def time_budget(seconds: float | None, what: str) -> Iterator[OverBudget | None]:
    """Run the body for at most ``seconds``; then :class:`OverBudget` is raised inside it.

    Yields the exception it would raise (to tell it from an outer budget's), or None when the
    budget cannot be enforced here (see the module docstring) or ``seconds`` is None.
    """
    if not seconds or not enforced():
        yield None
        return
    previous = signal.getsignal(signal.SIGALRM)
    signal.signal(signal.SIGALRM, _ring)
    entry = (time.monotonic() + seconds, OverBudget(what, seconds))
    _budgets.append(entry)
    _arm()
    try:
        yield entry[1]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        _budgets.remove(entry)
        _arm()
        if not _budgets:
            signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def _memory_cap(limit: int | None) -> Iterator[None]:
    """Cap this process's data segment (heap and anonymous maps) at ``limit`` bytes."""
    try:
        import resource
    except ImportError:  # not on this system
        yield
        return
    if not limit or not enforced():
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    cap = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_DATA, (soft, hard))


@contextlib.contextmanager
def run_limits(seconds: float | None, memory: int | None, what: str = "run") -> Iterator[None]:
    """A whole run within ``seconds`` and ``memory`` bytes, or :class:`RunLimitExceeded`.

    The run is unwound (locks released, staging folders removed by their own ``finally``)
    before the error is raised, so the previous edition stays where it was.
    """
    with time_budget(seconds, what) as mine:
        try:
            with _memory_cap(memory):
                yield
        except OverBudget as exc:
            if exc is not mine:
                raise
            raise RunLimitExceeded(
                f"{what} stopped after {seconds:g} s, its time limit "
                "(raise it with --max-run-seconds or max_run_seconds)"
            ) from None
        except MemoryError:
            raise RunLimitExceeded(
                f"{what} stopped: over its memory cap of {format_size(memory or 0)} "
                "(raise it with --max-memory or max_memory)"
            ) from None
