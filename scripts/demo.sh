#!/usr/bin/env bash
# Set up this machine, build Hongdun, seed three demo offices into .hongdun-demo/
# and start the relay; then open the desktop app on the first office if there is
# a display, or show command-line examples if there is none. Safe to run again:
# seeding happens once and a running relay is reused.
set -euo pipefail
# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$HONGDUN_ROOT"

DEMO="$HONGDUN_ROOT/.hongdun-demo"
RELAY_ADDR="127.0.0.1:8765"
RELAY_PID="$DEMO/relay.pid"
RELAY_LOG="$DEMO/relay.log"
BIN="$CARGO_TARGET_DIR/debug"
HONGDUN="$BIN/hongdun"

step "setup"
bash scripts/setup.sh

step "build the front end (trunk)"
(cd frontend && trunk build --offline --release)

step "build the desktop app, the hongdun CLI and the relay"
cargo build -p hongdun-desktop -p hongdun-core -p hongdun-server --bins

step "seed demo offices into $DEMO"
mkdir -p "$DEMO"
if [ -f "$DEMO/.seeded" ]; then
  echo "already seeded (delete $DEMO to start over)"
elif "$HONGDUN" demo seed --help >/dev/null 2>&1; then
  # With several offices, `demo seed` initialises one store per office under
  # $DEMO/<office code>.
  "$HONGDUN" --data "$DEMO" demo seed --offices 3 --records 300
  touch "$DEMO/.seeded"
else
  echo "this build of hongdun cannot seed demo data yet; initialising one empty office"
  [ -f "$DEMO/GS0101/hongdun.db" ] ||
    "$HONGDUN" --data "$DEMO/GS0101" init --office GS0101 --name "城关市场监督管理所"
fi
OFFICE_DIR="$(find "$DEMO" -mindepth 2 -maxdepth 2 -name hongdun.db -printf '%h\n' | sort | head -n1)"
if [ -z "$OFFICE_DIR" ]; then
  echo "no office store found under $DEMO" >&2
  exit 1
fi
OFFICE_REL="${OFFICE_DIR#"$HONGDUN_ROOT"/}"

step "relay on $RELAY_ADDR"
if [ -f "$RELAY_PID" ] && kill -0 "$(cat "$RELAY_PID")" 2>/dev/null; then
  echo "relay already running (pid $(cat "$RELAY_PID"))"
else
  nohup "$BIN/hongdun-server" serve --listen "$RELAY_ADDR" --data "$DEMO/relay" \
    >"$RELAY_LOG" 2>&1 </dev/null &
  echo $! >"$RELAY_PID"
  for _ in $(seq 50); do
    grep -q '^listening on' "$RELAY_LOG" && break
    kill -0 "$(cat "$RELAY_PID")" 2>/dev/null || break
    sleep 0.1
  done
  if ! grep -q '^listening on' "$RELAY_LOG"; then
    echo "the relay did not start; its log ($RELAY_LOG):" >&2
    cat "$RELAY_LOG" >&2
    rm -f "$RELAY_PID"
    exit 1
  fi
  echo "relay started (pid $(cat "$RELAY_PID"), log $RELAY_LOG)"
fi
curl -fsS "http://$RELAY_ADDR/health" && echo

step "enroll the offices and the bureau with the relay, and sync"
admin() { "$BIN/hongdun-server" admin --data "$DEMO/relay" "$@"; }
# enroll_store DIR ORG ORG_NAME KIND ROLE USER: create the organisation, a user
# and a device on the relay, and enroll the store with the device's code.
enroll_store() {
  local dir=$1 org=$2 org_name=$3 kind=$4 role=$5 user=$6 uid code
  if [ -f "$dir/.enrolled" ]; then
    return 0
  fi
  admin create-office --code "$org" --name "$org_name" --kind "$kind" >/dev/null 2>&1 || true
  uid="$(admin create-user --org "$org" --name "$user" --role "$role" |
    sed -n 's/.*"id": "\([0-9a-f]*\)".*/\1/p' | head -n1)"
  code="$(admin create-device --user "$uid" --name "${user}的电脑" |
    sed -n 's/.*"enrollment_code": "\([A-Z0-9-]*\)".*/\1/p')"
  mkdir -p "$dir"
  "$HONGDUN" --data "$dir" enroll --server "http://$RELAY_ADDR" --code "$code"
  touch "$dir/.enrolled"
}
for dir in $(find "$DEMO" -mindepth 2 -maxdepth 2 -name hongdun.db -printf '%h\n' | sort); do
  [ "$dir" = "$DEMO/bureau" ] && continue
  org="$(basename "$dir")"
  enroll_store "$dir" "$org" "$org" office staff "${org}办案员"
  echo "sync $org:"
  "$HONGDUN" --data "$dir" sync 2>/dev/null | grep -E '"(round_trips|documents_sent|bytes_up)"' || true
done
enroll_store "$DEMO/bureau" BUREAU "市市场监督管理局" bureau bureau "市局汇总员"
echo "sync the bureau copy:"
"$HONGDUN" --data "$DEMO/bureau" sync 2>/dev/null | grep -E '"(round_trips|documents_received|bytes_down)"' || true
"$HONGDUN" --data "$DEMO/bureau" list --limit 3

if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  step "desktop app on $OFFICE_REL (close the window to end the demo)"
  HONGDUN_DATA="$OFFICE_DIR" "$BIN/hongdun-desktop" || true
  step "stopping the relay"
  kill -TERM "$(cat "$RELAY_PID")" 2>/dev/null || true
  rm -f "$RELAY_PID"
else
  step "no display"
  cat <<MSG
There is no graphical display here (neither DISPLAY nor WAYLAND_DISPLAY is set),
so the desktop app cannot open. The demo data is ready; try it from the command line:

  $HONGDUN --data $OFFICE_REL list
  $HONGDUN --data $OFFICE_REL list --kind case --overdue
  $HONGDUN --data $OFFICE_REL list --text 茅台
  $HONGDUN --data $OFFICE_REL deadlines --within 14
  $HONGDUN --data $OFFICE_REL list --json --limit 5
  $HONGDUN --data ${DEMO#"$HONGDUN_ROOT"/}/bureau list        # the bureau copy, synced through the relay
  $HONGDUN --data $OFFICE_REL sync                  # sync again (a no-op: one round trip)

Offices seeded: $(find "$DEMO" -mindepth 2 -maxdepth 2 -name hongdun.db -printf '%h\n' | sort | sed "s|^$HONGDUN_ROOT/||" | tr '\n' ' ')

The relay keeps running on http://$RELAY_ADDR (pid file $RELAY_PID).
Stop it with:  kill \$(cat ${RELAY_PID#"$HONGDUN_ROOT"/})
On a machine with a display, open the app with:
  HONGDUN_DATA=$OFFICE_REL $BIN/hongdun-desktop
MSG
fi
