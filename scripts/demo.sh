#!/usr/bin/env bash
# `make demo`: the dashboard behind nginx on 127.0.0.1:8080, its /api/ forwarded to
# the local OpenIM emulator on 127.0.0.1:10002, or to $OPENIM_API when that is set.
#
#   OPENIM_API=http://openim.example:10002 make demo use a real OpenIM server instead
#   CHAT_ADMIN_API=http://openim.example:10009      its chat admin API, for /complete_admin/
#   EMULATOR_ARGS="--api v3.8 --seed-users 1000" make demo
#   DEMO_LISTEN / EMULATOR_LISTEN                  other host:port pairs
#
# Everything it writes stays in target/demo/ and dist/; Ctrl-C stops all it started.
set -euo pipefail

# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"

DEMO_LISTEN="${DEMO_LISTEN:-127.0.0.1:8080}"
EMULATOR_LISTEN="${EMULATOR_LISTEN:-127.0.0.1:10002}"
# The emulator's chat admin sign-in (POST /account/login), as OpenIM's chat server on 10009.
CHAT_LISTEN="${CHAT_LISTEN:-127.0.0.1:10009}"
OPENIM_API="${OPENIM_API:-}"
read -r -a emulator_args <<<"${EMULATOR_ARGS:-}"
DEMO_DIR="$REPO_ROOT/target/demo"
DIST_DIR="$REPO_ROOT/dist"

die() { echo "demo: $*" >&2; exit 1; }
for addr in "$DEMO_LISTEN" "$EMULATOR_LISTEN" "$CHAT_LISTEN"; do
    [[ "$addr" =~ ^[^:/[:space:]]+:[0-9]{1,5}$ ]] || die "'$addr' is not a host:port pair such as 127.0.0.1:8080."
done

# True when something accepts TCP connections on host:port.
port_in_use() {
    local host="${1%:*}" port="${1##*:}"
    timeout 1 bash -c "exec 3<>/dev/tcp/$host/$port" 2>/dev/null
}
check_ports() {
    ! port_in_use "$DEMO_LISTEN" ||
        die "port ${DEMO_LISTEN##*:} is already in use on ${DEMO_LISTEN%:*}, so the dashboard cannot listen there; stop what uses it or set DEMO_LISTEN=host:port."
    if [ -z "$OPENIM_API" ] && port_in_use "$EMULATOR_LISTEN"; then
        die "port ${EMULATOR_LISTEN##*:} is already in use on ${EMULATOR_LISTEN%:*}, so the emulator cannot listen there; stop what uses it, set EMULATOR_LISTEN=host:port, or set OPENIM_API to use a running server."
    fi
    if [ -z "$OPENIM_API" ] && port_in_use "$CHAT_LISTEN"; then
        die "port ${CHAT_LISTEN##*:} is already in use on ${CHAT_LISTEN%:*}, so the emulator's chat admin sign-in cannot listen there; stop what uses it or set CHAT_LISTEN=host:port."
    fi
}
# Wait until host:port accepts connections or the process dies; 60 s at most.
wait_for_port() {
    local addr="$1" pid="$2" what="$3" deadline=$((SECONDS + 60))
    until port_in_use "$addr"; do
        kill -0 "$pid" 2>/dev/null || die "$what exited before listening on $addr."
        [ "$SECONDS" -lt "$deadline" ] || die "$what did not listen on $addr within 60 s."
        sleep 0.2
    done
}

check_ports

scripts/bootstrap.sh
export OPENIM_BOOTSTRAPPED=1
scripts/build.sh
if [ -z "$OPENIM_API" ]; then
    echo "demo: building the emulator"
    cargo build --release -p openim-emulator
fi

# The builds take minutes; look again right before binding.
check_ports

pids=()
# shellcheck disable=SC2317 # reached through the traps below
cleanup() {
    trap - EXIT INT TERM
    if [ "${#pids[@]}" -gt 0 ]; then
        echo
        echo "demo: stopping"
        kill -TERM "${pids[@]}" 2>/dev/null || true
        wait "${pids[@]}" 2>/dev/null || true
    fi
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

mkdir -p "$DEMO_DIR/logs"
if [ -z "$OPENIM_API" ]; then
    target/release/openim-emulator --listen "$EMULATOR_LISTEN" --chat-listen "$CHAT_LISTEN" "${emulator_args[@]}" &
    pids+=($!)
    wait_for_port "$EMULATOR_LISTEN" "${pids[-1]}" "the emulator"
    upstream="http://$EMULATOR_LISTEN"
    api_note="(local emulator${EMULATOR_ARGS:+ $EMULATOR_ARGS})"
else
    upstream="${OPENIM_API%/}"
    api_note="(OPENIM_API)"
fi

if [ -n "$OPENIM_API" ]; then
    chat_upstream="${CHAT_ADMIN_API:-http://127.0.0.1:10009}"
    chat_note="(CHAT_ADMIN_API, or its default)"
else
    chat_upstream="${CHAT_ADMIN_API:-http://$CHAT_LISTEN}"
    chat_note="(local emulator: admin1/admin1 beside v3.4, chatAdmin/chatAdmin beside v3.8)"
fi

conf="$DEMO_DIR/nginx.conf"
# --worker-user auto: workers that drop root for nobody must still be able to read dist/.
scripts/render-nginx-conf.sh --listen "$DEMO_LISTEN" --dist "$DIST_DIR" \
    --upstream "$upstream" --prefix "$DEMO_DIR" --out "$conf" --worker-user auto \
    --chat-upstream "$chat_upstream"

nginx_cmd=(nginx -p "$DEMO_DIR" -c "$conf" -e "$DEMO_DIR/logs/error.log" -g "daemon off;")
"${nginx_cmd[@]}" -t -q || die "nginx rejected $conf (see above)."
"${nginx_cmd[@]}" &
pids+=($!)
wait_for_port "$DEMO_LISTEN" "${pids[-1]}" "nginx"

cat <<BANNER

  OpenIM admin demo is running
    dashboard   http://$DEMO_LISTEN/
    OpenIM API  $upstream/  $api_note
                the dashboard calls it through http://$DEMO_LISTEN/api/
    chat admin  $chat_upstream/  $chat_note
                the dashboard signs in through http://$DEMO_LISTEN/complete_admin/
    logs        $DEMO_DIR/logs/
  Press Ctrl-C to stop.

BANNER

# Stay up until Ctrl-C, or until one of the servers stops on its own.
status=0
wait -n "${pids[@]}" || status=$?
echo "demo: a server stopped on its own (exit $status); see $DEMO_DIR/logs/" >&2
exit "$status"
