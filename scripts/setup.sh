#!/usr/bin/env bash
# Install everything Hongdun needs to build and test on Debian 12, idempotently:
# a second run installs nothing and takes seconds. See shared/../TOOLCHAIN.md for
# why each version is pinned.
set -euo pipefail
# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

TRUNK_VERSION=0.21.14          # trunk 0.22 needs rustc >= 1.96.1
WASM_BINDGEN_VERSION=0.2.130   # must equal the wasm-bindgen pin in frontend/Cargo.toml
TAURI_DRIVER_VERSION=2.1.0

APT_PACKAGES=(
  build-essential pkg-config file curl libssl-dev
  # Tauri 2 / WebKitGTK 4.1
  libwebkit2gtk-4.1-dev libjavascriptcoregtk-4.1-dev libsoup-3.0-dev libgtk-3-dev
  librsvg2-dev libayatana-appindicator3-dev libxdo-dev
  # end-to-end tests through the real WebView under Xvfb
  webkit2gtk-driver xvfb xdotool imagemagick
  # CJK font: without it the WebView draws boxes for Chinese
  fonts-wqy-microhei
  # the relay's second storage backend (the tests start a throwaway cluster)
  postgresql
  # the bulletin export test reads the PDF text of the converted files
  poppler-utils
)

# Installed without recommended packages (LibreOffice's pull in Java and more;
# headless conversion to PDF does not need them).
LEAN_APT_PACKAGES=(
  # the bulletin export test converts .xlsx/.docx to PDF
  libreoffice-calc libreoffice-writer
)

if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo -E)
else
  echo "setup.sh: needs root or sudo to install Debian packages" >&2
  exit 1
fi

step "apt packages"
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  "${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=600 update
  "${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y "${missing[@]}"
else
  echo "all ${#APT_PACKAGES[@]} packages present"
fi
lean_missing=()
for pkg in "${LEAN_APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    lean_missing+=("$pkg")
  fi
done
if [ ${#lean_missing[@]} -gt 0 ]; then
  echo "installing (no recommends): ${lean_missing[*]}"
  "${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=600 update
  "${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${lean_missing[@]}"
fi

step "rust target wasm32-unknown-unknown"
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "present"
else
  rustup target add wasm32-unknown-unknown
fi

# have_version BINARY: the first line of `BINARY --version`, or nothing.
have_version() {
  "$1" --version 2>/dev/null | head -n1 || true
}

# have_installed CRATE: "CRATE vX.Y.Z" as recorded by `cargo install`, or nothing.
# For tools without a --version flag (tauri-driver).
have_installed() {
  cargo install --list 2>/dev/null | sed -n "s/^\($1 v[^:]*\):.*/\1/p" | head -n1
}

# cargo_tool HAVE WANT -- CARGO_INSTALL_ARGS...: install only when HAVE != WANT.
cargo_tool() {
  local have="$1" want="$2"
  shift 3
  if [ "$have" = "$want" ]; then
    echo "$want (present)"
    return
  fi
  echo "have '${have:-none}', want '$want': cargo install $*"
  # Build tools in cargo's own temporary directory, not the project's target dir.
  env -u CARGO_TARGET_DIR cargo install "$@"
}

step "trunk $TRUNK_VERSION"
cargo_tool "$(have_version trunk)" "trunk $TRUNK_VERSION" -- trunk --version "$TRUNK_VERSION" --locked

step "wasm-bindgen-cli $WASM_BINDGEN_VERSION"
# No --locked: its lockfile wants a webpki-roots version the registry lacks.
cargo_tool "$(have_version wasm-bindgen)" "wasm-bindgen $WASM_BINDGEN_VERSION" -- wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"

step "tauri-driver $TAURI_DRIVER_VERSION"
# tauri-driver has no --version flag: ask cargo what it installed.
cargo_tool "$(have_installed tauri-driver)" "tauri-driver v$TAURI_DRIVER_VERSION" -- tauri-driver --version "$TAURI_DRIVER_VERSION" --locked

step "build cache space"
# The build cache outside the clone is shared by every clone on this machine
# and grows with each (paths differ, so hashes do). A full workspace build
# needs about 12 GB; when less is free, start the debug cache afresh rather
# than fail half-way with "No space left on device".
mkdir -p "$CARGO_TARGET_DIR"
free_kb="$(df -Pk "$CARGO_TARGET_DIR" | awk 'NR == 2 { print $4 }')"
if [ "${free_kb:-0}" -lt $((12 * 1024 * 1024)) ] && [ -d "$CARGO_TARGET_DIR/debug" ]; then
  echo "only $((free_kb / 1024)) MB free: removing $CARGO_TARGET_DIR/debug"
  rm -rf "$CARGO_TARGET_DIR/debug"
  df -Ph "$CARGO_TARGET_DIR" | awk 'NR == 2 { print $4 " free now" }'
else
  echo "$((free_kb / 1024)) MB free"
fi

step "setup done (CARGO_TARGET_DIR=$CARGO_TARGET_DIR)"
