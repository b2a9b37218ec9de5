#!/usr/bin/env bash
# Time launches of the desk on a 100k store to a usable 工作台, without
# WebDriver (docs/PERFORMANCE.md, "The desktop app on a 100k store"): the
# release app starts on a copy of the desk bench's seeded store under a
# running Xvfb, and when the front end has drawn its first 工作台 it tells
# the shell (`desk_ready`), which writes the moment to $HONGDUN_STARTUP_PROBE
# and closes. Printed: from the launch command to that moment, and from the
# shell's `main` to it. Not part of scripts/test.sh: timings on a shared
# machine are reported, not checked.
set -euo pipefail
# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$HONGDUN_ROOT"
# shellcheck source=scripts/perf-common.sh
source scripts/perf-common.sh
LAUNCHES="${HONGDUN_PERF_LAUNCHES:-5}"
STORE="$(perf_store)"

APP="${HONGDUN_E2E_APP:-}"
if [ -z "$APP" ]; then
  build_release_app
  APP="$CARGO_TARGET_DIR/release/hongdun-desktop"
fi

WORK="$(mktemp -d "$(dirname "$STORE")/startup.XXXXXX")"
XVFB_PID=""
cleanup() {
  [ -n "$XVFB_PID" ] && kill "$XVFB_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
cp -r "$STORE" "$WORK/store"

# One X server for every launch, so its own start is not timed.
DISPLAY_NO=97
while [ -e "/tmp/.X11-unix/X$DISPLAY_NO" ]; do DISPLAY_NO=$((DISPLAY_NO + 1)); done
Xvfb ":$DISPLAY_NO" -screen 0 1366x768x24 -nolisten tcp >/dev/null 2>&1 &
XVFB_PID=$!
export DISPLAY=":$DISPLAY_NO"
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$DISPLAY_NO" ] && break; sleep 0.1; done

step "$LAUNCHES launches of $APP on a copy of $STORE"
# The first launch also warms the file cache for the app's own binary.
echo "| launch | launch → usable 工作台 | shell main → usable 工作台 |"
echo "|---|---|---|"
for i in $(seq "$LAUNCHES"); do
  rm -f "$WORK/probe"
  t0="$(date +%s%3N)"
  HONGDUN_DATA="$WORK/store" HONGDUN_STARTUP_PROBE="$WORK/probe" HONGDUN_LOG=warn \
    timeout 60 "$APP" >/dev/null 2>&1 || true
  if [ ! -s "$WORK/probe" ]; then
    echo "launch $i: the app closed without drawing the 工作台 (see HONGDUN_LOG=info)" >&2
    exit 1
  fi
  read -r ready main_ms < "$WORK/probe"
  echo "| $i | $((ready - t0)) ms | $main_ms ms |"
done
