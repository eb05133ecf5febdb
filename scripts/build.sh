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
echo "build: trunk build --release --offline (output: dist/)"
trunk build --release --offline --dist "$REPO_ROOT/dist"
echo "build: loader out of index.html, .gz and .br beside every file"
python3 scripts/finish-dist.py "$REPO_ROOT/dist"
echo "build: dashboard ready in $REPO_ROOT/dist"
