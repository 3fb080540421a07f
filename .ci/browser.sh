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
. "$ROOT/.ci/throwaway-server.sh"
start_throwaway_server "$BIN" "$DATA" "$PORT" e2e "browser test password"
PLAYWRIGHT_CORE="$ROOT/target/e2e/node_modules/" node "$ROOT/e2e/mtb.mjs" \
  "http://127.0.0.1:$PORT" e2e "browser test password" "$DATA" "$ROOT/target/e2e/screens"
