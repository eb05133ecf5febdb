#!/usr/bin/env bash
# `make bench`: the figures of the "Performance" issue, measured on the release build behind
# nginx with deploy/nginx.conf, in front of the emulator, in headless Chromium. Builds dist/
# (scripts/build.sh) and the release emulator, then runs crates/openim-bench, which writes
# target/bench/report.json and target/bench/report.txt and prints the tables.
#
#   scripts/bench.sh                        every figure, 10 runs each (5 to 10 minutes on
#                                           two cores once everything is built)
#   scripts/bench.sh --quick                tiny inputs, 2 runs: checks the harness, times
#                                           nothing; writes target/bench/quick/ instead
#   scripts/bench.sh --only export,import   some figures (openim-bench --help lists them)
#
# Not part of `make test`, which runs only the --quick form, inside its e2e tier.
set -euo pipefail

# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"

[ "${OPENIM_BOOTSTRAPPED:-}" = 1 ] || scripts/bootstrap.sh
export OPENIM_BOOTSTRAPPED=1
scripts/build.sh
echo "bench: release build of the emulator"
cargo build --release -p openim-emulator
echo "bench: running crates/openim-bench (release)"
exec cargo run --release -p openim-bench -- \
    --emulator-bin "${CARGO_TARGET_DIR:-$REPO_ROOT/target}/release/openim-emulator" "$@"
