"""Stage 6: measure and check a briefing — readability, faithfulness, citations.

Faithfulness is the product's promise: every sentence shown is its cited source sentence, or
that sentence with words deleted.  :func:`is_deletion_of` is the one test of it, used by the
summarizer, by ``briefgen check`` and by the test-suite.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from briefgen.base.readability import readability
from briefgen.base.text import is_deletion_of, word_count
from briefgen.errors import CheckError
from briefgen.model import Article, Briefing, Source, Statement
from briefgen.spec import LAYOUTS, Targets
from briefgen.summarize.support import match


def statement_is_faithful(statement: Statement, articles: dict[str, Article]) -> str | None:
    """None when the statement matches its first citation's span; else the reason it does not."""
    cite = statement.citations[0]
    article = articles.get(cite.article_id)
    if article is None:
        return f"cites missing article {cite.article_id}"
    span = article.text[cite.start : cite.end]
    if span != statement.source_text:
        return f"source text differs from {cite.article_id} sentence {cite.sentence_index}"
    if not is_deletion_of(statement.text, statement.source_text):
        return "text is not a deletion-only copy of its source sentence"
    return None


def faithful_share(briefing: Briefing, articles: Sequence[Article]) -> float:
    by_id = {a.id: a for a in articles}
    shown = briefing.statements()
    if not shown:
        return 1.0
    ok = sum(statement_is_faithful(s, by_id) is None for _, s in shown)
    return ok / len(shown)


# --------------------------------------------------------------------------- briefgen check


# A section may be this many grades harder than the median source sentence before it fails:
# one or two sentences vary more than a whole article does.
GRADE_SLACK = 2.0


@dataclass(frozen=True)
class CheckResult:
    name: str
    status: str  # "pass" | "warn" | "fail"
    detail: str

    @property
    def failed(self) -> bool:
        return self.status == "fail"


def _rtl(c: str) -> bool:
    """Hebrew and Arabic letters: PDF text extractors return them in visual order."""
    return "\u0590" <= c <= "\u08ff" or "\ufb1d" <= c <= "\ufdff" or "\ufe70" <= c <= "\ufeff"


def _letters(text: str, rtl: bool = True) -> str:
    """Only letters and digits, lower-cased: immune to line breaks, hyphenation and spacing.

    With ``rtl=False`` right-to-left letters are left out: PDF text extractors give them in
    visual order, so they cannot be compared with the model (the DOCX keeps logical order).
    """
    # NFKD splits ligatures ("ﬁ") and precomposed syllables (Thai "ำ" is "ํ" + "า"); the marks
    # are then left out, since PDF text extractors reorder or drop the marks of complex scripts
    # (Thai, Devanagari) that shaping placed around their base letters.
    text = unicodedata.normalize("NFKD", text.replace("\u00ad", "")).lower()
    return "".join(
        c for c in text if c.isalnum() and not unicodedata.combining(c) and (rtl or not _rtl(c))
    )


def _finder(
    text: str, letters_of: Callable[[str], str], letters: str | None = None
) -> Callable[[str], bool]:
    """Whether a statement is shown in ``text`` (``letters``: its letters, when already known),
    read whole or across a page break."""
    letters = letters_of(text) if letters is None else letters
    joins: list[str] = []

    def shown(statement: str) -> bool:
        wanted = letters_of(statement)
        if wanted in letters:
            return True
        if not joins:  # rare: only when a sentence is not found as it is
            joins.extend(letters_of(j) for j in _page_break_joins(text))
        return any(wanted in j for j in joins)

    return shown


def _page_break_joins(text: str, edge: int = 3, reach: int = 40) -> list[str]:
    """The text around each page break (pages split by form feeds) with up to ``edge`` lines
    dropped on either side of it: a sentence the page broke reads whole again once the running
    header and footer between its halves are left out.  Only lines are dropped, never added, so
    a sentence found here is on the page in order."""
    pages = [[line for line in page.splitlines() if line.strip()] for page in text.split("\f")]
    joins = []
    for before, after in itertools.pairwise(pages):
        for cut_before in range(min(edge, len(before)) + 1):
            for cut_after in range(min(edge, len(after)) + 1):
                tail = before[max(0, len(before) - cut_before - reach) : len(before) - cut_before]
                joins.append("\n".join(tail + after[cut_after : cut_after + reach]))
    return joins


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _labelled(briefing: Briefing) -> list[tuple[str, Statement]]:
    counters: dict[str, int] = {}
    out = []
    for section, st in briefing.statements():
        counters[section] = counters.get(section, 0) + 1
        out.append((f"{section.replace('_', ' ')} {counters[section]}", st))
    return out


def _faithful(shown: Sequence[tuple[str, Statement]]) -> CheckResult:
    bad = [
        f"{label}: '{_short(st.text)}'"
        for label, st in shown
        if not is_deletion_of(st.text, st.source_text)
    ]
    return CheckResult(
        "faithful",
        "fail" if bad else "pass",
        f"not a deletion-only copy of its source: {bad[0]}"
        + (f" (+{len(bad) - 1} more)" if len(bad) > 1 else "")
        if bad
        else f"{len(shown)} sentences are deletion-only copies of their sources",
    )


def _citations(briefing: Briefing, shown: Sequence[tuple[str, Statement]]) -> CheckResult:
    sources = {s.id for s in briefing.sources}
    missing = [
        f"{label} cites {c.article_id}, which is not a listed source"
        for label, st in shown
        for c in st.citations
        if c.article_id not in sources
    ]
    broken = [
        f"{label} has an empty span in {c.article_id}"
        for label, st in shown
        for c in st.citations
        if c.sentence_index < 0 or c.start < 0 or c.end <= c.start
    ]
    # A span as long as the sentence it stands for: the first is the shown source sentence,
    # a supporting one the sentence it carries.
    wrong = [
        f"{label} cites a {c.end - c.start}-character span in {c.article_id} for a "
        f"{len(text)}-character sentence"
        for label, st in shown
        for k, c in enumerate(st.citations)
        if (text := st.source_text if k == 0 else c.text)  # a missing one fails "support"
        and c.end > c.start
        and c.end - c.start != len(text)
    ]
    problems = missing + broken + wrong
    return CheckResult(
        "citations",
        "fail" if problems else "pass",
        problems[0]
        if problems
        else f"{sum(len(st.citations) for _, st in shown)} citations "
        f"resolve to {len(sources)} sources",
    )


def _support(shown: Sequence[tuple[str, Statement]]) -> CheckResult:
    """Every supporting citation (each after the first) reports the same fact as the statement."""
    bad = []
    count = 0
    for label, st in shown:
        for n, c in enumerate(st.citations[1:], 2):
            count += 1
            if not c.text:
                bad.append(f"{label}, citation {n} ({c.article_id}) carries no sentence to test")
                continue
            verdict = match(st.source_text, c.text)
            if not verdict.same:
                bad.append(
                    f"{label}, citation {n} ({c.article_id}) does not report the same fact "
                    f"({verdict.reason}): '{_short(c.text)}'"
                )
    return CheckResult(
        "support",
        "fail" if bad else "pass",
        bad[0] + (f" (+{len(bad) - 1} more)" if len(bad) > 1 else "")
        if bad
        else f"{count} supporting citations report the same fact as their statements",
    )


def _length(shown: Sequence[tuple[str, Statement]], targets: Targets) -> CheckResult:
    long = [
        f"{label} has {word_count(st.text)} words (max {targets.max_key_point_words}): "
        f"'{_short(st.text)}'"
        for label, st in shown
        if label.startswith(("key points", "bottom line"))
        and word_count(st.text) > targets.max_key_point_words
    ]
    return CheckResult(
        "length",
        "fail" if long else "pass",
        long[0] if long else f"no key point over {targets.max_key_point_words} words",
    )


def grade_check(briefing: Briefing, targets: Targets) -> CheckResult | None:
    """The grade of the bottom line and key points, read as one unit; None when there are none.

    They are read first, together: a grade of one sentence alone swings too much with a single
    long word to judge a briefing by.
    """
    sentences = [s.text for s in briefing.bottom_line + briefing.key_points]
    if not sentences:
        return None
    grade = readability(sentences).flesch_kincaid_grade
    floor = briefing.quality.source_grade
    if grade <= targets.max_grade:
        return CheckResult("grade", "pass", f"FK grade {grade} <= {targets.max_grade}")
    if targets.strict:
        return CheckResult(
            "grade",
            "fail",
            f"FK grade {grade} > target {targets.max_grade} (strict targets; the "
            f"sources' median grade is {floor})",
        )
    # A target the sources cannot meet is reported, not a reason to publish nothing.
    easier = floor is not None and grade <= floor + GRADE_SLACK
    return CheckResult(
        "grade",
        "warn",
        f"FK grade {grade} > target {targets.max_grade}, "
        + (
            f"but no harder than the sources it quotes (median grade {floor})"
            if easier
            else f"and harder than the sources (median grade {floor}): the "
            "sources allow no easier sentences"
        ),
    )


def check_model(briefing: Briefing, targets: Targets | None = None) -> list[CheckResult]:
    """Checks that need only the briefing JSON: faithfulness, citations, readability."""
    targets = targets or Targets()
    shown = _labelled(briefing)
    results = [
        _faithful(shown),
        _citations(briefing, shown),
        _support(shown),
        _length(shown, targets),
    ]
    grade = grade_check(briefing, targets)
    return results if grade is None else [*results, grade]


def _text_checks(
    briefing: Briefing,
    fmt: str,
    text: str,
    shown: Sequence[tuple[str, Statement]],
    listed: Sequence[Source],
) -> list[CheckResult]:
    """Whether the ``fmt`` file's ``text`` shows the title, every sentence and every source."""
    rtl = fmt != "pdf"

    def letters_of(x: str) -> str:
        return _letters(x, rtl)

    letters = letters_of(text)
    in_text = _finder(text, letters_of, letters)
    absent = [f"{label}: '{_short(st.text)}'" for label, st in shown if not in_text(st.text)]
    if letters_of(briefing.title) not in letters:
        absent.insert(0, f"title: '{_short(briefing.title)}'")
    unlisted = [s.title for s in listed if letters_of(s.title) not in letters]
    return [
        CheckResult(
            f"{fmt} text",
            "fail" if absent else "pass",
            f"not shown as in the model: {absent[0]}"
            if absent
            else f"title and {len(shown)} sentences shown as in the model",
        ),
        CheckResult(
            f"{fmt} sources",
            "fail" if unlisted else "pass",
            f"source not listed: '{_short(unlisted[0])}'"
            if unlisted
            else f"all {len(listed)} sources listed"
            + (
                f" ({len(briefing.sources) - len(listed)} more in the JSON)"
                if len(listed) < len(briefing.sources)
                else ""
            ),
        ),
    ]


def layout_of(briefing: Briefing) -> str:
    """The layout a briefing was rendered in, as its JSON records it ("memo" when it does not)."""
    options = briefing.reproducibility.options if briefing.reproducibility else {}
    layout = options.get("layout") if isinstance(options, dict) else None
    return layout if layout in LAYOUTS else "memo"


def check_rendered(
    briefing: Briefing,
    folder: Path,
    basename: str,
    targets: Targets | None = None,
    layout: str | None = None,
) -> list[CheckResult]:
    """Checks of the rendered PDF and DOCX against the model: what a reader sees is what the
    model holds, every source is listed, and the PDF fits its page budget.  A one-page brief
    (``layout`` "brief", by default as the JSON records it) shows the bottom line and key points
    and the sources they cite, on one page."""
    targets = targets or Targets()
    brief = (layout or layout_of(briefing)) == "brief"
    budget = 1 if brief else targets.max_pages
    results: list[CheckResult] = []
    texts: dict[str, str] = {}
    pdf, docx_path = folder / f"{basename}.pdf", folder / f"{basename}.docx"
    pages = None
    if pdf.exists():
        texts["pdf"], pages = _pdf_text(pdf)
    if docx_path.exists():
        texts["docx"] = _docx_text(docx_path)
    shown = [
        (label, st)
        for label, st in _labelled(briefing)
        if not label.startswith(("actors", "dates"))
        and (not brief or label.startswith(("bottom line", "key points")))
    ]
    if brief:
        from briefgen.render.context import brief_source_ids

        wanted = brief_source_ids(briefing)
        listed = [s for s in briefing.sources if s.id in wanted]
    else:
        listed = briefing.listed_sources()
    for fmt, text in texts.items():
        results += _text_checks(briefing, fmt, text, shown, listed)
    if pages is not None:
        results.append(
            CheckResult(
                "pages",
                "fail" if pages > budget else "pass",
                f"{pages} page{'' if pages == 1 else 's'} (max {budget})",
            )
        )
    return results


def _pdf_text(path: Path) -> tuple[str, int]:
    """Text and page count of a PDF: poppler's pdftotext when installed (~10x faster), else
    pypdf."""
    import shutil
    import subprocess

    if exe := shutil.which("pdftotext"):
        done = subprocess.run(
            [exe, "-enc", "UTF-8", str(path), "-"], capture_output=True, timeout=120
        )
        if done.returncode == 0:
            text = done.stdout.decode("utf-8", errors="replace")
            return text, text.count("\f")
    from pypdf import PdfReader

    try:
        reader = PdfReader(str(path))
        return "\n".join(page.extract_text() or "" for page in reader.pages), len(reader.pages)
    except Exception as exc:  # pypdf raises many types on a damaged file
        raise CheckError(f"{path}: cannot read PDF ({exc})") from exc


def _docx_text(path: Path) -> str:
    import docx

    try:
        doc = docx.Document(str(path))
    except Exception as exc:
        raise CheckError(f"{path}: cannot read DOCX ({exc})") from exc
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def check_report(path: Path, targets: Targets | None = None) -> tuple[Briefing, list[CheckResult]]:
    """Re-read a rendered briefing (a folder, or its JSON/PDF/DOCX file) and check it all."""
    if path.is_dir():
        found = sorted(path.glob("*.json"))
        if not found:
            raise CheckError(f"{path}: no briefing JSON in this folder")
        json_path = found[0]
    elif path.suffix in (".pdf", ".docx", ".html", ".md", ".json"):
        json_path = path.with_suffix(".json")
    else:
        raise CheckError(f"{path}: not a briefing file or folder")
    if not json_path.exists():
        raise CheckError(f"{json_path}: missing (the briefing JSON is the reference to check)")
    try:
        briefing = Briefing.from_json(json_path.read_text(encoding="utf-8"))
    except (ValueError, OSError) as exc:
        raise CheckError(f"{json_path}: not a briefing JSON ({_short(str(exc), 120)})") from exc
    results = check_model(briefing, targets)
    results += check_rendered(briefing, json_path.parent, json_path.stem, targets)
    return briefing, results


def format_table(results: Sequence[CheckResult]) -> str:
    width = max((len(r.name) for r in results), default=5)
    lines = [f"{'check':<{width}}  status  detail", f"{'-' * width}  ------  ------"]
    lines += [f"{r.name:<{width}}  {r.status.upper():<6}  {r.detail}" for r in results]
    return "\n".join(lines)
