"""Where templates come from: the built-in folder, the user's folder, and the one Jinja environment.

The repository keeps its templates in a top-level ``templates/`` folder; the wheel ships the same
files as package data in ``briefgen/templates`` (``pyproject.toml`` maps one onto the other).  An
installed wheel therefore reads ``briefgen/templates``, and a source checkout (including an
editable install, whose package folder is the checkout's ``briefgen/``) reads ``templates/``.
A user's ``--template-dir`` is searched before either.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
from jinja2 import (
    BaseLoader,
    BytecodeCache,
    ChoiceLoader,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    select_autoescape,
)
from jinja2.sandbox import SandboxedEnvironment

import briefgen
from briefgen.base.cache import private_dir
from briefgen.errors import RenderError
from briefgen.render.filters import cite_label, md_escape

_PACKAGE = Path(briefgen.__file__).resolve().parent
PACKAGED_TEMPLATES = _PACKAGE / "templates"  # inside an installed wheel
CHECKOUT_TEMPLATES = _PACKAGE.parent / "templates"  # top level of a source checkout


def find_builtin_templates(candidates: tuple[Path, ...]) -> Path | None:
    """The first candidate folder that exists, or ``None``."""
    return next((folder for folder in candidates if folder.is_dir()), None)


# The built-in templates: the packaged folder when installed from a wheel, else the checkout's.
# When neither exists (a broken install) it names the packaged folder, and :func:`get_env`
# reports it in one line.
BUILTIN_TEMPLATES = (
    find_builtin_templates((PACKAGED_TEMPLATES, CHECKOUT_TEMPLATES)) or PACKAGED_TEMPLATES
)


def _builtin_missing() -> str:
    return (
        f"built-in templates not found (looked in {PACKAGED_TEMPLATES} and "
        f"{CHECKOUT_TEMPLATES}): reinstall briefgen or pass --template-dir"
    )


def template_roots(template_dir: Path | str | None = None) -> list[Path]:
    """Folders templates may load assets from (the PDF url_fetcher's allow-list), the user's
    first.  Raises :class:`RenderError` when there is none."""
    roots = [Path(template_dir).resolve()] if template_dir is not None else []
    if BUILTIN_TEMPLATES.is_dir():
        roots.append(BUILTIN_TEMPLATES)
    if not roots:
        raise RenderError(_builtin_missing())
    return roots


def _bytecode_cache() -> BytecodeCache | None:
    """Compiled templates kept between runs: compiling the three templates costs ~0.1 s, a
    large share of a cold build.  Entries are keyed by a hash of the template source, so an
    edited template (built-in or the user's) is compiled afresh."""
    folder = private_dir(f"jinja-{jinja2.__version__}")
    return FileSystemBytecodeCache(str(folder)) if folder is not None else None


def get_env(template_dir: Path | str | None = None) -> SandboxedEnvironment:
    """The only Jinja environment: sandboxed, strict, HTML-escaping, user folder first.

    A user's ``template_dir`` is searched before the built-in templates, so overriding one file
    (say ``briefing.md.j2``) keeps the others.
    """
    loaders: list[BaseLoader] = []
    if template_dir is not None:
        folder = Path(template_dir)
        if not folder.is_dir():
            raise RenderError(f"template dir not found: {folder}")
        loaders.append(FileSystemLoader(folder))
    if BUILTIN_TEMPLATES.is_dir():
        loaders.append(FileSystemLoader(BUILTIN_TEMPLATES))
    if not loaders:
        raise RenderError(_builtin_missing())
    env = SandboxedEnvironment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(
            enabled_extensions=("html", "htm", "xml", "html.j2", "xml.j2"),
            default_for_string=True,
            default=False,
        ),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_bytecode_cache(),
    )
    env.filters["md"] = md_escape
    env.filters["cite_label"] = cite_label
    return env
