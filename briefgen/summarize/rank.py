"""Stage 3: rank sentences across all articles and choose what the briefing says.

This is where a sentence is chosen.  Ranking combines four signals over stemmed TF-IDF vectors
(unigrams + bigrams, sublinear tf):

* **centrality**: LexRank (PageRank over the sentence-similarity graph);
* **centroid**: similarity to the centre of the whole cluster of articles;
* **support**: how many *other* articles carry a similar sentence — a fact several outlets
  report matters more;
* **position**: news puts the facts first.

Selection is greedy MMR with a hard redundancy cut, so two articles reporting the same fact give
one point, and that point cites both (:func:`supporting_citations`).  The same :func:`select` call
makes a briefing's key points and the quality benchmark's summaries.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import scipy.sparse as sp

from briefgen.base.text import WORD
from briefgen.errors import SummarizeError
from briefgen.model import Article, Citation, Sentence, Statement
from briefgen.summarize.similarity import STOP_WORDS, stem_word, term_lists, tfidf

# Sentences that are page furniture or scraping stubs rather than news: they are never chosen.
_NOT_NEWS = re.compile(
    r"""(?ix)
    tweet\ with\ a\ location | add\ location\ information | alexa\ internet | wayback\ machine
    | internet\ archive | these\ crawls\ are\ part | interactive\ transcript | dow\ jones\ reprints
    | all\ rights\ reserved | copyright\ \d | ©
    | sign\ up\ for | subscribe\ to | our\ newsletter | click\ here | follow\ us
    | (?:^|\s)(?:photo|image|video)\s*(?:credit)?\s*: | getty\ images | associated\ press\ photo
    | related\ *: | read\ more | share\ this | cookies? | javascript | your\ browser
    | https?:// | www\.
    # photo captions and credits: "FILE - This June 2013 photo ...", "(AP Photo/...)", "is seen"
    | ^\W*\d*\s*FILE\s*[-–—] | \bfile\ photo\b | \bphoto\ (?:released|provided|taken)\b
    | \b(?:AP|Reuters|AFP|Getty)\ (?:Photo|Images)\b | staff\ photographer | \b(?:is|are)\ seen\b
    | \bpictured\b | micrograph | ✉ | \bthis\ (?:undated\ )?(?:photo|image|picture)\b
    # embed and sign-off boilerplate: Twitter's location notice, "add X as an interest", credit
    # lines, web-archive notices
    | location\ history | as\ an\ interest\ to | stay\ up\ to\ date\ on\ the\ latest
    | contributed\ (?:to\ )?(?:this|the)\ (?:report|story) | contributed\ reporting
    | broken\ links | no\ more\ 404 | \bcrawls?\ (?:of|data)\b
    """
)
# A name list (authors, credits): most words capitalised, no verb-like lower-case word.
_MOSTLY_NAMES = 0.6
_FORWARD = re.compile(
    r"(?i)\b(will|won't|would|could|may|might|expected|expects|plans?|planned|planning|"
    r"intends?|aims? to|set to|likely|next (?:week|month|year)|upcoming|future|forecast|"
    r"is to|are to|prospects?|outlook)\b"
)
_BACKGROUND = re.compile(
    r"(?i)\b(has long|have long|had been|previously|since (?:19|20)\d\d|in (?:19|20)\d\d|"
    r"long-standing|longstanding|history|historically|traditionally|first|earlier|ago|"
    r"was established|were established|originally|background|years)\b"
)

_TRUNCATED_OR_QUESTION = re.compile(r"(?:\.\.\.|…|\?)[\"”’']?$")

_DANGLING = re.compile(
    r"(?:If not|This|These|That|Those|It|They|He|She|His|Her|Their|Such|But|And|So|Yet)\b"
)


@dataclass(frozen=True)
class SummaryOptions:
    """How much a briefing says.  Defaults keep a briefing to 2-3 pages at any input size."""

    min_key_points: int = 3
    max_key_points: int = 7
    max_background: int = 3
    max_outlook: int = 3
    min_words: int = 6
    max_words: int = 80
    redundancy: float = 0.45  # cosine above which a candidate repeats a chosen sentence
    support_similarity: float = 0.18  # cosine above which another article supports a sentence
    mmr_lambda: float = 0.75
    # Ranking weights (they sum to 1): graph centrality, closeness to the cluster centroid,
    # cross-outlet support, and position in the article.
    w_lexrank: float = 0.0
    w_centroid: float = 0.35
    w_support: float = 0.20
    w_position: float = 0.30
    # Length fit: sentences of fit_min..fit_max words carry a whole fact and read in one breath.
    fit_min: int = 15
    fit_max: int = 35
    # Readability: a mild penalty per Flesch-Kincaid grade above max_grade (after shortening), so of
    # two sentences with about the same score the easier one wins; key points longer than
    # max_key_point_words are chosen only when no shorter candidate is left.
    max_grade: float = 12.0
    grade_penalty: float = 0.01
    max_key_point_words: int = 35
    shorten: bool = True  # deletion-only shortening (compress.shorten) before display
    # Concept coverage (after the first pick): weight per shown word of the not-yet-covered
    # content words several articles share that a candidate would add (scaled per step so the
    # best candidate gets 1), alongside its score in the greedy choice.
    w_coverage: float = 0.2
    position_decay: float = 1.0  # position signal = (1 + index) ** -position_decay
    balanced_centroid: bool = False
    # Selection method: "mmr" (greedy, above) or "ilp", an exact concept-coverage ILP (Gillick &
    # Favre 2009) over the ilp_pool best-scored candidates, solved by scipy's HiGHS.  Concepts are
    # stemmed word bigrams (not both stop words) found in two or more articles, weighted by the sum
    # over those articles of (1 + index of the earliest sentence with it) ** -ilp_position_decay;
    # the objective adds ilp_lambda * score (scaled to the heaviest concept) per sentence.  Not the
    # default: on the news-mds-dev held-out half it scored lower R-1 than "mmr" (see
    # benchmarks/results/quality-experiments.md).
    selector: str = "mmr"
    ilp_lambda: float = 1.0
    ilp_pool: int = 150
    ilp_position_decay: float = 0.6
    ilp_time_limit: float = 5.0  # seconds per solve; on time-out the best solution found is used


@dataclass
class Ranking:
    """Scores and vectors of the candidate sentences, ready for selection."""

    sentences: list[Sentence]
    vectors: sp.csr_matrix  # rows L2-normalised
    score: np.ndarray
    support: np.ndarray  # number of other articles with a similar sentence
    outlets: dict[str, str] = field(default_factory=dict)  # article id -> outlet key
    shown: list[str] = field(default_factory=list)  # text a briefing shows (shortened)
    concepts: list[frozenset[str]] = field(default_factory=list)  # shared word pairs per sentence
    concept_weight: dict[str, float] = field(default_factory=dict)
    # Bigram concepts and their weights, only when options.selector == "ilp".
    ilp_concepts: list[frozenset[str]] = field(default_factory=list)
    ilp_weight: dict[str, float] = field(default_factory=dict)

    def text(self, i: int) -> str:
        """What sentence ``i`` looks like in a briefing (shortened when shortening is on)."""
        return self.shown[i] if self.shown else self.sentences[i].text

    def length(self, i: int) -> int:
        """Words shown for sentence ``i``: what a word budget counts."""
        return len(self.text(i).split())


@dataclass(frozen=True)
class Summary:
    bottom_line: list[Statement]
    key_points: list[Statement]
    background: list[Statement]
    outlook: list[Statement]


# --------------------------------------------------------------------------- text features


def words(text: str) -> list[str]:
    return WORD.findall(text)


def terms(text: str) -> list[str]:
    """Stemmed content words: the vocabulary similarity is measured in."""
    return term_lists(text)


def is_candidate(sentence: Sentence, options: SummaryOptions) -> bool:
    """Whether a sentence may appear in a briefing at all (length, not page furniture)."""
    text = sentence.text
    n = len(words(text))
    if n < options.min_words or n > options.max_words:
        return False
    if _NOT_NEWS.search(text):
        return False
    if text.rstrip()[-1:] not in ".!?\"”’'":  # headings, captions and fragments
        return False
    # A trailing ellipsis is a cut-off caption or teaser; a question is not a finding.
    if _TRUNCATED_OR_QUESTION.search(text.rstrip()):
        return False
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) > 0.5 * len(letters):
        return False
    tokens = words(text)
    return sum(t[:1].isupper() for t in tokens) <= _MOSTLY_NAMES * len(tokens)


def vectorize(texts: Sequence[str]) -> sp.csr_matrix:
    """L2-normalised TF-IDF rows over stemmed unigrams and bigrams, sublinear tf."""
    vectors = tfidf([_with_bigrams(terms(t)) for t in texts])
    if vectors.nnz == 0:
        raise SummarizeError("the articles have no words to summarize")
    return vectors


def _with_bigrams(toks: list[str]) -> list[str]:
    return toks + [f"{a} {b}" for a, b in itertools.pairwise(toks)]


# --------------------------------------------------------------------------- ranking


def _lexrank(sim: sp.csr_matrix, threshold: float = 0.1, damping: float = 0.85) -> np.ndarray:
    """PageRank over the thresholded similarity graph, by power iteration on a sparse matrix."""
    n = sim.shape[0]
    graph = sim.multiply(sim >= threshold).tocsr()
    graph.setdiag(0)
    graph.eliminate_zeros()
    degree = np.asarray(graph.sum(axis=1)).ravel()
    degree[degree == 0] = 1.0
    transition = sp.diags(1.0 / degree) @ graph
    rank = np.full(n, 1.0 / n)
    for _ in range(100):
        new = (1 - damping) / n + damping * (transition.T @ rank)
        if np.abs(new - rank).sum() < 1e-8:
            break
        rank = new
    return np.asarray(rank)


def _scale(x: np.ndarray) -> np.ndarray:
    top = float(x.max()) if x.size else 0.0
    return x / top if top > 0 else x


def outlet_key(article: Article) -> str:
    """Articles from one outlet count as one source of support."""
    return (article.outlet or article.id).strip().lower()


def rank(
    articles: Sequence[Article],
    sentences: Sequence[Sentence],
    options: SummaryOptions | None = None,
) -> Ranking:
    """Score every candidate sentence of the cluster."""
    options = options or SummaryOptions()
    cands = [s for s in sentences if is_candidate(s, options)]
    if not cands:
        raise SummarizeError("no sentence in the articles is long enough to quote")
    vectors = vectorize([s.text for s in cands])
    from briefgen.summarize.similarity import neighbours  # sparse top-k: never an n x n matrix

    sim = neighbours(vectors, threshold=min(0.1, options.support_similarity))
    ids = np.array([s.article_id for s in cands])
    outlets = {a.id: outlet_key(a) for a in articles}

    # Support: distinct other outlets that carry a similar sentence.
    support = np.zeros(len(cands))
    coo = sim.multiply(sim >= options.support_similarity).tocoo()
    seen: dict[int, set[str]] = {}
    for i, j in zip(coo.row, coo.col, strict=True):
        if ids[i] != ids[j] and outlets[ids[j]] != outlets[ids[i]]:
            seen.setdefault(int(i), set()).add(outlets[ids[j]])
    for i, who in seen.items():
        support[i] = len(who)

    centroid = _centroid(vectors, ids, options.balanced_centroid)
    norm = np.linalg.norm(centroid)
    centroid_score = vectors @ (centroid / norm) if norm else np.zeros(len(cands))
    position = np.array([(1.0 + s.index) ** -options.position_decay for s in cands])
    n_outlets = max(1, len(set(outlets.values())) - 1)
    shown = [_shorten(s.text) if options.shorten else s.text for s in cands]
    # A sentence that leans on the one before it ("If not, it may ...") reads badly alone.
    dangling = np.array([0.8 if _DANGLING.match(s.text) else 1.0 for s in cands])
    fit = np.array([_length_fit(len(t.split()), options) for t in shown])
    readable = np.array([_readability_factor(t, options) for t in shown])

    score = (
        (
            options.w_lexrank * (_scale(_lexrank(sim)) if options.w_lexrank else 0.0)
            + options.w_centroid * _scale(np.asarray(centroid_score).ravel())
            + options.w_support * support / n_outlets
            + options.w_position * position
        )
        * dangling
        * fit
        * readable
    )
    concepts, weights = _concepts(sentences, shown)
    ranking = Ranking(list(cands), vectors, score, support, outlets, shown, concepts, weights)
    if options.selector == "ilp":
        ranking.ilp_concepts, ranking.ilp_weight = _bigram_concepts(sentences, shown, options)
    elif options.selector != "mmr":
        raise SummarizeError(f"unknown selector {options.selector!r}: use 'mmr' or 'ilp'")
    return ranking


def _concepts(
    sentences: Sequence[Sentence], shown: Sequence[str]
) -> tuple[list[frozenset[str]], dict[str, float]]:
    """Concepts (Gillick & Favre, on words): stemmed content words found in at least two articles,
    weighted by how many carry them.  With a single article, words in three sentences count."""
    df: dict[str, set[str]] = {}
    tf: dict[str, int] = {}
    for s in sentences:
        for t in terms(s.text):
            df.setdefault(t, set()).add(s.article_id)
            tf[t] = tf.get(t, 0) + 1
    multi = len({s.article_id for s in sentences}) > 1
    weights = {
        t: float(len(a)) if multi else float(tf[t])
        for t, a in df.items()
        if (len(a) >= 2 if multi else tf[t] >= 3)
    }
    return [frozenset(t for t in terms(x) if t in weights) for x in shown], weights


_TOKEN = re.compile(r"[a-z0-9]+")


def _bigrams(text: str) -> set[str]:
    """Stemmed word bigrams of ``text``, except those made only of stop words (ICSI concepts)."""
    stop = STOP_WORDS
    raw = _TOKEN.findall(text.lower())
    stems = [stem_word(w) for w in raw]
    return {
        f"{a} {b}"
        for (a, b), (x, y) in zip(itertools.pairwise(stems), itertools.pairwise(raw), strict=True)
        if not (x in stop and y in stop)
    }


def _bigram_concepts(
    sentences: Sequence[Sentence], shown: Sequence[str], options: SummaryOptions
) -> tuple[list[frozenset[str]], dict[str, float]]:
    """ILP concepts: bigrams in at least two articles (three sentences if there is one article),
    weighted by the sum over articles of how early each first carries it."""
    earliest: dict[str, dict[str, float]] = {}
    count: dict[str, int] = {}
    for s in sentences:
        value = (1.0 + s.index) ** -options.ilp_position_decay
        for c in _bigrams(s.text):
            per = earliest.setdefault(c, {})
            per[s.article_id] = max(per.get(s.article_id, 0.0), value)
            count[c] = count.get(c, 0) + 1
    multi = len({s.article_id for s in sentences}) > 1
    weights = {
        c: sum(per.values()) if multi else float(count[c])
        for c, per in earliest.items()
        if (len(per) >= 2 if multi else count[c] >= 3)
    }
    return [frozenset(_bigrams(x) & weights.keys()) for x in shown], weights


def _centroid(vectors: sp.csr_matrix, ids: np.ndarray, balanced: bool) -> np.ndarray:
    """Centre of the cluster; balanced, each article counts once, so one long article (a privacy
    policy, a transcript) does not pull the centre of the story towards itself."""
    if not balanced:
        return np.asarray(vectors.mean(axis=0)).ravel()
    parts = [np.asarray(vectors[np.flatnonzero(ids == a)].mean(axis=0)).ravel() for a in set(ids)]
    return np.mean(parts, axis=0)


def _shorten(text: str) -> str:
    from briefgen.summarize.compress import shorten

    return shorten(text)


def _length_fit(n: int, options: SummaryOptions) -> float:
    """1 inside fit_min..fit_max words; short fragments and run-ons lose a little per word."""
    if n < options.fit_min:
        return max(0.5, 1.0 - 0.03 * (options.fit_min - n))
    if n > options.fit_max:
        return max(0.7, 1.0 - 0.01 * (n - options.fit_max))
    return 1.0


def _readability_factor(text: str, options: SummaryOptions) -> float:
    """Mild: a sentence 5 grades too hard loses ``5 * grade_penalty`` of its score, no more."""
    if options.grade_penalty <= 0:
        return 1.0
    from briefgen.base.syllables import textstat

    grade = float(textstat().flesch_kincaid_grade(text))
    return 1.0 - options.grade_penalty * min(10.0, max(0.0, grade - options.max_grade))


# --------------------------------------------------------------------------- selection


def select(
    ranking: Ranking,
    *,
    max_items: int | None = None,
    word_budget: int | None = None,
    exclude: Sequence[int] = (),
    only: Sequence[int] | None = None,
    options: SummaryOptions | None = None,
) -> list[int]:
    """Greedy MMR: indices into ``ranking.sentences`` in the order they were chosen.

    Stops at ``max_items`` sentences or when nothing left fits ``word_budget`` (counted on the
    text as shown, after shortening); a sentence too long for what is left of the budget is
    passed over for a shorter one.  A candidate too similar to anything already chosen (or
    excluded) is skipped, never shown twice.  A sentence longer than ``max_key_point_words`` is
    chosen only when no shorter candidate is left.
    """
    options = options or SummaryOptions()
    pool = set(range(len(ranking.sentences)) if only is None else only) - set(exclude)
    if options.selector == "ilp" and ranking.ilp_weight:
        chosen = _ilp(
            ranking,
            sorted(pool, key=lambda i: (-ranking.score[i], i)),
            max_items,
            word_budget,
            options,
        )
        if chosen is not None:
            left = None if word_budget is None else word_budget - sum(map(ranking.length, chosen))
            more = None if max_items is None else max_items - len(chosen)
            if (left is None or left > 0) and (more is None or more > 0):
                rest = replace(options, selector="mmr")
                exclude = [*exclude, *chosen]
                chosen += select(
                    ranking,
                    max_items=more,
                    word_budget=left,
                    exclude=exclude,
                    only=only,
                    options=rest,
                )
            return chosen
    chosen: list[int] = []
    taken = list(exclude)
    used = 0
    order = sorted(pool, key=lambda i: (-ranking.score[i], i))
    while order and (max_items is None or len(chosen) < max_items):
        left = None if word_budget is None else word_budget - used
        best = _best(ranking, order, taken, left, options)
        if best is None:
            break
        order.remove(best)
        chosen.append(best)
        taken.append(best)
        used += ranking.length(best)
        # The same fact in another article becomes a citation of this point, never a point.
        echoes = {int(j) for j in _support_matches(ranking, best, options).values()}
        order = [i for i in order if i not in echoes]
    return chosen


def _ilp(
    ranking: Ranking,
    order: Sequence[int],
    max_items: int | None,
    word_budget: int | None,
    options: SummaryOptions,
) -> list[int] | None:
    """Exact concept-coverage selection among the ``ilp_pool`` best-scored of ``order``.

    Maximise sum(w_c * c) + ilp_lambda * max(w) * sum(score_s * s) subject to the word budget
    and/or item count, s <= c for each concept c of s, c <= sum of the s that carry it.  The
    best-scored sentence is forced in (it is the bottom line).  Returns the chosen indices best
    score first, or None when the solver finds nothing.
    """
    from scipy.optimize import Bounds, LinearConstraint, milp

    order = list(order)[: options.ilp_pool]
    if not order:
        return []
    concepts = [ranking.ilp_concepts[i] for i in order]
    vocab = sorted(set().union(*concepts))
    col = {c: len(order) + k for k, c in enumerate(vocab)}
    n, m = len(order), len(vocab)
    weight = np.array([ranking.ilp_weight[c] for c in vocab])
    top = float(weight.max()) if m else 1.0
    cost = -np.concatenate([options.ilp_lambda * top * ranking.score[order], weight])
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    upper: list[float] = []
    carriers: dict[int, list[int]] = {}
    for k, cs in enumerate(concepts):
        for c in cs:  # s_k - c <= 0
            rows += [len(upper)] * 2
            cols += [k, col[c]]
            vals += [1.0, -1.0]
            upper.append(0.0)
            carriers.setdefault(col[c], []).append(k)
    for j, ks in carriers.items():  # c - sum(s) <= 0
        rows += [len(upper)] * (1 + len(ks))
        cols += [j, *ks]
        vals += [1.0] + [-1.0] * len(ks)
        upper.append(0.0)
    for limit, per in ((word_budget, [ranking.length(i) for i in order]), (max_items, [1] * n)):
        if limit is not None:
            rows += [len(upper)] * n
            cols += list(range(n))
            vals += [float(x) for x in per]
            upper.append(float(limit))
    lower = np.zeros(n + m)
    if (word_budget is None or ranking.length(order[0]) <= word_budget) and max_items != 0:
        lower[0] = 1.0
    a = sp.csr_matrix((vals, (rows, cols)), shape=(len(upper), n + m))
    result = milp(
        cost,
        constraints=LinearConstraint(a, -np.inf, np.array(upper)),
        integrality=np.ones(n + m),
        bounds=Bounds(lower, np.ones(n + m)),
        options={"time_limit": options.ilp_time_limit},
    )
    if result.x is None:
        return None
    return [order[k] for k in range(n) if result.x[k] > 0.5]


def _best(
    ranking: Ranking,
    order: Sequence[int],
    taken: Sequence[int],
    left: int | None,
    options: SummaryOptions,
) -> int | None:
    """The next MMR pick among candidates that fit ``left`` words; shorter key points first."""
    fallback, fallback_value = None, -np.inf
    best, best_value = None, -np.inf
    sims = _similarities(ranking, order, taken)
    gain = _coverage_gain(ranking, order, taken, options)
    for k, i in enumerate(order):
        n = ranking.length(i)
        if left is not None and n > left:
            continue
        overlap = float(sims[k])
        if overlap > options.redundancy:
            continue
        value = options.mmr_lambda * ranking.score[i] - (1 - options.mmr_lambda) * overlap
        value += options.w_coverage * gain[k]
        if n > options.max_key_point_words:
            if value > fallback_value:
                fallback, fallback_value = i, value
        elif value > best_value:
            best, best_value = i, value
    return best if best is not None else fallback


def _coverage_gain(
    ranking: Ranking, order: Sequence[int], taken: Sequence[int], options: SummaryOptions
) -> np.ndarray:
    """Weight of new concepts per shown word each candidate adds, scaled so the best gets 1.

    Nothing before the first pick: the bottom line is the best-scored sentence, not the densest.
    """
    if options.w_coverage <= 0 or not ranking.concepts or not taken:
        return np.zeros(len(order))
    covered: set[str] = set().union(*(ranking.concepts[j] for j in taken))
    w = ranking.concept_weight
    gain = np.array(
        [
            sum(w[c] for c in ranking.concepts[i] - covered) / max(1, ranking.length(i))
            for i in order
        ],
        float,
    )
    return _scale(gain)


def _similarities(ranking: Ranking, order: Sequence[int], taken: Sequence[int]) -> np.ndarray:
    """Highest similarity of each candidate in ``order`` to anything already taken."""
    if not taken or not order:
        return np.zeros(len(order))
    sims = (ranking.vectors[list(order)] @ ranking.vectors[list(taken)].T).toarray()
    return np.asarray(sims.max(axis=1)).ravel()


def _support_matches(ranking: Ranking, i: int, options: SummaryOptions) -> dict[str, int]:
    """The most similar sentence of every other article that reports what sentence ``i`` says."""
    me = ranking.sentences[i].article_id
    sims = (ranking.vectors @ ranking.vectors[i].T).toarray().ravel()
    best: dict[str, int] = {}
    for j in np.argsort(-sims, kind="stable"):
        if sims[j] < options.support_similarity:
            break
        other = ranking.sentences[j].article_id
        if other != me and other not in best:
            best[other] = int(j)
    return best


def supporting_citations(ranking: Ranking, i: int, options: SummaryOptions) -> list[Citation]:
    """Citations for sentence ``i``: itself first, then the best match in each other article."""
    matches = _support_matches(ranking, i, options)
    return [_cite(ranking.sentences[j]) for j in (i, *matches.values())]


def _cite(s: Sentence) -> Citation:
    return Citation(article_id=s.article_id, sentence_index=s.index, start=s.start, end=s.end)


def statement(ranking: Ranking, i: int, options: SummaryOptions) -> Statement:
    s = ranking.sentences[i]
    cites = supporting_citations(ranking, i, options)
    outlets = {ranking.outlets.get(c.article_id, c.article_id) for c in cites}
    text = ranking.text(i)
    return Statement(
        text=text,
        source_text=s.text,
        citations=cites,
        score=round(float(ranking.score[i]), 4),
        shortened=text != s.text,
        single_source=len(outlets) == 1 and len(set(ranking.outlets.values())) > 1,
    )


def key_point_count(ranking: Ranking, options: SummaryOptions) -> int:
    """3-7 key points: more when there is more to say, never past the page budget."""
    n = len(ranking.sentences)
    return max(options.min_key_points, min(options.max_key_points, 3 + n // 25))


def summarize(ranking: Ranking, options: SummaryOptions | None = None) -> Summary:
    """Bottom line, key points, background and outlook, each a list of cited statements."""
    options = options or SummaryOptions()
    k = key_point_count(ranking, options)
    main = select(ranking, max_items=k + 1, options=options)
    if not main:
        raise SummarizeError("no sentence could be selected")
    bottom, points = main[:1], main[1:]
    texts = [ranking.sentences[i].text for i in range(len(ranking.sentences))]
    forward = [i for i, t in enumerate(texts) if _FORWARD.search(t)]
    outlook = select(
        ranking, max_items=options.max_outlook, exclude=main, only=forward, options=options
    )
    past = [i for i, t in enumerate(texts) if _BACKGROUND.search(t) and i not in forward]
    background = select(
        ranking,
        max_items=options.max_background,
        exclude=main + outlook,
        only=past,
        options=options,
    )
    return Summary(
        bottom_line=[statement(ranking, i, options) for i in bottom],
        key_points=[statement(ranking, i, options) for i in points],
        background=[statement(ranking, i, options) for i in background],
        outlook=[statement(ranking, i, options) for i in outlook],
    )


def summary_text(
    articles: Sequence[Article],
    sentences: Sequence[Sentence],
    word_budget: int,
    options: SummaryOptions | None = None,
) -> list[str]:
    """The sentences briefgen would show, in selection order, up to a word budget.

    The quality benchmark scores this; it is the same ranking and selection that make a
    briefing's bottom line and key points, continued until the budget is spent.
    """
    options = options or SummaryOptions()
    ranking = rank(articles, sentences, options)
    chosen = select(ranking, word_budget=word_budget, options=options)
    return [ranking.text(i) for i in chosen]
