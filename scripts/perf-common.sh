# shellcheck shell=bash
# Shared by the desk's WebView timing scripts (perf-webview.sh,
# startup-probe.sh): the desk bench's seeded store, and the release app.
# Source after env.sh.

export HONGDUN_BENCH_STORES="${HONGDUN_BENCH_STORES:-/dev/shm/hongdun-bench-stores}"
PERF_RECORDS="${HONGDUN_BENCH_RECORDS:-100000}"

perf_seeded() {
  find "$HONGDUN_BENCH_STORES" -maxdepth 2 -name seeded.json \
    -path "*/$PERF_RECORDS-v*-s2011-2026-11-27/*" 2>/dev/null | sort | tail -n 1
}

# The seeded store's directory, seeding it first (through the desk bench,
# ~5 min for 100k) when missing.
perf_store() {
  if [ -z "$(perf_seeded)" ]; then
    step "seed the $PERF_RECORDS-record store (and run the desk bench)" >&2
    cargo bench -p hongdun-core --bench desk >&2
  fi
  dirname "$(perf_seeded)"
}

# Builds the front end and the desktop app as shipped (release).
build_release_app() {
  step "front end (trunk release build)"
  (cd frontend && trunk build --offline --release)
  step "desktop app (release)"
  cargo build --release -p hongdun-desktop --features custom-protocol
}
