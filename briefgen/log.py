"""What briefgen prints on stderr and writes to a service's log file: one line per event.

:func:`configure` is the one place handlers are installed (the CLI calls it; the library only
logs).  It puts one handler per destination on the root logger and removes what an earlier call
installed, so every record is written once, in one format:

* a command (``build``, ``run``, ...): ``Warning: ...`` and ``Error: ...`` as the CLI's own
  messages read, an INFO line as it is, a DEBUG line with its logger's name;
* the scheduler service (``briefgen schedule``): ``time LEVEL logger: message`` on stderr and in
  ``<reports>/briefgen.log`` alike.

Verbosity (``-q`` counts -1, ``-v`` +1): -1 errors only; 0 warnings, and a build's stage lines;
1 also the INFO of briefgen's own loggers (its stages and steps); 2 their DEBUG detail and
tracebacks.  Other libraries (WeasyPrint, fontTools, httpx, APScheduler...) are shown from
WARNING whatever the verbosity: their INFO and DEBUG are progress chatter about their internals.

On a terminal, :meth:`ConsoleHandler.status` keeps one stage line rewritten in place (log lines
are printed above it); piped, it prints plain ``  stage`` lines.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import shutil
import sys
from pathlib import Path
from typing import Any, TextIO

__all__ = ["ConsoleHandler", "configure", "console", "level_for", "unconfigure"]

OWN = "briefgen"
"""Briefgen's loggers are this one and those under it."""

SERVICE_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def level_for(verbosity: int) -> int:
    """The level of briefgen's loggers at a verbosity (-q: -1, default 0, -v: 1, -vv: 2)."""
    if verbosity < 0:
        return logging.ERROR
    return (logging.WARNING, logging.INFO)[verbosity] if verbosity < 2 else logging.DEBUG


def _is_own(record: logging.LogRecord) -> bool:
    return record.name == OWN or record.name.startswith(OWN + ".")


def _own_or_warning(record: logging.LogRecord) -> bool:
    """Briefgen's records at their logger's level; other libraries' from WARNING only."""
    return record.levelno >= logging.WARNING or _is_own(record)


class ConsoleFormatter(logging.Formatter):
    """A record as the CLI's own messages read (``Warning: ...``, ``Error: ...``).

    ``Error:`` is briefgen's own: another library's warning or error (WeasyPrint failing to load
    an image the build then does without) is ``Warning: <library>: ...``, as the command goes on.
    A record's exception is shown as one line (``: KeyError: 'x'``), its traceback only when
    ``tracebacks`` (-vv).
    """

    def __init__(self, tracebacks: bool = False) -> None:
        super().__init__()
        self.tracebacks = tracebacks

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if not _is_own(record):
            text = f"Warning: {record.name.split('.')[0]}: {message}"
        elif record.levelno >= logging.ERROR:
            text = f"Error: {message}"
        elif record.levelno >= logging.WARNING:
            text = f"Warning: {message}"
        elif record.levelno >= logging.INFO:
            text = message
        else:
            text = f"debug: {record.name}: {message}"
        if record.exc_info and record.exc_info[1] is not None:
            if self.tracebacks:
                text += "\n" + self.formatException(record.exc_info)
            else:
                exc = record.exc_info[1]
                text += f": {exc.__class__.__name__}: {' '.join(str(exc).split())}".rstrip(": ")
        return text


class ConsoleHandler(logging.StreamHandler):
    """Log lines on stderr and, for a build, its stage lines.

    The stream is whatever ``sys.stderr`` is at each write, so output follows click's test
    runner and pytest's capture.  ``live`` (stderr is a terminal, not ``-q``): :meth:`status`
    rewrites one line in place with ``\\r`` and log lines are printed above it.
    """

    def __init__(self, verbosity: int = 0, *, service: bool = False) -> None:
        super().__init__()
        self.verbosity = verbosity
        self.live = not service and verbosity >= 0 and _is_terminal(sys.stderr)
        self._status = ""
        self._shown = 0  # characters of the status line now on the screen
        self.saved_levels: dict[str, int] = {}  # logger levels configure() changed, to restore
        self.addFilter(_own_or_warning)
        if service:
            self.setFormatter(logging.Formatter(SERVICE_FORMAT))
            if verbosity < 0:
                self.setLevel(logging.WARNING)
        else:
            self.setFormatter(ConsoleFormatter(tracebacks=verbosity >= 2))

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        """Ignored: the stream is always the current ``sys.stderr``."""

    def emit(self, record: logging.LogRecord) -> None:
        self.acquire()
        try:
            self._erase()
            super().emit(record)
            self._draw()
        finally:
            self.release()

    def status(self, text: str) -> None:
        """Show a stage line: in place on a terminal, a plain ``  text`` line when piped."""
        if self.verbosity < 0:
            return
        self.acquire()
        try:
            if self.live:
                self._erase()
                self._status = text
                self._draw()
            else:
                self.stream.write(f"  {text}\n")
                self.flush()
        finally:
            self.release()

    def end_status(self) -> None:
        """Remove the stage line (before the result, an error or the next command's output)."""
        self.acquire()
        try:
            self._erase()
            self._status = ""
        finally:
            self.release()

    def _draw(self) -> None:
        if not self._status:
            return
        width = max(10, shutil.get_terminal_size((80, 24)).columns - 1)
        line = self._status if len(self._status) <= width else self._status[: width - 1] + "…"
        self.stream.write(line)
        self.flush()
        self._shown = len(line)

    def _erase(self) -> None:
        if self._shown:
            self.stream.write("\r" + " " * self._shown + "\r")
            self._shown = 0


class _LogFile(logging.handlers.RotatingFileHandler):
    """``<reports>/briefgen.log``: the service format, rotated at 5 MB, three kept."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        super().__init__(path, maxBytes=5_000_000, backupCount=3, encoding="utf-8")
        self.setFormatter(logging.Formatter(SERVICE_FORMAT))
        self.addFilter(_own_or_warning)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):
        return False


def configure(
    verbosity: int = 0, *, log_file: Path | None = None, service: bool = False
) -> ConsoleHandler:
    """Send log records to stderr (and ``log_file``), in place of what an earlier call set up.

    ``service`` (the long-running scheduler): timestamps and logger names on stderr as in the
    file, and briefgen's INFO is always kept (what ran when is the point of that log); ``-q``
    then only quietens stderr.  Returns the stderr handler (its :meth:`~ConsoleHandler.status`
    shows a build's stages).
    """
    unconfigure()
    root = logging.getLogger()
    own = logging.getLogger(OWN)
    console_handler = ConsoleHandler(verbosity, service=service)
    console_handler.saved_levels = {"": root.level, OWN: own.level}
    handlers: list[logging.Handler] = [console_handler]
    if log_file is not None:
        handlers.append(_LogFile(log_file))
    for handler in handlers:
        root.addHandler(handler)
    if service:
        own.setLevel(logging.DEBUG if verbosity >= 2 else logging.INFO)
        root.setLevel(logging.WARNING)
    else:
        own.setLevel(level_for(verbosity))
        root.setLevel(logging.ERROR if verbosity < 0 else logging.WARNING)
    return console_handler


def console() -> ConsoleHandler | None:
    """The stderr handler :func:`configure` installed, if any."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler, ConsoleHandler):
            return handler
    return None


def unconfigure() -> None:
    """Remove and close what :func:`configure` installed; restore the levels it changed."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, ConsoleHandler | _LogFile):
            if isinstance(handler, ConsoleHandler):
                handler.end_status()
                for name, level in handler.saved_levels.items():
                    logging.getLogger(name or None).setLevel(level)
            root.removeHandler(handler)
            handler.close()
