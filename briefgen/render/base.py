"""What every renderer shares: the protocol, atomic writes and error mapping.

Renderers never leave a half-written file behind (a reader might open it, or a scheduler might
publish it), and every failure reaches the user as a one-line :class:`RenderError`.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError

from briefgen.errors import RenderError
from briefgen.model import Briefing
from briefgen.render.views import BriefingContext


class Renderer(Protocol):
    """One output format: a file extension and a function writing one file.

    ``needs_context`` says whether the format is drawn from the template context; the registry
    then builds that context once per render call and passes it to every such renderer.
    """

    extension: str
    needs_context: bool

    def render(
        self,
        briefing: Briefing,
        path: Path,
        template_dir: Path | None = None,
        context: BriefingContext | None = None,
    ) -> None:
        """Write ``briefing`` to ``path`` (atomically), or raise :class:`RenderError`.

        ``context`` is :func:`~briefgen.render.context.get_context` of ``briefing`` (any
        target); without it the renderer builds its own.
        """
        ...


def atomic_write(path: Path, data: bytes | str) -> None:
    """Write to a temp file in the same folder, then ``os.replace`` it over ``path``.

    Same folder, so the final rename never crosses file systems and is atomic.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def one_line(text: object) -> str:
    """Collapse an error message to one line so the CLI can show ``Error: ...``."""
    return " ".join(str(text).split()) or "unknown error"


@contextlib.contextmanager
def render_errors(fmt: str) -> Iterator[None]:
    """Turn template and write failures into ``RenderError("<fmt>: <reason>")``."""
    try:
        yield
    except RenderError:
        raise
    except TemplateNotFound as e:
        raise RenderError(f"{fmt}: template not found: {one_line(e.name)}") from e
    except TemplateSyntaxError as e:
        where = f"{e.name or e.filename or 'template'}:{e.lineno}"
        raise RenderError(f"{fmt}: template syntax error in {where}: {one_line(e)}") from e
    except TemplateError as e:  # UndefinedError, SecurityError, ...
        raise RenderError(f"{fmt}: template error ({type(e).__name__}): {one_line(e)}") from e
    except OSError as e:
        raise RenderError(f"{fmt}: cannot write output: {one_line(e)}") from e
