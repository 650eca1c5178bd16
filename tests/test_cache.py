"""The article cache (``build --cache DIR``, the state folder of scheduled runs): per-article
work reused by content hash, never a different briefing, never a failed build."""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import pytest

import briefgen
from briefgen.base.cache import CACHE_FILE, Store, cached_map
from briefgen.ingest import read
from briefgen.ingest.read import read_all
from briefgen.model import Article
from briefgen.service.build import build
from briefgen.spec import BriefingSpec, Limits, Selection
from briefgen.summarize import prepare
from briefgen.summarize.cached import map_prepared
from briefgen.summarize.work import prepare_all
from tests.conftest import ROOT, SEEDS

NOW = datetime(2026, 1, 1, 7, 0, tzinfo=UTC)
RESOURCES = ROOT / "tests" / "resources" / "ingest"


@pytest.fixture
def articles_dir(tmp_path: Path) -> Path:
    """Four real articles in three formats: the two seeds (.txt), a page (.html), a .md file."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for path in [*SEEDS.glob("*.txt"), *RESOURCES.glob("*.html"), *RESOURCES.glob("*.md")]:
        shutil.copy(path, folder / path.name)
    return folder


def _json(folder: Path) -> str:
    return (folder / "briefing.json").read_text(encoding="utf-8")


def _spec(cache: Path | None = None, **kw: object) -> BriefingSpec:
    return BriefingSpec(now=NOW, jobs=1, cache=cache, **kw)  # type: ignore[arg-type]


class _Counting:
    """Wraps a function and counts its calls."""

    def __init__(self, func: object) -> None:
        self.func = func
        self.calls = 0

    def __call__(self, *args: object, **kw: object) -> object:
        self.calls += 1
        return self.func(*args, **kw)  # type: ignore[operator]


# --------------------------------------------------------------------------- identical output


def test_a_build_is_identical_cold_warm_and_without_the_cache(
    articles_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    build([str(articles_dir)], tmp_path / "cold", _spec(cache))
    assert (cache / CACHE_FILE).stat().st_size > 0

    # Warm: nothing is read, split or screened again; every article comes from the cache.
    reads, prepares = _Counting(read._try_read), _Counting(prepare.prepare)
    monkeypatch.setattr(read, "_try_read", reads)
    monkeypatch.setattr(prepare, "prepare", prepares)
    build([str(articles_dir)], tmp_path / "warm", _spec(cache))
    assert (reads.calls, prepares.calls) == (0, 0)
    monkeypatch.undo()

    build([str(articles_dir)], tmp_path / "none", _spec())
    cold = _json(tmp_path / "cold")
    assert json.loads(cold)["sources"]  # a real briefing, then the same bytes three times
    assert _json(tmp_path / "warm") == cold
    assert _json(tmp_path / "none") == cold


def test_a_new_article_is_the_only_one_read_on_a_rebuild(
    articles_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    read_all([str(articles_dir)], cache=Store(cache))
    (articles_dir / "extra.txt").write_text(
        (SEEDS / "000_f4493892df17a64d.txt").read_text(encoding="utf-8") + "\nA later line.\n",
        encoding="utf-8",
    )
    reads = _Counting(read._try_read)
    monkeypatch.setattr(read, "_try_read", reads)
    with Store(cache) as store:
        again = read_all([str(articles_dir)], cache=store)
    assert reads.calls == 1
    assert again == read_all([str(articles_dir)])  # same articles, paths and warnings


def test_an_article_read_from_the_cache_carries_its_own_path(
    articles_dir: Path, tmp_path: Path
) -> None:
    cache = Store(tmp_path / "cache")
    read_all([str(articles_dir)], cache=cache)
    copy = tmp_path / "copy"
    shutil.copytree(articles_dir, copy)
    from_cache = read_all([str(copy)], cache=cache)
    assert [a.path for a in from_cache.articles] == [a.path for a in read_all([str(copy)]).articles]
    assert all(str(copy) in (a.path or "") for a in from_cache.articles)


# --------------------------------------------------------------------------- invalidation


def test_another_version_or_setting_recomputes(
    articles_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(tmp_path / "cache")
    reads = _Counting(read._try_read)
    monkeypatch.setattr(read, "_try_read", reads)
    read_all([str(articles_dir)], cache=store)
    assert reads.calls == 4
    read_all([str(articles_dir)], cache=store)
    assert reads.calls == 4  # all four from the cache
    read_all([str(articles_dir)], Limits(max_html_depth=50), cache=store)
    assert reads.calls == 8  # a setting that changes what a page reads as
    articles = _numbered(read_all([str(articles_dir)]).articles)
    prepares = _Counting(prepare.prepare)
    monkeypatch.setattr(prepare, "prepare", prepares)
    prepare_all(articles, BriefingSpec(), 1, cache=store)
    prepare_all(articles, BriefingSpec(), 1, cache=store)
    assert prepares.calls == 4

    monkeypatch.setattr(briefgen, "__version__", "999.0")  # another briefgen: nothing is reused
    read_all([str(articles_dir)], cache=store)
    assert reads.calls == 16
    prepare_all(articles, BriefingSpec(), 1, cache=store)
    assert prepares.calls == 8


def _numbered(articles: list[Article]) -> list[Article]:
    return [a.model_copy(update={"id": f"a{i}"}) for i, a in enumerate(articles, 1)]


def test_another_selection_setting_prepares_again(
    articles_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = _numbered(read_all([str(articles_dir)]).articles)
    store = Store(tmp_path / "cache")
    prepares = _Counting(prepare.prepare)
    monkeypatch.setattr(prepare, "prepare", prepares)
    spec = BriefingSpec()
    first = prepare_all(articles, spec, 1, cache=store)
    assert prepares.calls == 4
    again = prepare_all(articles, spec, 1, cache=store)
    assert prepares.calls == 4
    assert again == first == prepare_all(articles, spec, 1)
    stricter = replace(spec, selection=Selection(max_words=20))
    strict = prepare_all(articles, stricter, 1, cache=store)
    assert prepares.calls == 4 + 4 + 4
    assert 0 < sum(strict.candidate) < sum(first.candidate)


def test_quickly_split_and_partly_split_articles_are_kept_apart(
    articles_dir: Path, tmp_path: Path
) -> None:
    texts = [a.text for a in read_all([str(articles_dir)]).articles]
    store = Store(tmp_path / "cache")
    selection = Selection()
    quick = partial(prepare.prepare_quick, selection=selection)
    plain = [quick(t) for t in texts]
    for _ in range(2):  # cold, then from the cache
        got = map_prepared(
            quick, texts, 1, store, kind="quick", texts=texts, until=None, selection=selection
        )
        assert got == plain
    until = [len(t) // 3 for t in texts]
    pairs = list(zip(texts, until, strict=True))
    part = partial(prepare.prepare_part, selection=selection)
    for _ in range(2):
        got = map_prepared(
            part, pairs, 1, store, kind="prepare", texts=texts, until=until, selection=selection
        )
        assert got == [part(p) for p in pairs]
    full = map_prepared(
        partial(prepare.prepare, selection=selection), texts, 1, store, kind="prepare",
        texts=texts, until=None, selection=selection,
    )  # fmt: skip
    assert full == [prepare.prepare(t, selection) for t in texts]
    assert any(len(f.spans) > len(g.spans) for f, g in zip(full, got, strict=True))


# --------------------------------------------------------------------------- bounded


def test_eviction_keeps_the_cache_within_its_bound(tmp_path: Path) -> None:
    bound = 60_000
    with Store(tmp_path, max_bytes=bound) as store:
        keys = [f"k{i:03d}" for i in range(200)]
        for i, key in enumerate(keys):
            store.put_many({key: os.urandom(1000)})  # incompressible
            if i >= 5:
                assert store.get_many([keys[0]])  # used again and again: never evicted
            assert store.size() <= bound
        kept = store.get_many(keys)
    assert keys[0] in kept
    assert keys[-1] in kept
    assert keys[1] not in kept  # the least recently used went first
    assert 30 < len(kept) < 60
    assert (tmp_path / CACHE_FILE).stat().st_size < 2 * bound  # freed pages are given back


# --------------------------------------------------------------------------- concurrency


def _fill(folder: str, worker: int) -> None:
    with Store(Path(folder), max_bytes=200_000) as store:
        for i in range(40):
            store.put_many({f"{worker}-{i}": os.urandom(500), "shared": b"same"})
            store.get_many([f"{worker}-{j}" for j in range(i)] + ["shared"])
        if not store.usable:
            raise SystemExit(1)


def test_processes_writing_one_cache_at_once_all_succeed(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_fill, args=(str(tmp_path), w)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    with Store(tmp_path, max_bytes=200_000) as store:
        assert store.get_many(["shared"]) == {"shared": b"same"}
        assert store.size() <= 200_000


def test_two_builds_sharing_a_cache_at_once_both_succeed_alike(
    articles_dir: Path, tmp_path: Path
) -> None:
    exe = Path(sys.executable).with_name("briefgen")
    cache = tmp_path / "cache"
    common = ["--cache", str(cache), "--now", NOW.isoformat()]
    outs = [tmp_path / "one", tmp_path / "two"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [str(exe), "build", str(articles_dir), "-o", str(out), *common],
            stderr=subprocess.PIPE,
            env=env,
        )
        for out in outs
    ]
    errors = [p.communicate(timeout=180)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    assert not any("cache" in e for e in errors)  # no warning about the cache either
    assert _json(outs[0]) == _json(outs[1])


# --------------------------------------------------------------------------- damage


def test_a_corrupt_cache_file_is_one_warning_and_the_same_briefing(
    articles_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / CACHE_FILE).write_bytes(b"not a database, " * 512)
    with caplog.at_level(logging.WARNING, logger="briefgen.base.cache"):
        build([str(articles_dir)], tmp_path / "out", _spec(cache))
    warnings = [r.getMessage() for r in caplog.records if r.name == "briefgen.base.cache"]
    assert len(warnings) == 1
    assert str(cache / CACHE_FILE) in warnings[0]
    build([str(articles_dir)], tmp_path / "plain", _spec())
    assert _json(tmp_path / "out") == _json(tmp_path / "plain")


def test_damaged_entries_are_recomputed_with_one_warning_and_rewritten(
    articles_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cache = tmp_path / "cache"
    read_all([str(articles_dir)], cache=Store(cache))
    with sqlite3.connect(cache / CACHE_FILE) as db:
        db.execute("UPDATE entries SET value = X'00010203'")  # fails zlib's checksum
    db.close()
    with caplog.at_level(logging.WARNING, logger="briefgen.base.cache"):
        damaged = read_all([str(articles_dir)], cache=Store(cache))
        assert len([r for r in caplog.records if r.name == "briefgen.base.cache"]) == 1
        caplog.clear()
        again = read_all([str(articles_dir)], cache=Store(cache))
        assert not [r for r in caplog.records if r.name == "briefgen.base.cache"]
    assert damaged == again == read_all([str(articles_dir)])


def test_an_entry_that_decodes_to_nonsense_is_recomputed(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.put_many({"k": b"\x01\x02\x03"})

    def decode(_i: int, blob: bytes) -> int:
        raise ValueError("not a number")

    def encode(value: int) -> bytes:
        return str(value).encode()

    got = cached_map(store, ["k", None], lambda missing: [7 * i for i in missing], encode, decode)
    assert got == [0, 7]
    assert store.get_many(["k"]) == {"k": b"0"}  # replaced by what was computed


# --------------------------------------------------------------------------- settings


def test_the_cache_is_no_part_of_the_recorded_settings(tmp_path: Path) -> None:
    recorded = _spec(tmp_path, cache_size=5_000_000).recorded()
    assert "cache" not in recorded and "cache_size" not in recorded


def test_a_cache_size_below_one_byte_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cache_size"):
        BriefingSpec(cache=tmp_path, cache_size=0)
    exe = Path(sys.executable).with_name("briefgen")
    done = subprocess.run(
        [str(exe), "build", str(SEEDS), "--cache", str(tmp_path), "--cache-size", "0"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 2
    assert "--cache-size" in done.stderr


# --------------------------------------------------------------------------- scheduled runs


def _config(tmp_path: Path, articles_dir: Path, extra: str = "") -> Path:
    config = tmp_path / "briefings.toml"
    config.write_text(
        f'[[briefings]]\nname = "kz"\nsources = ["{articles_dir}"]\nformats = ["json", "md"]\n'
        + extra,
        encoding="utf-8",
    )
    return config


def test_scheduled_runs_keep_the_cache_in_the_state_folder(
    articles_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefgen.service.runner import run_briefing

    config = _config(tmp_path, articles_dir, 'cache_size = "50MB"\n')
    reports = tmp_path / "reports"
    assert run_briefing(config, "kz", reports, now=NOW).status == "published"
    store = reports / ".briefgen-cache" / CACHE_FILE
    assert store.stat().st_size > 0
    reads = _Counting(read._try_read)
    monkeypatch.setattr(read, "_try_read", reads)
    later = datetime(2026, 1, 2, 7, 0, tzinfo=UTC)
    assert run_briefing(config, "kz", reports, force=True, now=later, jobs=1).status == "published"
    assert reads.calls == 0  # every article came from the state folder's cache


def test_a_briefing_with_cache_off_keeps_none(articles_dir: Path, tmp_path: Path) -> None:
    from briefgen.service.runner import run_briefing

    config = _config(tmp_path, articles_dir, "cache = false\n")
    reports = tmp_path / "reports"
    assert run_briefing(config, "kz", reports, now=NOW).status == "published"
    assert not (reports / ".briefgen-cache").exists()
