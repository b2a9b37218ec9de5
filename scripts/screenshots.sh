#!/usr/bin/env bash
# Refresh docs/screenshots/ from the desktop end-to-end test: builds the front
# end, the desktop app, the CLI and the relay, runs the test under Xvfb (it
# photographs every main page through WebDriver) and copies the pictures.
set -euo pipefail
# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$HONGDUN_ROOT"

ARTIFACTS="$(mktemp -d "${TMPDIR:-/tmp}/hongdun-shots.XXXXXX")"
trap 'rm -rf "$ARTIFACTS"' EXIT
(cd frontend && trunk build --offline --release)
cargo build -p hongdun-desktop -p hongdun-core -p hongdun-server --bins
HONGDUN_ARTIFACTS="$ARTIFACTS" HONGDUN_E2E_BIN_DIR="$CARGO_TARGET_DIR/debug" \
  xvfb-run -a -s '-screen 0 1366x768x24' \
  cargo test -p hongdun-desktop --test 'desktop_*' -- --ignored --nocapture --test-threads=1
mkdir -p docs/screenshots
cp "$ARTIFACTS"/*.png docs/screenshots/
rm -f docs/screenshots/*-failure.png
ls -l docs/screenshots
