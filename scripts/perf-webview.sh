#!/usr/bin/env bash
# Time the desk in the real WebView on a 100k store (docs/PERFORMANCE.md,
# "The desktop app on a 100k store"): app start to a usable 工作台, and each
# search keystroke and list filter change to its rendered rows. Prints a
# table; the raw entries land in $HONGDUN_ARTIFACTS/perf-webview.json.
#
# The store is the desk bench's seeded one (seeding 100k takes ~5 min once);
# it lives in HONGDUN_BENCH_STORES (default /dev/shm/hongdun-bench-stores, a
# tmpfs). The test works on a copy beside it. Not part of scripts/test.sh:
# timings on a shared machine are reported, not checked.
set -euo pipefail
# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$HONGDUN_ROOT"
# shellcheck source=scripts/perf-common.sh
source scripts/perf-common.sh
STORE="$(perf_store)"

step "front end (trunk release build)"
(cd frontend && trunk build --offline --release)

# HONGDUN_PERF_RELEASE=1 times the production build (the store code at full
# optimisation, as shipped); the default debug build is slower at the store.
APP=""
if [ "${HONGDUN_PERF_RELEASE:-0}" = 1 ]; then
  step "desktop app (release)"
  cargo build --release -p hongdun-desktop --features custom-protocol
  APP="$CARGO_TARGET_DIR/release/hongdun-desktop"
else
  step "desktop app (debug)"
  cargo build -p hongdun-desktop
fi

step "perf_webview on $STORE"
HONGDUN_E2E_APP="$APP" HONGDUN_PERF_STORE="$STORE" \
  xvfb-run -a -s '-screen 0 1366x768x24' \
  cargo test -p hongdun-desktop --test perf_webview -- --ignored --nocapture --test-threads=1
