#!/usr/bin/env bash
# Wheel check: what a user gets from `pip install briefgen-*.whl` must build a briefing.
#
# Builds the sdist and, from it, the wheel (so both must carry templates/), installs the wheel
# into a fresh virtualenv in a temp folder (dependencies from PyPI), then, from another empty
# temp folder, runs `briefgen build <repo>/seeds -o out` and expects out/ to hold
# briefing.pdf, .docx, .html, .md and .json.  The installed package must read its templates
# from the wheel (briefgen/templates), never from this checkout.  Prints one result line;
# exits 1 on failure, with the failing step's output on stderr.
# Needs `make setup` first (the `build` package is in the dev extra); `make wheel-check` does it.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
PY=${PYTHON:-python3}
start=$(date +%s)

# Physical paths (pwd -P): the installed package reports where it reads templates from resolved.
work=$(cd "$(mktemp -d "${TMPDIR:-/tmp}/briefgen-wheel.XXXXXX")" && pwd -P)
run=$(cd "$(mktemp -d "${TMPDIR:-/tmp}/briefgen-wheel-run.XXXXXX")" && pwd -P)
trap 'rm -rf "$work" "$run"' EXIT
log="$work/step.log"

fail() {
  if [ -s "$log" ]; then tail -n 40 "$log" >&2; fi
  echo "wheel check: FAIL: $1"
  exit 1
}

[ -x .venv/bin/python ] || fail "no .venv here: run 'make setup' first"

.venv/bin/python -m build --outdir "$work/dist" "$repo" >"$log" 2>&1 \
  || fail "python -m build failed"
wheels=("$work"/dist/briefgen-*.whl)
[ -f "${wheels[0]}" ] || fail "no wheel in $work/dist"
wheel=${wheels[0]}

"$PY" -m venv "$work/venv" >"$log" 2>&1 || fail "cannot create a virtualenv with $PY"
env -u PYTHONPATH "$work/venv/bin/python" -m pip install -q --disable-pip-version-check \
  "$wheel" >"$log" 2>&1 || fail "pip install $(basename "$wheel") failed"

cd "$run"
templates=$(env -u PYTHONPATH "$work/venv/bin/python" -c \
  'from briefgen.render.env import BUILTIN_TEMPLATES; print(BUILTIN_TEMPLATES)' 2>"$log") \
  || fail "the installed package does not import"
case "$templates" in
  "$work/venv/"*/briefgen/templates) ;;
  *) fail "the installed package reads its templates from $templates, not from the wheel" ;;
esac

env -u PYTHONPATH "$work/venv/bin/briefgen" build "$repo/seeds" -o out >"$log" 2>&1 \
  || fail "briefgen build $repo/seeds -o out exited with $?"
missing=""
for ext in pdf docx html md json; do
  [ -s "out/briefing.$ext" ] || missing="$missing briefing.$ext"
done
[ -z "$missing" ] || fail "out/ lacks:$missing"

echo "wheel check: OK: $(basename "$wheel") installed in a fresh venv built seeds/ into" \
  "briefing.{pdf,docx,html,md,json} from an empty folder ($(($(date +%s) - start)) s)"
