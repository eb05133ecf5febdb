#!/usr/bin/env bash
# Installs what building, testing and the demo need, and only what is missing or at
# the wrong version. A machine that has everything gets one line per item and no
# install, in a few seconds. Safe to run again and again.
#
#   rustfmt, clippy            rustup components
#   wasm32-unknown-unknown     rustup target
#   chromium, chromium-driver, nginx, brotli, gzip,   Debian packages (apt-get)
#   libnginx-mod-http-brotli-static, binaryen (for wasm-split; its wasm-opt is not used)
#   trunk 0.21.14              cargo install --locked
#   wasm-bindgen-cli           cargo install, version = wasm-bindgen in Cargo.lock
#   wasm-opt (binaryen 132)    npm, into .tools/node_modules (see .tools/package.json)
#   terser                     npm, the same way (minifies the shipped JavaScript)
set -euo pipefail

# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"

ok() { printf '  ok       %-24s %s\n' "$1" "$2"; }
installing() { printf '  install  %-24s %s\n' "$1" "$2"; }
# One sentence naming what is missing and the command that installs it; then stop.
fail() {
    printf 'bootstrap: %s could not be installed; install it with: %s\n' "$1" "$2" >&2
    exit 1
}
# Run an install command quietly, keeping its output in a log shown on failure.
run_logged() {
    local log
    log="$(mktemp "${TMPDIR:-/tmp}/bootstrap.XXXXXX")"
    if "$@" >"$log" 2>&1; then
        rm -f "$log"
        return 0
    fi
    tail -n 30 "$log" >&2
    echo "(full log: $log)" >&2
    return 1
}

echo "bootstrap: checking tools"

# --- Rust toolchain ------------------------------------------------------------
if ! command -v cargo >/dev/null 2>&1 || ! command -v rustup >/dev/null 2>&1; then
    fail "the Rust toolchain (cargo, rustup)" "curl https://sh.rustup.rs -sSf | sh -s -- -y"
fi

installed_components="$(rustup component list --installed 2>/dev/null || true)"
for component in rustfmt clippy; do
    if grep -q "^${component}\(-\|$\)" <<<"$installed_components"; then
        ok "$component" "rustup component"
    else
        installing "$component" "rustup component add $component"
        run_logged rustup component add "$component" ||
            fail "the rustup component $component" "rustup component add $component"
    fi
done

if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    ok "wasm32-unknown-unknown" "rustup target"
else
    installing "wasm32-unknown-unknown" "rustup target add wasm32-unknown-unknown"
    run_logged rustup target add wasm32-unknown-unknown ||
        fail "the Rust target wasm32-unknown-unknown" "rustup target add wasm32-unknown-unknown"
fi

# --- Debian packages -----------------------------------------------------------
deb_installed() {
    [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = "install ok installed" ]
}
missing_debs=()
for pkg in chromium chromium-driver brotli gzip libnginx-mod-http-brotli-static binaryen; do
    if deb_installed "$pkg"; then
        ok "$pkg" "$(dpkg-query -W -f='${Version}' "$pkg")"
    else
        missing_debs+=("$pkg")
    fi
done
# Any Debian nginx flavour will do; nginx-light is the smallest.
nginx_pkg=""
for pkg in nginx-light nginx nginx-core nginx-full nginx-extras; do
    if deb_installed "$pkg"; then nginx_pkg="$pkg"; break; fi
done
if [ -n "$nginx_pkg" ] && command -v nginx >/dev/null 2>&1; then
    ok "nginx" "$nginx_pkg $(dpkg-query -W -f='${Version}' "$nginx_pkg")"
else
    missing_debs+=("nginx-light")
fi
if [ "${#missing_debs[@]}" -gt 0 ]; then
    installing "${missing_debs[*]}" "apt-get install"
    export DEBIAN_FRONTEND=noninteractive
    { run_logged apt-get update && run_logged apt-get install -y "${missing_debs[@]}"; } ||
        fail "the Debian packages ${missing_debs[*]}" \
            "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y ${missing_debs[*]}"
fi

# --- trunk -----------------------------------------------------------------------
trunk_have="$(trunk --version 2>/dev/null | awk '{print $2}' || true)"
if [ "$trunk_have" = "$TRUNK_VERSION" ]; then
    ok "trunk" "$TRUNK_VERSION"
else
    installing "trunk" "${trunk_have:-none} -> $TRUNK_VERSION (cargo install, about 10 minutes)"
    run_logged cargo install trunk --version "$TRUNK_VERSION" --locked --force ||
        fail "trunk $TRUNK_VERSION" "cargo install trunk --version $TRUNK_VERSION --locked"
    [ "$(trunk --version 2>/dev/null | awk '{print $2}')" = "$TRUNK_VERSION" ] ||
        fail "trunk $TRUNK_VERSION (installed, but another trunk comes first on PATH)" \
            "cargo install trunk --version $TRUNK_VERSION --locked --force"
fi

# --- wasm-bindgen-cli (wasm-bindgen and wasm-bindgen-test-runner) --------------------
if [ ! -f Cargo.lock ]; then
    installing "Cargo.lock" "cargo generate-lockfile"
    run_logged cargo generate-lockfile || fail "Cargo.lock" "cargo generate-lockfile"
    WASM_BINDGEN_VERSION="$(openim_lock_version wasm-bindgen)"
    export WASM_BINDGEN_VERSION TRUNK_TOOLS_WASM_BINDGEN="$WASM_BINDGEN_VERSION"
fi
[ -n "$WASM_BINDGEN_VERSION" ] ||
    fail "wasm-bindgen-cli (Cargo.lock names no wasm-bindgen crate)" "cargo generate-lockfile"
wbg_have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
runner_have="$(wasm-bindgen-test-runner --version 2>/dev/null | awk '{print $2}' || true)"
if [ "$wbg_have" = "$WASM_BINDGEN_VERSION" ] && [ "$runner_have" = "$WASM_BINDGEN_VERSION" ]; then
    ok "wasm-bindgen-cli" "$WASM_BINDGEN_VERSION"
else
    installing "wasm-bindgen-cli" "${wbg_have:-none} -> $WASM_BINDGEN_VERSION (cargo install, about 5 minutes)"
    # Not --locked: its lock file asks for a crate version the registry here lacks.
    run_logged cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force ||
        fail "wasm-bindgen-cli $WASM_BINDGEN_VERSION" \
            "cargo install wasm-bindgen-cli --version $WASM_BINDGEN_VERSION"
    [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" = "$WASM_BINDGEN_VERSION" ] ||
        fail "wasm-bindgen-cli $WASM_BINDGEN_VERSION (installed, but another wasm-bindgen comes first on PATH)" \
            "cargo install wasm-bindgen-cli --version $WASM_BINDGEN_VERSION --force"
fi

# --- wasm-opt from the npm package binaryen, local to the repo ------------------------
wasm_opt="$REPO_ROOT/.tools/node_modules/.bin/wasm-opt"
terser="$REPO_ROOT/.tools/node_modules/.bin/terser"
terser_want="$(sed -n 's/.*"terser": "\(.*\)".*/\1/p' .tools/package.json)"
wasm_opt_have="$("$wasm_opt" --version 2>/dev/null | awk '{print $3}' || true)"
terser_have="$("$terser" --version 2>/dev/null | awk '{print $2}' || true)"
if [ "$wasm_opt_have" = "$WASM_OPT_VERSION" ] && [ "$terser_have" = "$terser_want" ]; then
    ok "wasm-opt" "version_$WASM_OPT_VERSION (.tools/node_modules)"
    ok "terser" "$terser_want (.tools/node_modules)"
else
    command -v npm >/dev/null 2>&1 ||
        fail "npm (needed for wasm-opt and terser)" "apt-get install -y nodejs npm"
    installing "wasm-opt, terser" "binaryen@$WASM_OPT_VERSION, terser@$terser_want via npm ci --prefix .tools"
    run_logged npm ci --prefix .tools --no-audit --no-fund ||
        fail "wasm-opt and terser (npm)" "npm ci --prefix .tools"
    wasm_opt_have="$("$wasm_opt" --version 2>/dev/null | awk '{print $3}' || true)"
    [ "$wasm_opt_have" = "$WASM_OPT_VERSION" ] ||
        fail "wasm-opt version_$WASM_OPT_VERSION" "npm install --prefix .tools binaryen@$WASM_OPT_VERSION.0.0"
    terser_have="$("$terser" --version 2>/dev/null | awk '{print $2}' || true)"
    [ "$terser_have" = "$terser_want" ] ||
        fail "terser $terser_want" "npm install --prefix .tools terser@$terser_want"
fi

echo "bootstrap: all tools present"
