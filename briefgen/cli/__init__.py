"""The ``briefgen`` command: parses options, calls the library, maps errors to one line.

Exit codes, the same for every command:

====  =====================================================================================
0     success
1     the command ran and did not succeed: a briefing not built or not published, a failed
      check or verification, bad or missing input or config (``Error: <one line>``)
2     the command line is wrong: unknown command or option, missing or invalid argument
3     internal error, a bug in briefgen (still one ``Error:`` line, never a traceback)
130   interrupted (Ctrl-C)
143   terminated (SIGTERM)
====  =====================================================================================
"""

from __future__ import annotations

import logging
import os
import signal
import sys

import click

from briefgen.cli import build, inspect, service  # noqa: F401  (each registers its commands)
from briefgen.cli.common import EXIT_FAILED, EXIT_OK, Finished, interrupted, main, on_sigterm

__all__ = ["entry", "main"]


def exit_fast(code: int = EXIT_OK) -> None:
    """End the process now, skipping the interpreter's teardown (as mypy does).

    Why: after a build, freeing numpy, SciPy and pydantic module state takes ~0.1-0.25 s, a
    sixth of a cold seed build, and helps nobody.  Safe only when the command says so by
    returning :class:`Finished` (``build``, once every output file is written atomically and
    closed and the helper process has exited); logging and stdout/stderr are flushed first.
    """
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def entry() -> None:
    """The ``briefgen`` console script: click's standalone behaviour, and :func:`exit_fast`
    when the command returned :class:`Finished`.  Exit codes: see the module docstring."""
    signal.signal(signal.SIGTERM, on_sigterm)
    try:
        result = main.main(standalone_mode=False)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.Abort as exc:
        if isinstance(exc.__cause__, KeyboardInterrupt):  # while click parsed the options
            sys.exit(interrupted(exc.__cause__).exit_code)
        click.echo("Aborted!", err=True)
        sys.exit(EXIT_FAILED)
    if isinstance(result, Finished):
        exit_fast(result.code)
    sys.exit(result if isinstance(result, int) else EXIT_OK)


if __name__ == "__main__":  # pragma: no cover
    entry()
