#!/usr/bin/env bash
# Set up this machine (scripts/setup.sh) and run every Hongdun check: format,
# lints, unit and integration tests, the wasm front end, the desktop app and a
# desktop end-to-end test through the real WebView under Xvfb.
# Any failure fails the whole script. Safe to run again.
set -euo pipefail
# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$HONGDUN_ROOT"

ARTIFACTS="${HONGDUN_ARTIFACTS:-$HONGDUN_ROOT/target/artifacts}"
mkdir -p "$ARTIFACTS"
ARTIFACTS="$(cd "$ARTIFACTS" && pwd)"
export HONGDUN_ARTIFACTS="$ARTIFACTS"

CURRENT_STEP="start"
STARTED=$SECONDS
WORK="$(mktemp -d "${TMPDIR:-/tmp}/hongdun-test.XXXXXX")"
finish() {
  local rc=$?
  rm -rf "$WORK"
  if [ "$rc" -ne 0 ]; then
    printf '\n==> FAILED in step "%s" (exit %s) after %ss\n' "$CURRENT_STEP" "$rc" $((SECONDS - STARTED)) >&2
  fi
}
trap finish EXIT

# run_step NAME COMMAND...: print the step, run it, print how long it took.
run_step() {
  CURRENT_STEP="$1"
  shift
  step "$CURRENT_STEP"
  local t0=$SECONDS
  "$@"
  echo "--- $CURRENT_STEP: ok in $((SECONDS - t0))s"
}

run_step "setup" bash scripts/setup.sh

run_step "rustfmt" cargo fmt --all -- --check

# Tauri embeds the front end at compile time: build it before anything that
# compiles the desktop crate (clippy and tests below do).
run_step "front end (trunk release build)" \
  bash -c 'cd frontend && trunk build --offline --release'

run_step "clippy (workspace, host)" cargo clippy --workspace --all-targets -- -D warnings
run_step "clippy (front end, wasm32)" \
  cargo clippy -p hongdun-ui --target wasm32-unknown-unknown -- -D warnings

# The relay's PostgreSQL backend is tested against a real server on loopback.
step "PostgreSQL for the relay tests"
# shellcheck source=scripts/postgres.sh
source scripts/postgres.sh

run_tests() {
  if cargo nextest --version >/dev/null 2>&1; then
    cargo nextest run --workspace
  else
    # cargo test prints one result line per test binary; add the total.
    local log="$WORK/cargo-test.log"
    local rc=0
    cargo test --workspace 2>&1 | tee "$log" || rc=$?
    awk '/^test result:/ { p += $4; f += $6; i += $8 }
         END { printf "\n==> cargo test --workspace: %d passed, %d failed, %d ignored\n", p, f, i }' "$log"
    return "$rc"
  fi
}
run_step "tests (workspace)" run_tests

run_step "desktop app, CLI and relay build" cargo build -p hongdun-desktop -p hongdun-core -p hongdun-server --bins

# The desk through the real WebView: it starts its own relay (hongdun-server),
# enrolls the app in 设置, files and decides cases, syncs, and checks that a
# second device's store (hongdun CLI) receives them; screenshots of every main
# page land in $ARTIFACTS.
desktop_e2e() {
  rm -f "$ARTIFACTS"/*.png
  HONGDUN_E2E_BIN_DIR="$CARGO_TARGET_DIR/debug" \
    xvfb-run -a -s '-screen 0 1366x768x24' \
    cargo test -p hongdun-desktop --test 'desktop_*' -- --ignored --nocapture --test-threads=1
  for page in settings lead case-file case-decided sync workbench cases complaints petitions campaigns stats; do
    test -s "$ARTIFACTS/$page.png"
  done
  echo "screenshots: $ARTIFACTS/*.png"
}
run_step "desktop end-to-end (WebDriver, Xvfb)" desktop_e2e

CURRENT_STEP="done"
step "all checks passed in $((SECONDS - STARTED))s"
