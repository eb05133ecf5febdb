#!/usr/bin/env bash
# Fills the placeholders of deploy/nginx.conf and writes a config nginx can run.
#
#   scripts/render-nginx-conf.sh --listen 127.0.0.1:8080 --dist "$PWD/dist" \
#       --upstream http://127.0.0.1:10002 --prefix "$PWD/target/demo" [--out FILE] \
#       [--worker-user auto|USER] [--chat-upstream URL]
#
# Without --out the config goes to standard output. The prefix gets the logs/ and
# tmp/ directories the config names. Comment lines keep their placeholders.
# --worker-user auto: nginx started as root hands requests to workers running as
# the user nobody; when nobody cannot read the dist directory (a checkout under a
# private home, say), the workers stay root instead. --worker-user USER: run them as USER.
# --chat-upstream: the chat admin API behind /complete_admin/ (default http://127.0.0.1:10009).
# deploy/proxy.conf, which the config includes, is copied into the prefix.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
template="$REPO_ROOT/deploy/nginx.conf"
listen="" dist="" upstream="" prefix="" out="" worker_user="" chat_upstream="http://127.0.0.1:10009"

usage() {
    sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
}
die() { echo "render-nginx-conf: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
    case "$1" in
        --listen) listen="${2:-}"; shift 2 ;;
        --dist) dist="${2:-}"; shift 2 ;;
        --upstream) upstream="${2:-}"; shift 2 ;;
        --prefix) prefix="${2:-}"; shift 2 ;;
        --template) template="${2:-}"; shift 2 ;;
        --out | -o) out="${2:-}"; shift 2 ;;
        --worker-user) worker_user="${2:-}"; shift 2 ;;
        --chat-upstream) chat_upstream="${2:-}"; shift 2 ;;
        -h | --help) usage ;;
        *) echo "render-nginx-conf: unknown argument: $1" >&2; usage ;;
    esac
done

if [ -z "$listen" ] || [ -z "$dist" ] || [ -z "$upstream" ] || [ -z "$prefix" ]; then usage; fi
[[ "$listen" =~ ^([0-9.]+:|\[[0-9a-fA-F:]+\]:|localhost:)?[0-9]{1,5}$ ]] ||
    die "--listen must be a port or address:port, got '$listen'"
[[ "$dist" = /* ]] || die "--dist must be an absolute path, got '$dist'"
[[ "$prefix" = /* ]] || die "--prefix must be an absolute path, got '$prefix'"
[[ "$upstream" =~ ^https?://[^/[:space:]]+(/[^[:space:];{}]*)?$ ]] ||
    die "--upstream must be an http:// or https:// URL, got '$upstream'"
upstream="${upstream%/}" # the config appends the slash that strips /api
[[ "$chat_upstream" =~ ^https?://[^/[:space:]]+(/[^[:space:];{}]*)?$ ]] ||
    die "--chat-upstream must be an http:// or https:// URL, got '$chat_upstream'"
chat_upstream="${chat_upstream%/}"
[ -f "$template" ] || die "template not found: $template"
[[ -z "$worker_user" || "$worker_user" =~ ^[a-z_][a-z0-9_-]*$ ]] ||
    die "--worker-user must be auto or a user name, got '$worker_user'"

# The user directive for the workers, or nothing to keep nginx's default (nobody).
user_directive=""
if [ "$worker_user" = auto ]; then
    if [ "$(id -u)" = 0 ] && ! runuser -u nobody -- test -r "${dist%/}/index.html" 2>/dev/null; then
        user_directive="# The user nobody cannot read ${dist%/}, so the workers stay root.
user root;"
    fi
elif [ -n "$worker_user" ]; then
    user_directive="user $worker_user;"
fi

# Escape a value for the replacement side of a sed s||| command.
sed_escape() { printf '%s' "$1" | sed -e 's/[\\|&]/\\&/g'; }

mkdir -p "$prefix/logs" "$prefix/tmp"
cp "$(dirname "$template")/proxy.conf" "$prefix/proxy.conf"

rendered="$(
    printf '# Rendered from deploy/nginx.conf by scripts/render-nginx-conf.sh.\n'
    [ -z "$user_directive" ] || printf '%s\n' "$user_directive"
    # Substitute on every line that is not a comment.
    sed -e "/^[[:space:]]*#/!{
        s|\${LISTEN}|$(sed_escape "$listen")|g
        s|\${DIST_DIR}|$(sed_escape "${dist%/}")|g
        s|\${OPENIM_API_UPSTREAM}|$(sed_escape "$upstream")|g
        s|\${CHAT_ADMIN_UPSTREAM}|$(sed_escape "$chat_upstream")|g
        s|\${PREFIX}|$(sed_escape "${prefix%/}")|g
    }" "$template"
)"

# shellcheck disable=SC2016 # a literal ${NAME}, not an expansion
leftover="$(grep -v '^[[:space:]]*#' <<<"$rendered" | grep -o '\${[A-Z_]*}' | sort -u | tr '\n' ' ' || true)"
[ -z "$leftover" ] || die "placeholders left unfilled in $template: $leftover"

if [ -n "$out" ]; then
    mkdir -p "$(dirname "$out")"
    printf '%s\n' "$rendered" >"$out"
else
    printf '%s\n' "$rendered"
fi
