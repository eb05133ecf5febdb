#!/usr/bin/env bash
# `make test`: every check, cheapest first, stopping at the first tier that fails.
#
#   scripts/test.sh                   all tiers
#   scripts/test.sh clippy-wasm ...   only the named tiers, in the order given
#
# Tiers: fmt-check clippy-native clippy-wasm test-native test-wasm e2e
# Each tier's output is also kept in target/test-logs/<tier>.log.
set -euo pipefail

# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"

ALL_TIERS=(fmt-check clippy-native clippy-wasm test-native test-wasm e2e)

# The e2e tier drives the release build, so it builds dist/ afresh first. Two tests at
# a time: each runs its own nginx, emulator and Chromium, and two cores hold two well.
# Then `make bench`'s harness runs once on tiny inputs against the same dist/, to show that
# it still works (its timings mean nothing; make bench is the measurement).
E2E_TEST_THREADS="${E2E_TEST_THREADS:-2}"
e2e_build_then_test() {
    OPENIM_BOOTSTRAPPED=1 scripts/build.sh &&
        cargo test -p openim-e2e --no-fail-fast -- --test-threads "$E2E_TEST_THREADS" &&
        cargo run -q -p openim-bench -- --quick
}

tier_title() {
    case "$1" in
        fmt-check) echo "format check" ;;
        clippy-native) echo "clippy, native" ;;
        clippy-wasm) echo "clippy, wasm32-unknown-unknown" ;;
        test-native) echo "native tests" ;;
        test-wasm) echo "wasm-bindgen tests, headless Chromium" ;;
        e2e) echo "end to end: release build, nginx, emulator, headless Chromium; bench harness --quick" ;;
        *) return 1 ;;
    esac
}

tier_command() {
    case "$1" in
        fmt-check) echo cargo fmt --all -- --check ;;
        clippy-native) echo cargo clippy --workspace --all-targets -- -D warnings ;;
        clippy-wasm) echo cargo clippy --target wasm32-unknown-unknown -p openim-admin --all-targets -- -D warnings ;;
        # The e2e crate needs a fresh dist/; its own tier runs it.
        test-native) echo cargo test --workspace --exclude openim-e2e ;;
        # The runner (CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER, set by env.sh) starts
        # $CHROMEDRIVER with the flags in webdriver.json.
        test-wasm) echo cargo test --target wasm32-unknown-unknown -p openim-admin ;;
        # scripts/build.sh, cargo test -p openim-e2e, openim-bench --quick (the function above).
        e2e) echo e2e_build_then_test ;;
        *) return 1 ;;
    esac
}

tiers=("$@")
[ "${#tiers[@]}" -gt 0 ] || tiers=("${ALL_TIERS[@]}")
for tier in "${tiers[@]}"; do
    tier_title "$tier" >/dev/null || {
        echo "test: unknown tier '$tier'; the tiers are: ${ALL_TIERS[*]}" >&2
        exit 2
    }
done

[ "${OPENIM_BOOTSTRAPPED:-}" = 1 ] || scripts/bootstrap.sh

log_dir="$REPO_ROOT/target/test-logs"
mkdir -p "$log_dir"

passed_tests=0 failed_tests=0 ignored_tests=0
# Adds up the "test result: ..." lines that cargo test and wasm-bindgen-test-runner print.
count_tests() {
    local counts
    # A tier that failed to compile has no such line; grep's status must not end the script.
    counts="$({ grep -aoE 'test result: [A-Za-z]+\. [0-9]+ passed; [0-9]+ failed; [0-9]+ ignored' "$1" || true; } |
        awk '{p += $4; f += $6; i += $8} END {print p + 0, f + 0, i + 0}')"
    read -r p f i <<<"$counts"
    passed_tests=$((passed_tests + p))
    failed_tests=$((failed_tests + f))
    ignored_tests=$((ignored_tests + i))
}

print_totals() {
    if [ "$tests_ran" = 1 ]; then
        echo "tests: $passed_tests passed, $failed_tests failed, $ignored_tests skipped"
    fi
}

summary=()
tests_ran=0
n=0
for tier in "${tiers[@]}"; do
    n=$((n + 1))
    read -r -a cmd <<<"$(tier_command "$tier")"
    log="$log_dir/$tier.log"
    echo
    echo "==> [$n/${#tiers[@]}] $(tier_title "$tier"): ${cmd[*]}"
    start=$SECONDS
    status=0
    "${cmd[@]}" 2>&1 | tee "$log" || status=$?
    elapsed=$((SECONDS - start))
    case "$tier" in test-* | e2e) tests_ran=1; count_tests "$log" ;; esac
    if [ "$status" -ne 0 ]; then
        summary+=("  FAILED  $tier (${elapsed}s)")
        echo
        echo "test: tier '$tier' ($(tier_title "$tier")) FAILED with exit code $status; later tiers were not run."
        echo "test: its output is in $log"
        printf '%s\n' "summary:" "${summary[@]}"
        print_totals
        exit "$status"
    fi
    summary+=("  ok      $tier (${elapsed}s)")
done

echo
echo "summary: all ${#tiers[@]} tiers passed"
printf '%s\n' "${summary[@]}"
print_totals
