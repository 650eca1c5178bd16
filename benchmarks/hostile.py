"""Point briefgen at hostile input, class by class, and count what went wrong.

``python benchmarks/hostile.py [--json OUT]``

Each class of issue #15 is tried with several cases, all made here and served on 127.0.0.1
(nothing leaves the machine).  Per class it prints the cases tried and the counts that must
be 0: tracebacks (an exception other than briefgen's one-line errors, or "Traceback" in a
command's output), fetches of refused addresses (requests that reached a server briefgen must
not talk to), files read outside the inputs (a secret outside the input folder found in what
was read), partial reports (an output folder that is neither the previous report nor a
complete new one), and runs over their limits (a case that took longer than its bound).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import signal
import socket
import string
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

import brotli  # noqa: E402
import zstandard  # noqa: E402

from briefgen.errors import BriefgenError  # noqa: E402
from briefgen.ingest.clean import split_front_matter, strip_markdown  # noqa: E402
from briefgen.ingest.fetch import Fetcher, gather  # noqa: E402
from briefgen.ingest.read import read_all  # noqa: E402
from briefgen.service.runner import run_briefing  # noqa: E402
from briefgen.spec import BriefingSpec, FetchLimits, Limits  # noqa: E402

SEEDS = ROOT / "seeds"
EXE = Path(sys.executable).with_name("briefgen")
SECRET = "SECRET-7d41 the vault code is 0000"
HIDDEN = "\x00\x07\x1b\x7f\x85\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2069"


@dataclass
class Row:
    cls: str
    outcome: str = ""
    cases: int = 0
    tracebacks: int = 0
    refused_fetches: int = 0
    outside_reads: int = 0
    partial_reports: int = 0
    over_limits: int = 0
    notes: list[str] = field(default_factory=list)

    def trace(self, what: str, exc: BaseException) -> None:
        self.tracebacks += 1
        self.notes.append(f"{what}: {type(exc).__name__}: {exc}")


# --------------------------------------------------------------------------- servers


@contextmanager
def server(host: str, routes: dict[str, Callable[[BaseHTTPRequestHandler], None]]) -> Iterator:
    """An HTTP server on ``host``; yields ``(base_url, requests)``."""
    seen: list[str] = []

    class H(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            seen.append(self.path)
            if self.path.startswith("/redirect?to="):
                return _send(self, b"", 302, Location=self.path.split("=", 1)[1])
            routes.get(self.path, lambda h: _send(h, f"<p>{SECRET}</p>".encode()))(self)

    httpd = ThreadingHTTPServer((host, 0), H)
    httpd.daemon_threads = True
    httpd.handle_error = lambda *a: None  # type: ignore[method-assign]
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://{host}:{httpd.server_address[1]}", seen
    finally:
        httpd.shutdown()
        httpd.server_close()


def _send(h: BaseHTTPRequestHandler, body: bytes, status: int = 200, **headers: str) -> None:
    h.send_response(status)
    for key, value in {"Content-Type": "text/html", **headers}.items():
        h.send_header(key.replace("_", "-"), value)
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    h.wfile.write(body)


def _drip(h: BaseHTTPRequestHandler, head: bool) -> None:
    try:
        h.wfile.write(
            b"HTTP/1.1 200 OK\r\n" + (b"X-A: " if head else b"Content-Length: 9999\r\n\r\n")
        )
        for _ in range(300):
            h.wfile.write(b"a")
            h.wfile.flush()
            time.sleep(0.05)
    except OSError:
        pass


# --------------------------------------------------------------------------- classes


def internal_fetches(tmp: Path) -> Row:
    """Feed links and redirects to internal addresses: refused; the entry's own text is used."""
    row = Row("internal fetches (SSRF)")
    with (
        server("127.0.0.1", {}) as (internal, hits),
        server("127.0.0.2", {}) as (allowed, _),
    ):
        port = internal.rsplit(":", 1)[1]
        targets = [
            f"{internal}/secret",
            f"http://localhost:{port}/secret",
            f"http://[::ffff:127.0.0.1]:{port}/secret",
            f"http://127.1:{port}/secret",
            f"http://0.0.0.0:{port}/secret",
            f"http://[::1]:{port}/secret",
            "http://169.254.169.254/latest/meta-data/",
            "http://10.0.0.1/", "http://192.168.1.1/", "http://100.64.0.1/", "http://224.0.0.1/",
        ]  # fmt: skip
        for target in targets:
            feed = tmp / f"feed{row.cases}.rss"
            feed.write_text(
                '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item>'
                f"<title>Harbour</title><link>{target}</link><description>The council said "
                "the harbour wall will be rebuilt before the winter storms.</description>"
                "</item></channel></rss>"
            )
            row.cases += 1
            try:
                got = gather("t", [], [str(feed)], BriefingSpec())
                if any(SECRET in a.text for a in got.articles):
                    row.refused_fetches += 1
            except BriefgenError:
                pass
            except Exception as exc:
                row.trace(target, exc)
        # a redirect from an allowed intranet server to the internal one, per hop
        spec = BriefingSpec(fetch=FetchLimits(timeout=3, allow_networks=("127.0.0.2/32",)))
        with Fetcher(spec.fetch) as fetcher:
            for hop in (f"{internal}/secret", f"http://[::ffff:127.0.0.1]:{port}/x"):
                row.cases += 1
                with suppress(BriefgenError):
                    fetcher.get(f"{allowed}/redirect?to={hop}")
        row.refused_fetches += len(hits)
    row.outcome = "refused, one warning each; the feed entry's own text used"
    return row


def input_escapes(tmp: Path) -> Row:
    """Symlinks out of the input folder, linked folders, FIFOs and sockets: not read."""
    row = Row("escapes from the input folder")
    outside = tmp / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(f"Secret\n\n{SECRET}. {SECRET}.\n")
    cases: list[Callable[[Path], None]] = [
        lambda d: os.symlink(outside / "secret.txt", d / "passwd.txt"),
        lambda d: os.symlink(outside, d / "linked"),
        lambda d: os.symlink("../../outside/secret.txt", d / "rel.md"),
        lambda d: os.mkfifo(d / "pipe.txt"),
        lambda d: socket.socket(socket.AF_UNIX).bind(str(d / "sock.md")),
        lambda d: os.symlink(d, d / "loop"),
    ]
    for i, make in enumerate(cases):
        folder = tmp / f"in{i}"
        folder.mkdir()
        (folder / "good.txt").write_bytes(next(SEEDS.glob("*.txt")).read_bytes())
        make(folder)
        row.cases += 1
        started = time.monotonic()
        try:
            got = read_all([str(folder)], Limits(), jobs=1)
            row.outside_reads += sum(SECRET in a.text for a in got.articles)
        except BriefgenError:
            pass
        except Exception as exc:
            row.trace(f"case {i}", exc)
        row.over_limits += time.monotonic() - started > 10
    row.outcome = "not followed / skipped, a warning naming each"
    return row


LAUGHS = (
    '---\na: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n"
        for i in range(8)
    )
    + "---\nBody.\n"
)


def unbounded_work(tmp: Path) -> Row:
    """Front matter aliases and nesting, 100 kB lines of each ASCII punctuation character."""
    row = Row("unbounded work from tiny inputs")
    docs = [LAUGHS, "---\n" + "[" * 15_000 + "\n---\nBody.\n", "---\n" + "a: 1\n" * 9000 + "---\nB"]
    for doc in docs:
        row.cases += 1
        started = time.monotonic()
        try:
            split_front_matter(doc)
        except Exception as exc:
            row.trace("front matter", exc)
        row.over_limits += time.monotonic() - started > 1.0
    worst = 0.0
    for char in string.punctuation:
        row.cases += 1
        path = tmp / f"line{row.cases}.md"
        path.write_text("# Title\n\n" + char * 100_000 + "\n")
        started = time.monotonic()
        try:
            strip_markdown(char * 100_000)
            read_all([str(path)], Limits(), jobs=1)
        except BriefgenError:
            pass
        except Exception as exc:
            row.trace(repr(char), exc)
        spent = time.monotonic() - started
        worst = max(worst, spent)
        row.over_limits += spent > 1.0
    row.outcome = f"aliases refused, caps hold; slowest 100 kB punctuation line {worst:.2f} s"
    return row


def _bomb(coding: str) -> bytes:
    data = b"\0" * 200_000_000
    return {
        "gzip": gzip.compress,
        "deflate": zlib.compress,
        "br": lambda b: brotli.compress(b, quality=1),
        "zstd": zstandard.ZstdCompressor().compress,
    }[coding](data)


def fetch_limits(tmp: Path) -> Row:
    """Dripping headers and bodies, decompression bombs, lying Content-Length."""
    row = Row("fetch limits")
    routes: dict[str, Callable[[BaseHTTPRequestHandler], None]] = {
        "/drip-head": lambda h: _drip(h, True),
        "/drip-body": lambda h: _drip(h, False),
        "/huge-length": lambda h: _send(h, b"x", Content_Length="999999999999"),
    }
    for coding in ("gzip", "deflate", "br", "zstd"):
        bomb = _bomb(coding)
        routes[f"/{coding}"] = lambda h, b=bomb, c=coding: _send(h, b, Content_Encoding=c)
    limits = FetchLimits(timeout=2, max_bytes=5_000_000, allow_networks=("127.0.0.1/32",))
    with server("127.0.0.1", routes) as (base, _), Fetcher(limits) as fetcher:
        for path in routes:
            row.cases += 1
            started = time.monotonic()
            try:
                fetcher.get(base + path)
                row.over_limits += 1  # each must be refused
            except BriefgenError:
                pass
            except Exception as exc:
                row.trace(path, exc)
            row.over_limits += time.monotonic() - started > limits.timeout + 0.5
    row.outcome = "one deadline (2 s) and 5 MB decoded hold; one warning line each"
    return row


def _cli(args: list[str], signal_after: float | None = None, sig: int = 0) -> tuple[int, str]:
    proc = subprocess.Popen(
        [str(EXE), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    if signal_after is not None:
        time.sleep(signal_after)
        if sig == signal.SIGINT:
            os.killpg(proc.pid, sig)
        else:
            proc.send_signal(sig)
    out, err = proc.communicate(timeout=300)
    return proc.returncode, out + err


def _intact(out: Path, formats: list[str], code: int) -> bool:
    """The previous report (after a failure) or a complete new one (after success)."""
    names = sorted(p.name for p in out.iterdir())
    if names != sorted(f"briefing.{f}" for f in formats):
        return False
    previous = [(out / n).read_bytes() == b"previous" for n in names]
    return all(previous) if code else not any(previous)


def builds_and_publishing(tmp: Path) -> Row:
    """A bad article beside good ones; Ctrl-C and SIGTERM at each stage; run limits."""
    row = Row("one bad article; publishing; signals")
    entities = tmp / "ent"
    entities.mkdir()
    (entities / "a.txt").write_text(
        "Notice\n\n" + "&a;" * 300 + " The council said the wall will be rebuilt.\n"
    )
    for seed in SEEDS.glob("*.txt"):
        (entities / seed.name).write_bytes(seed.read_bytes())
    formats = ["json", "md", "html", "docx", "pdf"]
    runs: list[tuple[list[str], float | None, int]] = [([str(entities)], None, 0)]
    runs += [([str(SEEDS)], t, s) for s in (signal.SIGINT, signal.SIGTERM) for t in (0.8, 1.5, 2.5)]
    runs += [([str(SEEDS), "--max-run-seconds", "1"], None, 0)]
    runs += [([str(SEEDS), "--max-memory", "100MB"], None, 0)]
    for i, (args, after, sig) in enumerate(runs):
        out = tmp / f"out{i}"
        out.mkdir()
        for fmt in formats:
            (out / f"briefing.{fmt}").write_bytes(b"previous")
        row.cases += 1
        code, output = _cli(["build", *args, "-o", str(out), "-q"], after, sig)
        row.tracebacks += "Traceback" in output
        row.partial_reports += not _intact(out, formats, code)
        if code not in (0, 1, 130, 143):
            row.notes.append(f"{args} {sig}: exit {code}")
            row.tracebacks += 1
    row.outcome = "built / one Error line; 130 or 143 with one line; report whole or untouched"
    return row


def text_for_people(tmp: Path) -> Row:
    """Control and bidi characters in feed titles and text: none reaches any output."""
    row = Row("control and bidi characters")
    items = "".join(
        f"<item><title>Harbour {c}wall {i}</title><description>The council said{c} the harbour "
        f"wall {i} will be rebuilt before the winter storms arrive in town.</description></item>"
        for i, c in enumerate(HIDDEN.replace("\x00", ""))
    )
    (tmp / "feed.rss").write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
    )
    (tmp / "b.toml").write_text(
        '[[briefings]]\nname = "hb"\nfeeds = ["feed.rss"]\nformats = ["json", "html", "md"]\n'
        "[briefings.readability]\nmax_grade = 40\n"
    )
    row.cases = len(HIDDEN) - 1
    leaks = 0
    try:
        outcome = run_briefing(tmp / "b.toml", "hb")
        shown = [p.read_text(encoding="utf-8") for p in (outcome.edition or tmp).glob("hb.*")]
        shown.append((tmp / "reports" / "index.html").read_text(encoding="utf-8"))
        leaks = sum(text.count(c) for text in shown for c in HIDDEN)
        leaks += sum(text.count(f"\\u{ord(c):04x}") for text in shown for c in HIDDEN)
        row.partial_reports += outcome.status != "published"
    except Exception as exc:
        row.trace("run", exc)
    row.outcome = f"stripped: {leaks} hidden characters in JSON, HTML, Markdown and the index"
    return row


COUNTS = ("tracebacks", "refused_fetches", "outside_reads", "partial_reports", "over_limits")
CLASSES = [internal_fetches, input_escapes, unbounded_work, fetch_limits, text_for_people,
           builds_and_publishing]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, run in enumerate(CLASSES):
            folder = Path(tmp) / str(i)
            folder.mkdir()
            started = time.monotonic()
            rows.append(run(folder))
            print(f"  {rows[-1].cls}: {time.monotonic() - started:.1f} s", file=sys.stderr)
    total = Row("**total**", cases=sum(r.cases for r in rows))
    for name in COUNTS:
        setattr(total, name, sum(getattr(r, name) for r in rows))
    print("| class | outcome | cases | tracebacks | refused fetches | outside reads | partial "
          "reports | over limits |\n|---|---|---|---|---|---|---|---|")  # fmt: skip
    for r in [*rows, total]:
        counts = " | ".join(str(getattr(r, name)) for name in ("cases", *COUNTS))
        print(f"| {r.cls} | {r.outcome} | {counts} |")
    for r in rows:
        for note in r.notes:
            print(f"note: {r.cls}: {note}", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in [*rows, total]], indent=1))


if __name__ == "__main__":
    main()
