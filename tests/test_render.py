"""Render tests: check what a reader sees in each format, not just that files exist."""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from briefgen.errors import RenderError
from briefgen.model import SOURCE_LIST_MIN, Briefing, DateMention, Dropped
from briefgen.render import RENDERERS, env, registry, render
from briefgen.render import docx as docx_renderer
from briefgen.render import html as html_renderer
from briefgen.render import markdown as markdown_renderer
from briefgen.render.context import for_target, get_context
from briefgen.render.env import find_builtin_templates
from briefgen.render.filters import clean_text, fmt_range, md_escape
from briefgen.render.views import BriefingContext
from tests.builders import spy_server

FORMATS = ["pdf", "docx", "html", "md", "json"]
HOSTILE = "Costs rose <script>alert('x')</script> & {{ 7*7 }} {% if 1 %}yes{% endif %}\x00\x0b."


def squash(text: str) -> str:
    """Compare text across layout: NFKC, no whitespace (line breaks, NBSP, wrapped words)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).replace("\u00ad", ""))


def hostile(briefing: Briefing) -> Briefing:
    briefing.key_points[0].text = HOSTILE
    return briefing


@pytest.fixture(scope="module")
def rendered(
    tmp_path_factory: pytest.TempPathFactory, briefing_builder: Callable[[], Briefing]
) -> dict[str, Path]:
    """All five formats of the sample briefing, rendered once for the read-back tests."""
    out = tmp_path_factory.mktemp("out")
    paths = render(briefing_builder(), out, FORMATS)
    return {p.suffix.lstrip("."): p for p in paths}


# --------------------------------------------------------------------------- all formats


def test_render_writes_every_format_and_no_temp_files(rendered: dict[str, Path]) -> None:
    assert sorted(rendered) == sorted(RENDERERS)
    folder = rendered["pdf"].parent
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"briefing.{ext}" for ext in ("pdf", "docx", "html", "md", "json")
    )


def test_unknown_format_is_rejected_before_writing(sample_briefing: Briefing, tmp_path: Path):
    with pytest.raises(RenderError, match="unknown format 'odt'"):
        render(sample_briefing, tmp_path / "out", ["html", "odt"])
    assert not (tmp_path / "out").exists()


def test_importing_render_does_not_import_weasyprint_or_docx() -> None:
    code = "import sys, briefgen.render; print('weasyprint' in sys.modules, 'docx' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_render_worker_is_light_so_the_pdf_helper_forks_before_the_pipeline_loads() -> None:
    code = (
        "import sys, briefgen.render.worker; "
        "print(*(m in sys.modules for m in ('weasyprint', 'pydantic', 'numpy', 'jinja2')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False"] * 4


# --------------------------------------------------------------------------- PDF


def test_pdf_text_has_title_bottom_line_key_points_and_sources(
    rendered: dict[str, Path], sample_briefing: Briefing
) -> None:
    reader = PdfReader(rendered["pdf"])
    text = squash("\n".join(page.extract_text() for page in reader.pages))
    assert squash(sample_briefing.title) in text
    for st in sample_briefing.bottom_line + sample_briefing.key_points:
        assert squash(st.text) in text, st.text
    for src in sample_briefing.sources:
        assert squash(src.title) in text, src.title
    assert "[1,2]" in text  # multi-source citation marker
    assert squash("Page 1 of") in text


def test_pdf_metadata_pages_and_internal_links(
    rendered: dict[str, Path], sample_briefing: Briefing
) -> None:
    reader = PdfReader(rendered["pdf"])
    meta = reader.metadata
    assert meta is not None
    assert meta.title == sample_briefing.title
    assert meta.author == "briefgen"
    assert "Board of Peace" in str(meta.get("/Keywords"))
    assert 1 <= len(reader.pages) <= 3
    internal = [
        annot.get_object()
        for page in reader.pages
        for annot in page.get("/Annots", [])
        if annot.get_object().get("/Subtype") == "/Link"
        and ("/Dest" in annot.get_object() or "/GoTo" in str(annot.get_object().get("/A")))
    ]
    n_cites = sum(len({c.article_id for c in s.citations}) for _, s in sample_briefing.statements())
    assert len(internal) >= n_cites
    assert reader.outline, "h1/h2 bookmarks expected"


def test_pdf_strips_control_characters_and_shows_markup_as_text(
    sample_briefing: Briefing, tmp_path: Path
) -> None:
    (path,) = render(hostile(sample_briefing), tmp_path, ["pdf"])
    text = squash("".join(p.extract_text() for p in PdfReader(path).pages))
    assert squash("<script>alert('x')</script>&{{7*7}}") in text


# --------------------------------------------------------------------------- DOCX


def test_docx_uses_word_styles(rendered: dict[str, Path], sample_briefing: Briefing) -> None:
    doc = docx.Document(str(rendered["docx"]))
    paras = doc.paragraphs
    assert paras[0].style.name == "Title" and paras[0].text == sample_briefing.title
    assert paras[1].style.name == "Subtitle" and "21–23 January 2026" in paras[1].text
    headings = [p.text for p in paras if p.style.name == "Heading 1"]
    assert headings[:4] == ["Bottom line", "Key points", "Background", "Outlook"]
    assert {"Actors", "Quotes", "Sources", "Readability"} <= set(headings)
    assert "Timeline" not in headings  # empty section omitted
    bottom = [p for p in paras if p.style.name == "Bottom Line"]
    assert bottom and sample_briefing.bottom_line[0].text in bottom[0].text
    numbered = [p for p in paras if p.style.name in ("List Number", "List Bullet")]
    for st in sample_briefing.key_points:
        assert any(st.text in p.text for p in numbered), st.text
    for src in sample_briefing.sources:
        assert any(src.title in p.text and p.style.name == "List Number" for p in paras)
    # Citations are footnotes in the text; the "Citation" marker style is for table cells.
    cells = [p for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    assert "[1]" in [r.text for p in cells for r in p.runs if r.style.name == "Citation"]
    assert doc.styles["Citation"].type == 2  # WD_STYLE_TYPE.CHARACTER
    # no direct formatting: every run leaves bold/italic/size to its style
    assert all(r.bold is None and r.font.size is None for p in paras for r in p.runs)


def test_docx_actors_table_properties_and_list_restart(
    rendered: dict[str, Path], sample_briefing: Briefing
) -> None:
    doc = docx.Document(str(rendered["docx"]))
    actors = doc.tables[0]
    assert [c.text for c in actors.rows[0].cells][:3] == ["Name", "Kind", "Mentions"]
    assert [r.cells[0].text for r in actors.rows[1:]] == [a.name for a in sample_briefing.actors]
    role_runs = [r for r in actors.rows[1].cells[4].paragraphs[0].runs]
    assert role_runs[-1].style.name == "Citation" and role_runs[-1].text == "[1]"
    props = doc.core_properties
    assert props.title == sample_briefing.title and props.author == "briefgen"
    assert "Abraham Accords" in props.keywords
    assert props.created is not None and props.created.year == 2026
    # key points and sources are separate numbered lists, so sources start again at 1
    num_ids = {
        p._p.pPr.numPr.numId.val
        for p in doc.paragraphs
        if p.style.name == "List Number" and p._p.pPr.numPr is not None
    }
    assert len(num_ids) == 2


def test_docx_reference_doc_styles_are_used(sample_briefing: Briefing, tmp_path: Path) -> None:
    ref = docx.Document()
    ref.styles["Title"].font.small_caps = True
    ref.add_paragraph("PLACEHOLDER BODY")
    tdir = tmp_path / "tpl"
    tdir.mkdir()
    ref.save(str(tdir / "reference.docx"))
    (path,) = render(sample_briefing, tmp_path / "out", ["docx"], template_dir=tdir)
    doc = docx.Document(str(path))
    assert doc.styles["Title"].font.small_caps is True
    assert "PLACEHOLDER BODY" not in [p.text for p in doc.paragraphs]
    assert doc.paragraphs[0].style.name == "Title"


def test_docx_strips_control_characters(sample_briefing: Briefing, tmp_path: Path) -> None:
    (path,) = render(hostile(sample_briefing), tmp_path, ["docx"])
    texts = [p.text for p in docx.Document(str(path)).paragraphs]
    assert any("<script>alert('x')</script> & {{ 7*7 }}" in t for t in texts)
    assert not any("\x00" in t or "\x0b" in t for t in texts)


# --------------------------------------------------------------------------- HTML


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"] or "")
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"] or "")


def test_html_escapes_untrusted_text_and_links_resolve(
    sample_briefing: Briefing, tmp_path: Path
) -> None:
    (path,) = render(hostile(sample_briefing), tmp_path, ["html"])
    page = path.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; {{ 7*7 }}" in page
    assert "{% if 1 %}yes{% endif %}" in page
    assert "<script" not in page and "&amp; 49" not in page
    assert "\x00" not in page and "\x0b" not in page
    parser = _Anchors()
    parser.feed(page)
    internal = [h for h in parser.hrefs if h.startswith("#")]
    assert "#src-1" in internal and "#src-2" in internal
    assert all(h[1:] in parser.ids for h in internal)
    assert not ({"link", "img", "script"} & parser.tags)  # self-contained: CSS is inlined
    assert "<style>" in page and "@page" in page


def test_html_sections_and_omitted_empty_ones(rendered: dict[str, Path]) -> None:
    page = rendered["html"].read_text(encoding="utf-8")
    for label in ("Bottom line", "Key points", "Actors", "Quotes", "Keyphrases", "Sources"):
        assert f">{label}</h2>" in page
    assert "Timeline" not in page
    assert page.count('<span class="flag">single source</span>') == 2
    assert "Dropped inputs" in page and "near-duplicate" in page
    assert 'id="readability"' in page and "Reading ease" in page
    assert '<meta name="keywords" content="Board of Peace, Abraham Accords' in page


def test_html_timeline_rendered_when_dates_exist(sample_briefing: Briefing, tmp_path: Path):
    sample_briefing.dates = [
        DateMention(text="21 January", iso="2026-01-21", statement=sample_briefing.outlook[0])
    ]
    (path,) = render(sample_briefing, tmp_path, ["html"])
    assert "<h2>Timeline</h2>" in path.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- Markdown, JSON


def test_markdown_content_and_escaping(sample_briefing: Briefing, tmp_path: Path) -> None:
    (path,) = render(hostile(sample_briefing), tmp_path, ["md"])
    md = path.read_text(encoding="utf-8")
    assert md.startswith(f"# {sample_briefing.title}\n")
    assert "1. Costs rose \\<script\\>alert('x')\\</script\\> & {{ 7\\*7 }}" in md
    assert "<script>" not in md
    assert f"2. {sample_briefing.key_points[1].text} [1]" in md
    assert "1. **Kazakhstan: Global Diplomacy" in md and "## Sources" in md


def test_md_escape_filter() -> None:
    assert md_escape("a <b> & *c* [d](e) `f`\n# g") == (
        "a \\<b\\> & \\*c\\* \\[d\\](e) \\`f\\` # g"
    )
    assert clean_text("a\x00b\x1fc\td\r\ne\ufffe") == "abc\td\ne"


def test_json_round_trip(rendered: dict[str, Path], sample_briefing: Briefing) -> None:
    assert Briefing.from_json(rendered["json"].read_text(encoding="utf-8")) == sample_briefing


# --------------------------------------------------------------------------- templates


def test_user_template_dir_overrides_and_falls_back(sample_briefing: Briefing, tmp_path: Path):
    tdir = tmp_path / "tpl"
    tdir.mkdir()
    (tdir / "briefing.md.j2").write_text("CUSTOM {{ title | md }} ({{ n_sources }})\n")
    md, html = render(sample_briefing, tmp_path / "out", ["md", "html"], template_dir=tdir)
    assert md.read_text() == f"CUSTOM {sample_briefing.title} (2)\n"
    assert "<h2>Key points</h2>" in html.read_text()  # built-in html template still used


def test_a_template_edited_between_runs_is_recompiled_not_served_from_the_cache(
    sample_briefing: Briefing, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    tdir = tmp_path / "tpl"
    tdir.mkdir()
    template = tdir / "briefing.md.j2"
    template.write_text("FIRST {{ n_sources }}\n")
    (md,) = render(sample_briefing, tmp_path / "out", ["md"], template_dir=tdir)
    assert any((tmp_path / "cache" / "briefgen").glob("jinja-*/*.cache"))  # compiled, kept
    template.write_text("SECOND {{ n_sources }}\n")
    (md,) = render(sample_briefing, tmp_path / "out", ["md"], template_dir=tdir)
    assert md.read_text() == "SECOND 2\n"


def test_rendering_works_when_the_cache_folder_cannot_be_created(
    sample_briefing: Briefing, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    (md,) = render(sample_briefing, tmp_path / "out", ["md"])
    assert sample_briefing.title in md.read_text()


@pytest.mark.parametrize(
    ("template", "match"),
    [
        ("{{ ''.__class__.__mro__ }}", "md: template error \\(SecurityError\\)"),
        ("{{ title.__class__.__subclasses__() }}", "md: template error"),
        ("{{ no_such_variable }}", "md: template error \\(UndefinedError\\)"),
        ("{% if %}", "md: template syntax error"),
        ("{% include 'missing.j2' %}", "md: template not found: missing.j2"),
    ],
)
def test_bad_templates_raise_render_error_and_write_nothing(
    sample_briefing: Briefing, tmp_path: Path, template: str, match: str
) -> None:
    tdir = tmp_path / "tpl"
    tdir.mkdir()
    (tdir / "briefing.md.j2").write_text(template)
    out = tmp_path / "out"
    out.mkdir()
    (out / "briefing.md").write_text("previous run")
    with pytest.raises(RenderError, match=match):
        render(sample_briefing, out, ["md"], template_dir=tdir)
    assert [p.name for p in out.iterdir()] == ["briefing.md"]
    assert (out / "briefing.md").read_text() == "previous run"


def test_missing_template_dir_raises(sample_briefing: Briefing, tmp_path: Path) -> None:
    with pytest.raises(RenderError, match="template dir not found"):
        render(sample_briefing, tmp_path, ["md"], template_dir=tmp_path / "nope")


def test_builtin_templates_are_the_packaged_folder_else_the_checkouts(tmp_path: Path) -> None:
    packaged, checkout = tmp_path / "briefgen" / "templates", tmp_path / "templates"
    assert find_builtin_templates((packaged, checkout)) is None
    checkout.mkdir(parents=True)
    assert find_builtin_templates((packaged, checkout)) == checkout  # a source checkout
    packaged.mkdir(parents=True)
    assert find_builtin_templates((packaged, checkout)) == packaged  # an installed wheel
    # This checkout has no briefgen/templates, so it reads the repository's templates/.
    assert env.BUILTIN_TEMPLATES == env.CHECKOUT_TEMPLATES
    assert (env.BUILTIN_TEMPLATES / "briefing.html.j2").is_file()


def test_missing_builtin_templates_give_one_line_unless_a_template_dir_has_them(
    sample_briefing: Briefing, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(env, "BUILTIN_TEMPLATES", tmp_path / "gone")
    with pytest.raises(RenderError, match=r"^built-in templates not found \(looked in "):
        render(sample_briefing, tmp_path / "out", ["md"])
    (json_file,) = render(sample_briefing, tmp_path / "out", ["json"])  # needs no template
    assert json_file.is_file()
    tdir = tmp_path / "tpl"
    tdir.mkdir()
    (tdir / "briefing.md.j2").write_text("{{ title }}\n")
    (md,) = render(sample_briefing, tmp_path / "out", ["md"], template_dir=tdir)
    assert md.read_text() == f"{sample_briefing.title}\n"


def test_the_template_context_is_built_once_per_render_call(
    sample_briefing: Briefing, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    def counted(briefing: Briefing, target: str = "html", **page: str) -> BriefingContext:
        calls.append(target)
        return get_context(briefing, target, **page)

    monkeypatch.setattr(registry, "get_context", counted)
    for module in (html_renderer, markdown_renderer, docx_renderer):
        monkeypatch.setattr(module, "get_context", counted)
    render(sample_briefing, tmp_path / "all", ["json", "html", "md", "docx"])
    assert calls == ["html"]
    # Each format still sees its own target.
    page = (tmp_path / "all" / "briefing.html").read_text()
    assert 'class="target-html"' in page
    shared = get_context(sample_briefing)
    assert for_target(shared, "pdf")["target"] == "pdf" and shared["target"] == "html"
    assert 'class="target-pdf"' in html_renderer.render_html_string(
        sample_briefing, target="pdf", context=shared
    )
    assert calls == ["html"]
    render(sample_briefing, tmp_path / "json", ["json"])  # JSON needs no context
    assert calls == ["html"]


def test_context_resolves_citations_and_dates(sample_briefing: Briefing) -> None:
    ctx = get_context(sample_briefing)
    assert ctx["key_points"][0]["cites"] == [1, 2]
    assert ctx["sources"][1]["anchor"] == "src-2"
    assert ctx["dropped"][0]["duplicate_of_n"] == 1
    assert ctx["date_range"] == "21–23 January 2026"
    sample_briefing.key_points[0].citations[0].article_id = "zz"
    with pytest.raises(RenderError, match="unknown source 'zz'"):
        get_context(sample_briefing)


def test_a_few_sources_are_all_listed_but_of_many_only_the_cited_ones(
    sample_briefing: Briefing,
) -> None:
    cited = sample_briefing.cited_ids()
    template = sample_briefing.sources[0]
    extra = [
        template.model_copy(update={"id": f"x{i}", "title": f"Uncited report {i}"})
        for i in range(SOURCE_LIST_MIN)
    ]
    few = sample_briefing.model_copy(update={"sources": sample_briefing.sources + extra[:3]})
    assert len(few.listed_sources()) == len(few.sources)
    many = sample_briefing.model_copy(update={"sources": sample_briefing.sources + extra})
    assert {s.id for s in many.listed_sources()} == cited
    ctx = get_context(many)
    assert [s["title"] for s in ctx["sources"]] == [s.title for s in sample_briefing.sources]
    assert ctx["more_sources"] == SOURCE_LIST_MIN


def test_every_source_number_a_long_briefing_shows_links_to_a_listed_source(
    sample_briefing: Briefing, tmp_path: Path
) -> None:
    template = sample_briefing.sources[0]
    extra = [
        template.model_copy(update={"id": f"x{i}", "title": f"Uncited report {i}"})
        for i in range(SOURCE_LIST_MIN)
    ]
    many = sample_briefing.model_copy(update={"sources": sample_briefing.sources + extra})
    many.actors[0].mentions["x7"] = 99  # names the actor most, cited by no statement
    many.dropped = [Dropped(path="copy.txt", reason="exact duplicate", duplicate_of="x9")]
    (html,) = render(many, tmp_path, ["html"])
    page = html.read_text()
    links = set(re.findall(r'href="#(src-\d+)"', page))
    anchors = set(re.findall(r'id="(src-\d+)"', page))
    assert links <= anchors
    listed = {s.title for s in many.listed_sources()}
    assert {"Uncited report 7", "Uncited report 9"} <= listed
    assert "Uncited report 8" not in listed


def test_fmt_range() -> None:
    from datetime import date

    assert fmt_range(None, None) == ""
    assert fmt_range(date(2026, 1, 30), date(2026, 2, 2)) == "30 January – 2 February 2026"
    assert fmt_range(date(2025, 12, 30), date(2026, 1, 2)) == "30 December 2025 – 2 January 2026"


# --------------------------------------------------------------------------- url fetcher


@pytest.fixture
def http_server() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server recording every request path; the PDF must never call it."""
    with spy_server() as (address, seen):
        yield f"http://{address}", seen


def test_fetcher_serves_template_files_only(tmp_path: Path, http_server: tuple[str, list]):
    from briefgen.render.fetcher import SafeURLFetcher, URLRefused

    base, seen = http_server
    tdir = tmp_path / "tpl"
    tdir.mkdir()
    (tdir / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (tmp_path / "secret.txt").write_text("secret")
    fetcher = SafeURLFetcher([tdir])
    ok = fetcher.fetch((tdir / "logo.svg").as_uri())
    assert ok.read().startswith(b"<svg") and ok.content_type == "image/svg+xml"
    assert fetcher.fetch("data:text/plain,hi").read() == b"hi"
    refused = [
        f"{base}/x.css",
        base.replace("http", "https") + "/x.css",
        "ftp://127.0.0.1/x",
        (tmp_path / "secret.txt").as_uri(),
        (tdir / ".." / "secret.txt").as_uri().replace("%2E", "."),
        "file:///etc/passwd",
        "file://example.com/etc/passwd",
        "data:text/plain," + "a" * 1_100_000,
    ]
    for url in refused:
        with pytest.raises(URLRefused):
            fetcher.fetch(url)
    assert seen == []


def test_pdf_with_hostile_user_template_makes_no_request(
    sample_briefing: Briefing, tmp_path: Path, http_server: tuple[str, list]
) -> None:
    base, seen = http_server
    tdir = tmp_path / "tpl"
    tdir.mkdir()
    (tmp_path / "outside.css").write_text("body { color: red }")
    (tdir / "briefing.html.j2").write_text(
        "<!DOCTYPE html><html><head><title>{{ title }}</title>"
        f"<style>@import url({base}/import.css); @import url(../outside.css);"
        f"body {{ background: url({base}/bg.png) }}</style>"
        f'<link rel="stylesheet" href="{base}/link.css"></head><body>'
        f'<img src="{base}/img.png"><img src="file:///etc/hostname">'
        "<h1>{{ title }}</h1></body></html>"
    )
    (path,) = render(sample_briefing, tmp_path / "out", ["pdf"], template_dir=tdir)
    assert seen == []
    reader = PdfReader(path)
    assert squash(sample_briefing.title) in squash(reader.pages[0].extract_text())
