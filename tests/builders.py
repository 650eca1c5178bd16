"""Cheap builders for tests: real-looking articles without touching the disk."""

from __future__ import annotations

import hashlib
from datetime import date

from briefgen.model import Article


def make_article(
    text: str,
    *,
    id: str = "a1",
    title: str = "Untitled",
    outlet: str | None = None,
    published: date | None = None,
) -> Article:
    return Article(
        id=id,
        title=title,
        outlet=outlet,
        published=published,
        text=text,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        path=f"{id}.txt",
    )
