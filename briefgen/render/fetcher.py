"""The URL fetcher WeasyPrint must use: template assets only, never the network.

A user template (or untrusted text, if it ever reached markup) could point WeasyPrint at
``http://``, ``ftp://`` or ``file:///etc/passwd``.  This module imports WeasyPrint, so only the
PDF renderer imports it, lazily.
"""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

LOGGER = logging.getLogger(__name__)

MAX_DATA_URL = 1_000_000  # characters of a data: URL we accept (inline images in a template)
MAX_FILE = 20_000_000  # bytes of one template asset (fonts, logos)


class URLRefused(ValueError):
    """A resource WeasyPrint asked for that briefgen will not fetch."""


def check_url(url: str, roots: list[Path]) -> Path | None:
    """Decide whether ``url`` may be fetched: a local path for ``file:``, None for ``data:``.

    Raises :class:`URLRefused` for every other scheme, for files outside ``roots`` (after
    resolving ``..`` and symlinks), for ``file:`` URLs naming a remote host (urllib would try
    FTP), and for oversized ``data:`` URLs.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "data":
        if len(url) > MAX_DATA_URL:
            raise URLRefused(f"data: URL larger than {MAX_DATA_URL} characters")
        return None
    if scheme != "file":
        raise URLRefused(f"refusing to fetch {scheme or 'relative'} URL: {url[:200]}")
    if parts.netloc not in ("", "localhost"):
        raise URLRefused(f"refusing remote file URL: {url[:200]}")
    try:
        path = Path(url2pathname(unquote(parts.path))).resolve()
    except (ValueError, OSError) as e:  # "%00" in the URL, a symlink loop
        raise URLRefused(f"refusing malformed file URL: {url[:200]} ({e})") from None
    if not any(path.is_relative_to(root) for root in roots):
        raise URLRefused(f"refusing file outside the template folders: {path}")
    return path


class SafeURLFetcher(URLFetcher):
    """WeasyPrint 70 fetcher serving files under the template folders and small data: URLs.

    Refusals raise :class:`URLRefused`; WeasyPrint logs them and renders without the resource.
    """

    def __init__(self, roots: list[Path]) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.roots = [Path(r).resolve() for r in roots]

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        try:
            path = check_url(url, self.roots)
            if path is None:  # a small data: URL; urllib decodes it without any I/O
                return super().fetch(url, headers)
            if not path.is_file():  # also refuses FIFOs and devices, which could block or not end
                raise URLRefused(f"no such template asset: {path}")
            data = _read_at_most(path, MAX_FILE)
        except URLRefused as e:
            LOGGER.warning("pdf: %s", e)
            raise
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), data, {"Content-Type": mime}, 200)


def _read_at_most(path: Path, limit: int) -> bytes:
    """The file's bytes, refusing it when over ``limit`` (read, not stat: it may be growing)."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as e:
        raise URLRefused(f"cannot read template asset {path}: {e.strerror or e}") from None
    if len(data) > limit:
        raise URLRefused(f"template asset larger than {limit} bytes: {path}")
    return data
