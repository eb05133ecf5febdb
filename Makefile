# Entry points; the work is done by the scripts in scripts/, which install any
# missing tool first (scripts/bootstrap.sh, a few seconds when all is present).
#
#   make demo       dashboard on http://127.0.0.1:8080/, API emulator on 127.0.0.1:10002
#                   (OPENIM_API=http://host:port make demo to use a real OpenIM server)
#   make test       all test tiers, in order, stopping at the first failure
#   make test-e2e   the release build in headless Chromium, behind nginx, against the emulator
#   make build      release build of the dashboard into dist/
#   make bench      the "Performance" figures into target/bench/report.json (BENCH_ARGS=--quick to try it)
#   make emulator   the emulator alone, e.g. make emulator EMULATOR_ARGS="--api v3.8 --seed-users 1000"

SHELL := /bin/bash
.DEFAULT_GOAL := help

EMULATOR_LISTEN ?= 127.0.0.1:10002
EMULATOR_ARGS ?=
BENCH_ARGS ?=
export EMULATOR_ARGS EMULATOR_LISTEN


.PHONY: help bootstrap demo serve-prod test build bench emulator fmt-check clippy clippy-native \
	clippy-wasm test-native test-wasm test-e2e clean-demo

help:
	@sed -n 's/^#   make /make /p' $(firstword $(MAKEFILE_LIST))
	@echo "also: bootstrap fmt-check clippy clippy-native clippy-wasm test-native test-wasm clean-demo"

bootstrap:
	scripts/bootstrap.sh

demo:
	scripts/demo.sh

# deploy/nginx.conf exactly as in production, in front of a real OpenIM server.
serve-prod:
	@[ -n "$(OPENIM_API)" ] || { echo "serve-prod: set OPENIM_API=http://host:10002 (and CHAT_ADMIN_API=http://host:10009); make demo serves the same config in front of the emulator"; exit 2; }
	scripts/demo.sh

test:
	scripts/test.sh

build:
	scripts/build.sh

# Builds dist/ and the release emulator, then crates/openim-bench; separate from make test.
bench:
	scripts/bench.sh $(BENCH_ARGS)

emulator:
	scripts/bootstrap.sh
	source scripts/env.sh && cargo build --release -p openim-emulator && \
		exec target/release/openim-emulator --listen "$(EMULATOR_LISTEN)" $(EMULATOR_ARGS)

fmt-check:
	scripts/test.sh fmt-check

clippy:
	scripts/test.sh clippy-native clippy-wasm

clippy-native:
	scripts/test.sh clippy-native

clippy-wasm:
	scripts/test.sh clippy-wasm

test-native:
	scripts/test.sh test-native

# wasm-bindgen-test in headless Chromium; the runner and CHROMEDRIVER come from scripts/env.sh.
test-wasm:
	scripts/test.sh test-wasm

# Builds dist/ afresh, then crates/openim-e2e: nginx with deploy/nginx.conf, the emulator, Chromium;
# then the bench harness once on tiny inputs (openim-bench --quick).
test-e2e:
	scripts/test.sh e2e

clean-demo:
	rm -rf target/demo dist
