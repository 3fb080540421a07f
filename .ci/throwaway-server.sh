# Sourced by the CI scripts that test a running `tailor serve` (.ci/schemathesis.sh,
# .ci/browser.sh): a data directory in a temporary folder on the publicly known
# development key, one user on one board, and the server on loopback, stopped and removed
# when the calling script exits.
#
# start_throwaway_server BIN DATA PORT USER PASSWORD [extra serve flags...]
# Sets WORK (the folder, also the current directory), PID and TOKEN (an API token of USER).
start_throwaway_server() {
  local bin="$1" data="$2" port="$3" user="$4" password="$5"
  shift 5
  WORK="$(mktemp -d)"
  PID=""
  trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$WORK"' EXIT
  cd "$WORK"
  local store=(--data-dir data --dev-insecure-key)
  echo "$password" | "$bin" admin add-user "${store[@]}" --username "$user" \
    --role oncologist --board "$user" --password-stdin 2>/dev/null
  TOKEN="$("$bin" admin add-token "${store[@]}" --username "$user" 2>/dev/null)"
  "$bin" serve "${store[@]}" --data "$data" --bind "127.0.0.1:$port" "$@" 2>server.log &
  PID=$!
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return 0
    sleep 0.1
  done
  echo "the server did not start:" >&2
  cat server.log >&2
  return 1
}
