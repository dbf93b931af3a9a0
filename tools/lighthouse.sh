#!/usr/bin/env bash
# Lighthouse (mobile profile) on the four page types, served as production serves them.
#
#   tools/lighthouse.sh [output directory]
#
# Starts gunicorn on 127.0.0.1 (LIGHTHOUSE_PORT, default 8261) with DJANGO_DEBUG=false, a
# scratch SQLite database holding the shipped 2019 plan and freshly collected static files,
# runs Lighthouse 12 from npm (installed into LIGHTHOUSE_HOME if missing; version 13 needs
# Node 22) with Debian's Chromium (CHROME_PATH), prints each page's four category scores and
# the calendar's DOM size and Total Blocking Time, and leaves the JSON reports behind.
#
# Each page is measured LIGHTHOUSE_RUNS times (default 3) and the run with the median
# performance score is shown: blocking time is measured on this machine's CPU, so one run
# alone moves with whatever else the machine is doing.
#
# Production answers plain http with a redirect to https, so gunicorn speaks TLS here with a
# throwaway self-signed certificate (openssl) that Chromium is told to accept. Nothing is
# faked with X-Forwarded-Proto: Lighthouse's own fetch of robots.txt ignores extra headers,
# and would get the redirect.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PYTHON="$ROOT/.venv/bin/python"
PORT=${LIGHTHOUSE_PORT:-8261}
RUNS=${LIGHTHOUSE_RUNS:-3}
LIGHTHOUSE_VERSION=12.2.3
LIGHTHOUSE_HOME=${LIGHTHOUSE_HOME:-${TMPDIR:-/tmp}/portal-lighthouse}
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
SCRATCH=$(mktemp -d)
OUT=${1:-$SCRATCH/reports}
PAGES=(home:/ catalogue:/programs/ detail:/programs/1/ calendar:/calendar/)
SERVER_PID=""

cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$SCRATCH/static" "$SCRATCH/db.sqlite3" "$SCRATCH/key.pem"
}
trap cleanup EXIT

[[ -x "$CHROME_PATH" ]] || { echo "No Chromium at $CHROME_PATH (apt-get install chromium)" >&2; exit 1; }
LIGHTHOUSE="$LIGHTHOUSE_HOME/node_modules/.bin/lighthouse"
if ! [[ -x "$LIGHTHOUSE" ]] || ! "$LIGHTHOUSE" --version | grep -qx "$LIGHTHOUSE_VERSION"; then
  echo "Installing lighthouse@$LIGHTHOUSE_VERSION into $LIGHTHOUSE_HOME"
  mkdir -p "$LIGHTHOUSE_HOME"
  npm install --silent --prefix "$LIGHTHOUSE_HOME" --no-save -E "lighthouse@$LIGHTHOUSE_VERSION"
fi
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  echo "Port $PORT is taken; set LIGHTHOUSE_PORT to a free one" >&2
  exit 1
fi

export DJANGO_DEBUG=false DJANGO_BEHIND_PROXY=false DJANGO_ALLOWED_HOSTS=127.0.0.1
export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(50))')}
export DATABASE_URL="sqlite:///$SCRATCH/db.sqlite3" DJANGO_STATIC_ROOT="$SCRATCH/static"
cd "$ROOT"
"$PYTHON" manage.py migrate --noinput -v0
"$PYTHON" manage.py import_programs fixtures/plan-2019.xlsx >"$SCRATCH/import.log" 2>&1 \
  || { cat "$SCRATCH/import.log" >&2; exit 1; }
"$PYTHON" manage.py collectstatic --noinput -v0

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 -keyout "$SCRATCH/key.pem" -out "$SCRATCH/cert.pem" 2>/dev/null
GUNICORN_BIND="127.0.0.1:$PORT" WEB_CONCURRENCY=2 "$ROOT/.venv/bin/gunicorn" \
  --config gunicorn.conf.py --certfile "$SCRATCH/cert.pem" --keyfile "$SCRATCH/key.pem" \
  >"$SCRATCH/gunicorn.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do
  curl -fksS -o /dev/null "https://127.0.0.1:$PORT/healthz" 2>/dev/null && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$SCRATCH/gunicorn.log" >&2; exit 1; }
  sleep 0.2
done

mkdir -p "$OUT"
rm -f "$OUT"/{home,catalogue,detail,calendar}-*.json
for page in "${PAGES[@]}"; do
  name=${page%%:*} path=${page#*:}
  # Fill the page cache of both workers first: the measurement is of the page, not a cold start.
  for _ in 1 2 3 4; do
    curl -fksS -o /dev/null "https://127.0.0.1:$PORT$path"
  done
  for run in $(seq "$RUNS"); do
    # Headless Chromium now and then loses the trace (NO_NAVSTART): try that run again.
    for attempt in 1 2 3; do
      "$LIGHTHOUSE" "https://127.0.0.1:$PORT$path" --quiet \
        --chrome-flags="--headless=new --no-sandbox --disable-gpu --ignore-certificate-errors" \
        --only-categories=performance,accessibility,best-practices,seo \
        --output=json --output-path="$OUT/$name-$run.json" && break
      [[ $attempt -lt 3 ]] || exit 1
    done
  done
done

"$PYTHON" - "$OUT" "${PAGES[@]}" <<'EOF'
import json
import sys
from pathlib import Path

out = Path(sys.argv[1])
categories = ["performance", "accessibility", "best-practices", "seo"]
print(f"{'page':<26}" + "".join(f"{c:>16}" for c in categories))
for page in sys.argv[2:]:
    name, path = page.split(":", 1)
    runs = [json.loads(p.read_text()) for p in sorted(out.glob(f"{name}-*.json"))]
    runs.sort(key=lambda r: r["categories"]["performance"]["score"] or 0)
    report = runs[len(runs) // 2]
    # A category whose audit could not run has no score: say so rather than guess.
    scores = [report["categories"][c]["score"] for c in categories]
    shown = ["n/a" if s is None else str(round(s * 100)) for s in scores]
    print(f"{name + ' ' + path:<26}" + "".join(f"{s:>16}" for s in shown))
    audits = report["audits"]
    failing = [
        audit["title"]
        for audit in audits.values()
        if audit.get("score") is not None
        and audit["score"] < 0.9
        and audit.get("scoreDisplayMode") in {"binary", "numeric", "metricSavings"}
    ]
    if failing:
        print("    below 90: " + "; ".join(sorted(failing)))
    if name == "calendar":
        blocking = sorted(r["audits"]["total-blocking-time"]["numericValue"] for r in runs)
        print(
            f"    DOM elements: {audits['dom-size']['numericValue']:.0f}, Total Blocking Time: "
            f"{audits['total-blocking-time']['numericValue']:.0f} ms "
            f"(runs: {', '.join(f'{b:.0f}' for b in blocking)} ms)"
        )
print(f"reports: {out}")
EOF
