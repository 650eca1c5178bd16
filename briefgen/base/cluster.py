"""Per-article work on a Dask cluster: :func:`map_ordered`'s ``executor="dask://HOST:PORT"``.

One huge briefing spreads its per-article stages (reading, cleaning, splitting) over the
workers of a Dask scheduler (``briefgen build --executor dask://HOST:PORT``).  Items are sent
in chunks of at most :data:`CHUNK` per task, so 100,000 articles are a few hundred tasks, not
100,000, and only a few chunks per worker thread are in flight at a time.  Results come back in
input order and each chunk is released on the workers once collected.  They are those of
``[func(x) for x in items]``, so a cluster build is identical to a local one.

Workers need the same briefgen install (checked: a worker with another version, or without
briefgen, is refused by name) and, for reading, the input files at the same absolute paths (a
shared filesystem): a worker reads the files itself, so the raw pages (often ten times the size
of the text kept) never pass through this process or the scheduler.

Anything the cluster does wrong (a scheduler that cannot be reached, no workers, a worker that
dies on every retry, the connection lost) is one :class:`ClusterError` line naming the
scheduler's address; an exception raised by ``func`` itself comes back unchanged, as it would
from a local pool.
"""

from __future__ import annotations

import math
import socket
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import CancelledError
from itertools import islice
from typing import Any, TypeVar
from urllib.parse import urlsplit

import briefgen
from briefgen.errors import BriefgenError, one_line

__all__ = ["CHUNK", "ClusterError", "connect", "dask_map"]

T = TypeVar("T")
R = TypeVar("R")

CHUNK = 250
"""Most items per Dask task: enough that scheduling (~1 ms a task) is lost in the work
(~5 ms an article), few enough that every worker gets several tasks to balance."""
TASKS_PER_THREAD = 4
"""Smaller inputs are cut into this many chunks per worker thread, so every thread has work."""
CONNECT_SECONDS = 10.0
"""How long to wait for the scheduler's answer, and for its first worker."""
NO_WORKERS_SECONDS = 30.0
"""A map waiting this long on a scheduler with no worker left stops with an error."""


class ClusterError(BriefgenError):
    """The Dask cluster could not do the work: unreachable, no workers, a worker lost."""


def _host_port(address: str) -> tuple[str, int] | None:
    parts = urlsplit(address)
    try:
        port = parts.port
    except ValueError:
        return None
    return (parts.hostname, port) if parts.hostname and port else None


def _reachable(address: str) -> None:
    """Fail at once on a refused connection or an unknown host; distributed would retry both
    for ``CONNECT_SECONDS``."""
    where = _host_port(address)
    if where is None:
        raise ClusterError(f"Dask scheduler address {address} has no HOST:PORT")
    try:
        socket.create_connection(where, timeout=CONNECT_SECONDS).close()
    except OSError as exc:
        reason = exc.strerror or one_line(exc)
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {reason}") from None


def _briefgen_version() -> str:
    return briefgen.__version__


def connect(address: str, check_workers: bool = True) -> Any:
    """A ``distributed.Client`` of the scheduler at ``address`` (``tcp://HOST:PORT``).

    With ``check_workers``, waits for a first worker and refuses workers whose briefgen differs
    from this one (their output could differ).
    """
    try:
        from distributed import Client
    except ImportError as exc:
        raise ClusterError(
            "the Dask executor needs dask.distributed: pip install 'briefgen[dask]'"
        ) from exc
    _reachable(address)
    try:
        client = Client(address, timeout=f"{CONNECT_SECONDS}s", set_as_default=False)
    except OSError as exc:  # refused after the check, or no answer: TimeoutError is an OSError
        raise ClusterError(
            f"cannot reach the Dask scheduler at {address}: {one_line(exc)}"
        ) from exc
    if check_workers:
        try:
            _check_workers(client, address)
        except BaseException:
            client.close()
            raise
    return client


def _check_workers(client: Any, address: str) -> None:
    try:
        client.wait_for_workers(1, timeout=CONNECT_SECONDS)
    except TimeoutError:
        raise ClusterError(
            f"the Dask scheduler at {address} has no workers (start some: dask worker {address})"
        ) from None
    try:
        versions = client.run(_briefgen_version)
    except ImportError as exc:
        raise ClusterError(
            f"a Dask worker of {address} cannot import briefgen ({one_line(exc)}): install the "
            "same briefgen on every worker"
        ) from None
    other = {w: v for w, v in versions.items() if v != briefgen.__version__}
    if other:
        worker, version = sorted(other.items())[0]
        raise ClusterError(
            f"Dask worker {worker} of {address} runs briefgen {version}, this is "
            f"{briefgen.__version__}: install the same version everywhere"
        )


def _apply(func: Callable[[T], R], chunk: Sequence[T]) -> list[R]:
    """On a worker: one task, one chunk."""
    return [func(x) for x in chunk]


def chunk_size(items: int, threads: int) -> int:
    """Items per task: :data:`TASKS_PER_THREAD` tasks per thread, at most :data:`CHUNK`."""
    return max(1, min(CHUNK, math.ceil(items / max(1, threads * TASKS_PER_THREAD))))


def dask_map(func: Callable[[T], R], items: Sequence[T], address: str) -> list[R]:
    """``[func(x) for x in items]`` on the workers of the scheduler at ``address``, in order.

    ``func`` must be picklable (a module-level function or a ``functools.partial`` of one).
    At most :data:`TASKS_PER_THREAD` chunks per worker thread are in flight at once, so the
    scheduler and workers hold a few chunks, never the whole input.
    """
    if not items:
        return []
    with connect(address) as client:
        threads = _threads(client, address)
        size = chunk_size(len(items), threads)
        chunks = (items[i : i + size] for i in range(0, len(items), size))
        # pure=False: no hashing of the chunk's contents for a key nobody reuses.
        pending = deque(
            client.submit(_apply, func, chunk, pure=False)
            for chunk in islice(chunks, max(2, threads * TASKS_PER_THREAD))
        )
        out: list[R] = []
        while pending:
            future = pending.popleft()
            out += _result(client, future, address)
            future.release()  # the workers drop the chunk's results now, not at the end
            pending.extend(client.submit(_apply, func, c, pure=False) for c in islice(chunks, 1))
        return out


def _result(client: Any, future: Any, address: str) -> Any:
    """The future's result; cluster failures as one ClusterError naming ``address``."""
    from distributed import KilledWorker
    from distributed.comm import CommClosedError

    idle = 0.0
    step = NO_WORKERS_SECONDS / 3
    while True:
        try:
            return future.result(timeout=step)
        except TimeoutError:
            idle = idle + step if not _threads(client, address) else 0.0
            if idle >= NO_WORKERS_SECONDS:
                raise ClusterError(
                    f"every Dask worker of {address} is gone; the work cannot finish"
                ) from None
        except KilledWorker:
            raise ClusterError(
                f"Dask workers of {address} died running this work (retried on others too)"
            ) from None
        except (CancelledError, CommClosedError) as exc:
            raise ClusterError(
                f"lost the Dask scheduler at {address} ({exc.__class__.__name__})"
            ) from None


def _threads(client: Any, address: str) -> int:
    try:
        return sum(client.nthreads().values())
    except OSError as exc:  # CommClosedError, TimeoutError: the scheduler is gone
        raise ClusterError(f"lost the Dask scheduler at {address} ({one_line(exc)})") from None
