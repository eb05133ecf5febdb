# shellcheck shell=bash
# Environment shared by every script in scripts/ and by the Makefile: the pinned
# tools first on PATH, the browser for wasm-bindgen tests, and trunk held offline.
# Source it; it changes nothing on disk and is safe to source more than once.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT

_openim_prepend_path() {
    # Move "$1" to the front of PATH, dropping any copy further back.
    local rest="" dir
    local IFS=:
    for dir in ${PATH:-}; do
        [ "$dir" = "$1" ] || [ -z "$dir" ] || rest="${rest:+$rest:}$dir"
    done
    PATH="$1${rest:+:$rest}"
}
# Order matters: .tools/node_modules/.bin (wasm-opt from npm binaryen) must beat
# Debian's /usr/bin/wasm-opt, which is too old to parse current rustc output.
_openim_prepend_path "${CARGO_HOME:-$HOME/.cargo}/bin"
_openim_prepend_path "$REPO_ROOT/.tools/node_modules/.bin"
unset -f _openim_prepend_path
export PATH

# Versions the project pins. WASM_OPT_VERSION is the npm package binaryen's major
# version, which is also the number `wasm-opt --version` prints.
export TRUNK_VERSION="0.21.14"
export WASM_OPT_VERSION="132"

# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
openim_lock_version() {
    # Prints the version of package "$1" recorded in Cargo.lock (first match).
    [ -f "$REPO_ROOT/Cargo.lock" ] || return 0
    awk -v name="$1" '
        $0 == "name = \"" name "\"" { found = 1; next }
        found && /^version = / { gsub(/version = |"/, ""); print; exit }
        /^\[\[package\]\]/ { found = 0 }
    ' "$REPO_ROOT/Cargo.lock"
}
WASM_BINDGEN_VERSION="$(openim_lock_version wasm-bindgen)"
export WASM_BINDGEN_VERSION

# trunk: use the binaries on PATH and never download anything. trunk takes a tool
# from PATH only when its version equals the requested one, so request exactly what
# bootstrap installed (these override [tools] in Trunk.toml, if it has any).
export TRUNK_OFFLINE=true
export TRUNK_SKIP_VERSION_CHECK=true
export TRUNK_TOOLS_WASM_OPT="version_${WASM_OPT_VERSION}"
if [ -n "$WASM_BINDGEN_VERSION" ]; then
    export TRUNK_TOOLS_WASM_BINDGEN="$WASM_BINDGEN_VERSION"
fi

# wasm-bindgen-test in headless Chromium (Debian packages chromium, chromium-driver).
# The runner reads its browser capabilities from webdriver.json in its working
# directory, or from WASM_BINDGEN_TEST_WEBDRIVER_JSON: point at the repo's copy so
# the flags hold whatever directory cargo runs the tests from.
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export CHROME="${CHROME:-/usr/bin/chromium}"
export WASM_BINDGEN_TEST_WEBDRIVER_JSON="${WASM_BINDGEN_TEST_WEBDRIVER_JSON:-$REPO_ROOT/webdriver.json}"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER="${CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER:-wasm-bindgen-test-runner}"
# The runner's default is 20 s for a whole test binary; two slow cores need more.
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-180}"
