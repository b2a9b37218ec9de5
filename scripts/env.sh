# shellcheck shell=bash
# Shared environment for scripts/*.sh. Sourced, never run.
#
# A fixed target directory outside the clone lets later runs on the same machine
# (CI reruns, a second clone) reuse builds: the desktop shell alone is ~2 GB.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/hongdun-target}"
export DEBIAN_FRONTEND=noninteractive
case ":$PATH:" in
  *":$HOME/.cargo/bin:"*) ;;
  *) export PATH="$HOME/.cargo/bin:$PATH" ;;
esac
HONGDUN_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export HONGDUN_ROOT

# Print a step banner; every script calls this before each step so a CI log
# shows where time went and which step failed.
step() {
  printf '\n==> [%s] %s\n' "$(date +%H:%M:%S)" "$*"
}
