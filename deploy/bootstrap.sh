#!/usr/bin/env bash
# Prepares this machine to run the platform, and with --for-tests its test suite.
#
#   deploy/bootstrap.sh               .venv with the project installed + RabbitMQ on 127.0.0.1:5672
#   deploy/bootstrap.sh --for-tests   the same + PostgreSQL on 127.0.0.1:5432 (user postgres)
#   deploy/bootstrap.sh --for-bench   the same + the load generator wrk (tests/perf)
#   deploy/bootstrap.sh --venv-only   only the .venv
#
# Safe to run again and again: each step checks first and does nothing when its work is done.
# It installs Debian packages only when it runs as root and apt-get exists; otherwise it prints
# the one command to run and stops with exit code 1.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
STAMP="$VENV/.coop-platform-installed"
RABBIT_PORT=5672
PG_PORT=5432
WAIT_SECONDS=60

FOR_TESTS=0
FOR_BENCH=0
VENV_ONLY=0
APT_UPDATED=0

say() { printf '[bootstrap] %s\n' "$*"; }
fail() {
    printf '[bootstrap] ERROR: %s\n' "$1" >&2
    shift
    local line
    for line in "$@"; do printf '[bootstrap]   %s\n' "$line" >&2; done
    exit 1
}

usage() {
    sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
    case "$1" in
        --for-tests) FOR_TESTS=1 ;;
        --for-bench) FOR_TESTS=1; FOR_BENCH=1 ;;
        --venv-only) VENV_ONLY=1 ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; fail "unknown option: $1" ;;
    esac
    shift
done

is_root() { [ "$(id -u)" -eq 0 ]; }
have() { command -v "$1" >/dev/null 2>&1; }
# The daemons live in sbin, which a non-root PATH often lacks.
PATH="$PATH:/usr/sbin:/sbin:/usr/local/sbin"

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() {
    if have timeout; then
        timeout 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
    else
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
    fi
}

wait_port() {
    local port="$1" what="$2" waited=0
    while ! port_open "$port"; do
        if [ "$waited" -ge "$WAIT_SECONDS" ]; then
            return 1
        fi
        sleep 1
        waited=$((waited + 1))
    done
    say "$what answers on 127.0.0.1:$port (after ${waited}s)"
}

can_apt() { is_root && have apt-get; }

apt_install() {
    if [ "$APT_UPDATED" -eq 0 ]; then
        say "apt-get update"
        DEBIAN_FRONTEND=noninteractive apt-get update -q
        APT_UPDATED=1
    fi
    say "apt-get install -y $*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"
}

# Is systemd managing this machine (as opposed to a container or chroot without it)?
systemd_running() { [ -d /run/systemd/system ] && have systemctl; }

# --------------------------------------------------------------------------- Python and .venv

python_is_311() { "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; }

find_python() {
    local candidate
    local -a candidates=()
    [ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
    candidates+=(python3.11)
    if have pyenv; then
        candidates+=("$(pyenv root 2>/dev/null)"/versions/3.11*/bin/python3.11)
    fi
    candidates+=("$HOME"/.pyenv/versions/3.11*/bin/python3.11
                 /usr/local/bin/python3.11 /usr/bin/python3.11 python3)
    for candidate in "${candidates[@]}"; do
        if [ -x "$candidate" ] || have "$candidate"; then
            if python_is_311 "$candidate"; then
                command -v "$candidate" 2>/dev/null || printf '%s\n' "$candidate"
                return 0
            fi
        fi
    done
    return 1
}

install_command_python() {
    if is_root; then echo "apt-get install -y python3.11 python3.11-venv"
    else echo "sudo apt-get install -y python3.11 python3.11-venv"; fi
}

ensure_venv() {
    if [ -e "$VENV" ] && ! python_is_311 "$VENV/bin/python"; then
        # Never delete it ourselves: it may be someone's, or only unreadable to this user.
        fail "$VENV exists but its python is not a working Python 3.11 for this user." \
            "If it is stale, remove it and run this again:  rm -rf '$VENV'"
    fi
    if [ ! -e "$VENV" ]; then
        local py
        py="$(find_python)" || fail "Python 3.11 was not found (tried \$PYTHON, python3.11, pyenv, python3)." \
            "Install it with:  $(install_command_python)" \
            "or point PYTHON at a Python 3.11 interpreter and run this again."
        say "creating $VENV with $py"
        "$py" -m venv "$VENV" || {
            rm -rf "$VENV"
            fail "$py could not create a virtual environment." \
                "Install venv support with:  $(install_command_python)"
        }
    fi

    local want
    want="$(cat "$ROOT/pyproject.toml" "$ROOT/requirements.lock" | sha256sum | cut -d' ' -f1)"
    if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ] \
        && "$VENV/bin/python" -c 'import importlib.metadata as m; m.version("coop-platform")' 2>/dev/null; then
        say ".venv is up to date with pyproject.toml and requirements.lock"
        return 0
    fi
    say "installing the project and its test tools into .venv, pinned by requirements.lock (minutes on a fresh machine)"
    rm -f "$STAMP"
    (cd "$ROOT" && "$VENV/bin/python" -m pip install --quiet --no-input -e '.[test]' -c requirements.lock) \
        || fail "pip could not install the project; the messages above say why."
    printf '%s\n' "$want" > "$STAMP"
    say ".venv is ready"
}

# --------------------------------------------------------------------------- RabbitMQ

start_rabbitmq() {
    if systemd_running; then
        say "starting RabbitMQ: systemctl start rabbitmq-server"
        systemctl start rabbitmq-server
    else
        say "starting RabbitMQ: rabbitmq-server -detached"
        rabbitmq-server -detached
    fi
}

ensure_rabbitmq() {
    if port_open "$RABBIT_PORT"; then
        say "RabbitMQ answers on 127.0.0.1:$RABBIT_PORT"
        return 0
    fi
    local manual="sudo apt-get install -y rabbitmq-server && sudo rabbitmq-server -detached"
    if ! have rabbitmq-server; then
        can_apt || fail "RabbitMQ is not running on 127.0.0.1:$RABBIT_PORT and is not installed. Run:" \
            "$manual"
        apt_install rabbitmq-server
        # The package's own scripts may already have started it.
        if wait_port_briefly "$RABBIT_PORT"; then
            say "RabbitMQ answers on 127.0.0.1:$RABBIT_PORT"
            return 0
        fi
    fi
    if ! is_root; then
        fail "RabbitMQ is installed but not running, and starting it needs root. Run:" \
            "sudo rabbitmq-server -detached"
    fi
    start_rabbitmq
    wait_port "$RABBIT_PORT" RabbitMQ \
        || fail "RabbitMQ did not open 127.0.0.1:$RABBIT_PORT within ${WAIT_SECONDS}s." \
            "Its logs are in /var/log/rabbitmq/."
}

wait_port_briefly() {

    for _ in 1 2 3 4 5; do
        port_open "$1" && return 0
        sleep 1
    done
    return 1
}

# --------------------------------------------------------------------------- PostgreSQL

pg_version() {
    # The newest cluster version that has a 'main' cluster.
    local dir
    dir="$(find /etc/postgresql -mindepth 2 -maxdepth 2 -type d -name main 2>/dev/null | sort -V | tail -n 1)"
    [ -n "$dir" ] && basename "$(dirname "$dir")"
}

psql_works() {
    PGCONNECT_TIMEOUT=5 psql -w -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres \
        -Atqc 'select 1' </dev/null >/dev/null 2>&1
}

start_postgres() {
    local version="$1"
    if systemd_running; then
        say "starting PostgreSQL: systemctl start postgresql@$version-main"
        systemctl start "postgresql@$version-main"
    else
        say "starting PostgreSQL: pg_ctlcluster --skip-systemctl-redirect $version main start"
        pg_ctlcluster --skip-systemctl-redirect "$version" main start
    fi
}

# Test machines only: local TCP connections as 'postgres' need no password, on loopback only.
trust_loopback() {
    local version="$1"
    local hba="/etc/postgresql/$version/main/pg_hba.conf"
    [ -f "$hba" ] || fail "expected $hba after installing PostgreSQL; it is not there."
    if ! grep -q 'coop-platform test machine' "$hba"; then
        say "allowing passwordless loopback TCP logins as postgres in $hba (test machine setting)"
        local tmp
        tmp="$(mktemp)"
        {
            echo "# coop-platform test machine (deploy/bootstrap.sh): user postgres over loopback TCP"
            echo "host    all    postgres    127.0.0.1/32    trust"
            echo "host    all    postgres    ::1/128         trust"
            cat "$hba"
        } > "$tmp"
        cat "$tmp" > "$hba"
        rm -f "$tmp"
    fi
    pg_ctlcluster --skip-systemctl-redirect "$version" main reload
}

ensure_postgres() {
    local manual="sudo apt-get install -y postgresql && sudo pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start"
    local fresh=0 version=""
    if ! port_open "$PG_PORT"; then
        version="$(pg_version || true)"
        if [ -z "$version" ] || ! have pg_ctlcluster; then
            can_apt || fail "PostgreSQL is not running on 127.0.0.1:$PG_PORT and is not installed. Run:" \
                "$manual"
            apt_install postgresql
            fresh=1
            version="$(pg_version || true)"
            [ -n "$version" ] || fail "PostgreSQL was installed but no cluster 'main' exists under /etc/postgresql." \
                "Create one with:  pg_createcluster --start \$(ls /usr/lib/postgresql | sort -V | tail -n 1) main"
        fi
        if ! wait_port_briefly "$PG_PORT"; then
            is_root || fail "PostgreSQL is installed but not running, and starting it needs root. Run:" \
                "sudo pg_ctlcluster --skip-systemctl-redirect $version main start"
            start_postgres "$version"
            wait_port "$PG_PORT" PostgreSQL \
                || fail "PostgreSQL did not open 127.0.0.1:$PG_PORT within ${WAIT_SECONDS}s." \
                    "Its logs are in /var/log/postgresql/."
        fi
    fi
    say "PostgreSQL answers on 127.0.0.1:$PG_PORT"

    if ! have psql; then
        can_apt || fail "the psql client is missing. Run:" "sudo apt-get install -y postgresql-client"
        apt_install postgresql-client
    fi
    if psql_works; then
        say "psql -h 127.0.0.1 -U postgres works without a password"
        return 0
    fi
    if [ "$fresh" -eq 1 ]; then
        trust_loopback "$version"
        psql_works || fail "psql -h 127.0.0.1 -U postgres still fails after allowing loopback logins."
        say "psql -h 127.0.0.1 -U postgres works without a password"
        return 0
    fi
    fail "PostgreSQL runs, but 'psql -h 127.0.0.1 -U postgres' does not log in without a password." \
        "The tests need that. On a test machine, put these two lines first in pg_hba.conf and reload:" \
        "host all postgres 127.0.0.1/32 trust" \
        "host all postgres ::1/128 trust"
}

ensure_wrk() {
    if have wrk; then
        say "wrk is installed"
        return 0
    fi
    can_apt || fail "the benchmarks drive the gateway with wrk, which is not installed. Run:" \
        "sudo apt-get install -y wrk"
    apt_install wrk
    have wrk || fail "wrk is still missing after apt-get install wrk."
    say "wrk is installed"
}

# The browser tests (tests/browser): Debian's chromium, driven by Playwright (which never
# downloads a browser here), a Devanagari font for the Hindi pages' screenshots, and
# axe-core's axe.min.js in the user's cache.
AXE_CORE_VERSION=4.14.1
ensure_browser_test_tools() {
    if [ -x /usr/bin/chromium ] && [ -n "$(fc-list :lang=hi 2>/dev/null)" ]; then
        say "chromium and a Devanagari font are installed"
    elif can_apt; then
        apt_install chromium fonts-lohit-deva
    else
        say "the browser tests skip until: sudo apt-get install -y chromium fonts-lohit-deva"
    fi
    axe_dir="${XDG_CACHE_HOME:-$HOME/.cache}/coop-platform/axe-core-$AXE_CORE_VERSION"
    if [ -f "$axe_dir/axe.min.js" ]; then
        say "axe-core $AXE_CORE_VERSION is in $axe_dir"
    elif have npm; then
        mkdir -p "$axe_dir"
        (cd "$axe_dir" && npm pack --silent "axe-core@$AXE_CORE_VERSION" >/dev/null \
            && tar -xzf "axe-core-$AXE_CORE_VERSION.tgz" --strip-components=1 package/axe.min.js \
            && rm -f "axe-core-$AXE_CORE_VERSION.tgz") \
            || say "axe-core could not be fetched; the accessibility checks skip"
    else
        say "npm is missing; the accessibility checks skip until axe-core is fetched"
    fi
}

# --------------------------------------------------------------------------- main

ensure_venv
if [ "$VENV_ONLY" -eq 0 ]; then
    ensure_rabbitmq
    if [ "$FOR_TESTS" -eq 1 ]; then
        ensure_postgres
        ensure_browser_test_tools
    fi
    if [ "$FOR_BENCH" -eq 1 ]; then
        ensure_wrk
    fi
fi
say "done"
