#!/usr/bin/env bash
# The end-to-end browser test (e2e/mtb.mjs): a throwaway server with a user, then
# Playwright (playwright-core from npm, into target/e2e) driving Debian's Chromium.
# Screenshots are kept in target/e2e/screens.
#
# Usage: .ci/browser.sh TAILOR_BINARY     Env: E2E_PORT (18585)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="$(cd "$(dirname "${1:?path to the tailor binary}")" && pwd)/$(basename "$1")"
DATA="${TAILOR_SHARED_DATA:-$ROOT/../shared/data}"
PORT="${E2E_PORT:-18585}"
if [ ! -d "$ROOT/target/e2e/node_modules/playwright-core" ]; then
  npm install --prefix "$ROOT/target/e2e" --no-audit --no-fund --silent playwright-core@1
fi
WORK="$(mktemp -d)"
PID=""
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$WORK"' EXIT
cd "$WORK"
STORE=(--data-dir data --dev-insecure-key)
echo "browser test password" | "$BIN" admin add-user "${STORE[@]}" --username e2e \
  --role oncologist --board e2e --password-stdin 2>/dev/null
"$BIN" serve "${STORE[@]}" --data "$DATA" --bind "127.0.0.1:$PORT" 2>server.log &
PID=$!
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break
  sleep 0.1
done
PLAYWRIGHT_CORE="$ROOT/target/e2e/node_modules/" node "$ROOT/e2e/mtb.mjs" \
  "http://127.0.0.1:$PORT" e2e "browser test password" "$DATA" "$ROOT/target/e2e/screens"
