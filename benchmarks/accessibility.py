"""How accessible and how alike are the formats of a built briefing?  Builds ``seeds/`` (or the
given paths) as a memo and as a one-page brief and prints:

* the PDF's structure tree as a reader's assistive technology sees it (pikepdf): PDF/UA mark,
  /Lang, title shown, headings, lists, tables and header cells, figures with alt text, links;
* axe-core's violations by impact on the briefing's HTML, the brief's HTML and a reports
  index (headless Chromium, as ``tests/test_render_axe.py``);
* pages of the PDF and of the DOCX opened in LibreOffice.

``python benchmarks/accessibility.py [PATHS...] [--out DIR]``  (needs the dev extra, chromium,
axe-core and LibreOffice: ``scripts/setup.sh`` installs them)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from briefgen.render.fit import pdf_pages  # noqa: E402
from briefgen.service.build import build  # noqa: E402
from briefgen.service.publish import write_index  # noqa: E402
from briefgen.spec import BriefingSpec  # noqa: E402
from tests.a11y import counts, find_tools, run_axe  # noqa: E402
from tests.test_render_pdfua import structure_report  # noqa: E402

NOW = datetime(2026, 1, 24, 7, 0, tzinfo=UTC)


def _docx_pages(docx: Path, out: Path) -> int:
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{out}/lo", "--headless",
         "--convert-to", "pdf", "--outdir", str(out / "lo"), str(docx)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return pdf_pages(out / "lo" / f"{docx.stem}.pdf")


def _structure(pdf: Path) -> None:
    r = structure_report(pdf)
    tables = r["tables"]
    assert isinstance(tables, list)
    cells = [c for rows in tables for _, row in rows for c in row]
    print(f"  PDF/UA-1 identified: {r['pdfua_part']}; marked: {r['marked']}; /Lang: {r['lang']}")
    print(f"  title shown from metadata: {r['display_title']} ({r['title']!r})")
    print(f"  headings in order: {' '.join(f'H{n}' for n in r['headings'])}")  # type: ignore[union-attr]
    lists = r["lists"]
    assert isinstance(lists, list)
    print(f"  lists: {len(lists)}, items: {sum(len(x) for x in lists)}, all LI: "
          f"{all(set(x) == {'LI'} for x in lists)}")  # fmt: skip
    print(f"  tables (per page): {len(tables)}, header cells TH: {cells.count('TH')}, "
          f"data cells TD: {cells.count('TD')}")  # fmt: skip
    print(f"  figures with alt text: {r['figures']}")
    print(f"  links: {r['links']}, with text: {r['links_with_text']}, "
          f"annotations described: {r['link_annotations_described']}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", default=[str(ROOT / "seeds")])
    parser.add_argument("--out", type=Path, help="keep the outputs here (default: a temp folder)")
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="briefgen-a11y-"))
    memo, brief = out / "memo", out / "brief"
    build(args.paths, memo, BriefingSpec(now=NOW))
    build(args.paths, brief, BriefingSpec(now=NOW, layout="brief"))
    for name, folder in (("memo", memo), ("brief", brief)):
        print(f"{name}: PDF {pdf_pages(folder / 'briefing.pdf')} pages, DOCX in LibreOffice "
              f"{_docx_pages(folder / 'briefing.docx', folder)} pages")  # fmt: skip
    print("PDF structure tree (memo):")
    _structure(memo / "briefing.pdf")
    if missing := find_tools()[2]:
        print(f"axe-core: skipped ({missing})")
        return
    reports = out / "reports"
    edition = reports / "seeds" / "2026-01-24_0700"
    build(args.paths, edition, BriefingSpec(now=NOW, formats=("html", "json")))
    os.symlink("2026-01-24_0700", reports / "seeds" / "latest")
    index = write_index(reports, now=NOW)
    for name, page in (
        ("briefing.html", memo / "briefing.html"),
        ("brief.html", brief / "briefing.html"),
        ("index.html", index),
    ):
        found = run_axe(page)
        print(f"axe-core {name}: {counts(found)}" + "".join(
            f"\n    {v['impact']}: {v['id']} ({len(v['nodes'])} nodes)" for v in found
        ))  # fmt: skip


if __name__ == "__main__":
    main()
