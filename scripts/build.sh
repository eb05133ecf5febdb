#!/usr/bin/env bash
# Release build of the dashboard into dist/ with trunk, offline: trunk uses the
# wasm-bindgen and wasm-opt that bootstrap put on PATH and downloads nothing.
set -euo pipefail

# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"

[ "${OPENIM_BOOTSTRAPPED:-}" = 1 ] || scripts/bootstrap.sh

# trunk passes --offline on to cargo, so every crate must be in the local cache first.
echo "build: fetching crates"
cargo fetch --quiet
# wasm-ld writes a map of where it put every static data object; scripts/finish-dist.py
# reads it to move the data the wasm's first module cannot reach into the second. Every link
# of this build writes it, so it always describes the wasm cargo last linked with these flags;
# when it is missing (cargo had nothing to link), touching the binary's root forces the link.
link_map="$REPO_ROOT/target/openim-admin-wasm.map"
build_dist() {
    echo "build: trunk build --release --offline (output: dist/)"
    CARGO_ENCODED_RUSTFLAGS="-C"$'\x1f'"link-arg=--Map=$link_map" \
        trunk build --release --offline --dist "$REPO_ROOT/dist"
}
build_dist
if [ ! -s "$link_map" ]; then
    touch src/main.rs
    build_dist
fi
[ -s "$link_map" ] || { echo "build: wasm-ld wrote no map at $link_map" >&2; exit 1; }
echo "build: wasm split in two, scripts and stylesheet inline in index.html, .gz and .br beside every file"
python3 scripts/finish-dist.py "$REPO_ROOT/dist" --link-map "$link_map"
echo "build: dashboard ready in $REPO_ROOT/dist"
