"""Exact and near-duplicate articles: the first in input order is kept."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from briefgen.ingest.dedupe import (
    NUM_PERM,
    SEED,
    THRESHOLD,
    Duplicate,
    _bands,
    _pairwise,
    _Permutations,
    find_duplicates,
    minhash,
    shingles,
    signature,
)
from briefgen.ingest.read import ingest

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
VESTI = SEEDS / "002_7bd0d2179170dade.txt"
WIRE = SEEDS / "000_f4493892df17a64d.txt"


def _wire_copy(original: str) -> str:
    """The Vesti seed re-run under a new headline with a few words edited, as wire copies are."""
    lines = original.split("\n")
    lines[1] = "Astana's Middle East diplomacy watched closely across Central Asia"
    body = "\n".join(lines)
    for old, new in [
        ("actively participating", "taking part"),
        ("particular significance", "special importance"),
        ("Thus, Kazakhstan", "Kazakhstan"),
    ]:
        assert old in body
        body = body.replace(old, new)
    return body


def test_wire_copy_with_new_headline_is_dropped_as_near_duplicate_of_the_kept_file(
    tmp_path: Path,
) -> None:
    shutil.copy(VESTI, tmp_path / "a_vesti.txt")
    (tmp_path / "b_copy.txt").write_text(_wire_copy(VESTI.read_text("utf-8")), encoding="utf-8")
    result = ingest([str(tmp_path)])
    kept = result.articles[0]
    assert [a.id for a in result.articles] == ["a1"] and kept.path.endswith("a_vesti.txt")
    [dropped] = result.dropped
    assert dropped.path.endswith("b_copy.txt")
    assert dropped.duplicate_of == "a1"
    assert dropped.reason.startswith(f"near-duplicate of {kept.path} (Jaccard 0.")
    assert any(w.startswith(f"{dropped.path}: dropped as near-duplicate") for w in result.warnings)


def test_exact_copy_is_dropped_and_ids_stay_consecutive(tmp_path: Path) -> None:
    shutil.copy(WIRE, tmp_path / "a.txt")
    shutil.copy(WIRE, tmp_path / "b.txt")
    shutil.copy(VESTI, tmp_path / "c.txt")
    result = ingest([str(tmp_path)])
    assert [(a.id, Path(a.path or "").name) for a in result.articles] == [
        ("a1", "a.txt"),
        ("a2", "c.txt"),
    ]
    assert result.dropped[0].reason == f"exact duplicate of {result.articles[0].path}"
    assert result.dropped[0].duplicate_of == "a1"


def test_two_different_articles_on_the_same_topic_are_both_kept() -> None:
    result = ingest([str(SEEDS)])
    assert len(result.articles) == 2 and result.dropped == []


def test_find_duplicates_keeps_the_first_in_input_order() -> None:
    base = " ".join(f"word{i}" for i in range(200))
    edited = base.replace("word50 ", "changed ")
    other = " ".join(f"other{i}" for i in range(200))
    [dup] = find_duplicates([other, base, edited])
    assert (dup.index, dup.kept, dup.exact) == (2, 1, False)
    assert 0.9 < dup.jaccard < 1.0


def test_articles_below_the_threshold_are_not_duplicates() -> None:
    base = [f"word{i}" for i in range(100)]
    half = base[:50] + [f"new{i}" for i in range(50)]
    assert find_duplicates([" ".join(base), " ".join(half)]) == []


def test_shingles_are_five_word_windows_ignoring_case_and_punctuation() -> None:
    assert shingles("The Board, of Peace met today.") == {
        "the board of peace met",
        "board of peace met today",
    }
    assert shingles("Too short.") == {"too short"}


# --------------------------------------------------------------------------- MinHash LSH path


def _texts_around_the_threshold(n: int = 90) -> list[str]:
    """``n`` texts over 64 (the LSH path): distinct texts, and copies of them with a growing
    share of words changed, so their Jaccard runs from 1 down past the 0.8 threshold."""
    rng = random.Random(20)
    vocabulary = [f"w{i}" for i in range(3000)]
    bases = [[rng.choice(vocabulary) for _ in range(150)] for _ in range(n // 2)]
    texts = [" ".join(words) for words in bases]
    for k, words in enumerate(bases):
        copy = list(words)
        for i in rng.sample(range(len(copy)), k % 9):  # 0 to 8 words of 150 changed
            copy[i] = f"edit{k}_{i}"
        texts.append(" ".join(copy))
    return texts


def _datasketch_duplicates(texts: list[str]) -> list[Duplicate]:
    """The same search done with datasketch's MinHash and MinHashLSH, as briefgen did before."""
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    first: dict[str, int] = {}
    sets: dict[int, set[str]] = {}
    found = []
    for i, text in enumerate(texts):
        if text in first:
            found.append(Duplicate(i, first[text], 1.0, exact=True))
            continue
        sets[i] = shingles(text)
        mh = MinHash(num_perm=NUM_PERM, seed=SEED)
        mh.update_batch([s.encode("utf-8") for s in sorted(sets[i])])
        candidates = sorted(int(key) for key in lsh.query(mh))
        scored = [(len(sets[i] & sets[k]) / len(sets[i] | sets[k]), k) for k in candidates]
        best = max(scored, key=lambda p: (p[0], -p[1]), default=(0.0, -1))
        if best[0] >= THRESHOLD:
            found.append(Duplicate(i, best[1], best[0], exact=False))
            continue
        first[text] = i
        lsh.insert(str(i), mh)
    return found


def test_minhash_signatures_are_datasketchs_for_the_same_shingles() -> None:
    from datasketch import MinHash

    items = shingles(VESTI.read_text("utf-8"))
    reference = MinHash(num_perm=NUM_PERM, seed=SEED)
    reference.update_batch([s.encode("utf-8") for s in items])
    ours = minhash(items, _Permutations.make(NUM_PERM, SEED))
    assert ours.tolist() == reference.hashvalues.tolist()


def test_lsh_bands_are_those_datasketch_chooses_for_the_threshold() -> None:
    from datasketch import MinHashLSH

    reference = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    assert _bands(THRESHOLD, NUM_PERM) == (reference.b, reference.r)


def test_over_64_texts_the_same_copies_are_found_as_with_datasketch() -> None:
    texts = _texts_around_the_threshold()
    found = find_duplicates(texts)
    assert found == _datasketch_duplicates(texts)
    assert {d.index - len(texts) // 2 for d in found} <= set(range(len(texts) // 2))
    assert any(d.jaccard < 0.9 for d in found) and len(found) >= 10
    # LSH misses some copies just over the threshold (comparing every pair finds them): the
    # same candidates, not only the same threshold, are what keeps the decisions unchanged.
    assert len(_pairwise(texts, THRESHOLD)) > len(found)


def test_signatures_computed_elsewhere_give_the_same_copies() -> None:
    texts = _texts_around_the_threshold()
    signatures = [signature(text) for text in texts]  # as a worker or a cache would hand them
    assert find_duplicates(texts, signatures=signatures) == find_duplicates(texts)


def test_reading_finds_each_articles_signature_as_dedupe_would(tmp_path: Path) -> None:
    """The reading processes sign each article (cold or from the cache) exactly as
    de-duplication would sign its text, so ingest hands dedupe finished signatures."""
    from briefgen.base.cache import Store
    from briefgen.ingest.dedupe import signature
    from briefgen.ingest.read import read_all

    seeds = Path(__file__).resolve().parent.parent / "seeds"
    store = Store(tmp_path / "cache")
    for cache in (None, store, store):  # no cache, cold cache, warm cache
        read = read_all([str(seeds)], jobs=1, cache=cache)
        assert len(read.signatures) == len(read.articles) == 2
        for article, sig in zip(read.articles, read.signatures, strict=True):
            assert (sig == signature(article.text)).all()
