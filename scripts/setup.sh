#!/usr/bin/env bash
# Set up briefgen on a fresh Debian/Ubuntu machine: system libraries, then a virtualenv in .venv.
# Idempotent: a second run installs nothing new.
set -euo pipefail
cd "$(dirname "$0")/.."

# poppler-utils: pdftotext/pdftoppm for content checks; libreoffice-writer-nogui: the DOCX
# footnote round trip (tests/test_footnotes.py, skipped without soffice); libharfbuzz-subset0 makes WeasyPrint ~3x
# faster; openssl: the self-signed certificate of the SMTP tests; fonts-noto-core/-cjk/-color-emoji cover right-to-left, CJK and emoji text in the PDF;
# chromium and npm: axe-core's accessibility check of the HTML (tests/test_render_axe.py).
APT_PACKAGES="openssl libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils fonts-dejavu-core fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji libreoffice-writer-nogui chromium"
command -v npm >/dev/null 2>&1 || APT_PACKAGES="$APT_PACKAGES npm"
missing=""
for p in $APT_PACKAGES; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing system packages:$missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
  else
    echo "setup: please install these Debian packages (as root):$missing" >&2
  fi
fi

PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
stamp=.venv/.briefgen-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e ".[dev]"
  touch "$stamp"
fi
# Bytecode for briefgen's own modules, as a non-editable install would have: a cold build then
# skips compiling them (even where PYTHONDONTWRITEBYTECODE is set). Only stale files are redone.
.venv/bin/python -m compileall -q briefgen >/dev/null
# axe-core (npm) for tests/test_render_axe.py, into .cache/axe (not a dependency of briefgen).
AXE_VERSION=4.14.1
if command -v npm >/dev/null 2>&1 && [ ! -f .cache/axe/node_modules/axe-core/axe.min.js ]; then
  npm install --prefix .cache/axe --no-save --no-audit --no-fund --silent "axe-core@$AXE_VERSION" \
    >/dev/null 2>&1 || echo "setup: could not install axe-core from npm (HTML accessibility tests will skip)" >&2
fi
