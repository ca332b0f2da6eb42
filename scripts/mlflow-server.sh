#!/usr/bin/env bash
# Start or stop a local, pinned MLflow tracking server (docs/mlflow-notes.md sections 7 and 9).
#
#   scripts/mlflow-server.sh up       PORT STATE_DIR  start unless /health already answers on PORT
#   scripts/mlflow-server.sh up-fresh PORT STATE_DIR  stop ours, wipe STATE_DIR, start (for tests)
#   scripts/mlflow-server.sh down     PORT STATE_DIR  stop the server started from STATE_DIR (idempotent)
#   scripts/mlflow-server.sh status   PORT STATE_DIR
#
# STATE_DIR holds mlflow.db (SQLite backend), artifacts/, server.log and server.pid.
# Environment: MLFLOW_BIN (default: .venv-mlflow/bin/mlflow in the repo), MLFLOW_HOST (127.0.0.1),
# MLFLOW_START_TIMEOUT (120 s), MLFLOW_STOP_TIMEOUT (15 s, then SIGKILL),
# MLFLOW_SERVER_ENABLE_JOB_EXECUTION (default here: false).
#
# The mlflow CLI forks the uvicorn server, so the pid we start is not the one serving: the server
# runs in its own process group (setsid) and is stopped by signalling the whole group.
set -euo pipefail

die() { echo "mlflow-server: $*" >&2; exit 1; }
usage() { sed -n "2,15p" "$0" >&2; exit 2; }

[[ $# -eq 3 ]] || usage
action=$1 port=$2 state_arg=$3
[[ $port =~ ^[0-9]+$ ]] || die "port must be a number, got '$port'"
[[ -n $state_arg ]] || die "empty STATE_DIR"

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
host=${MLFLOW_HOST:-127.0.0.1}
mlflow_bin=${MLFLOW_BIN:-$repo_root/.venv-mlflow/bin/mlflow}
start_timeout=${MLFLOW_START_TIMEOUT:-120}
stop_timeout=${MLFLOW_STOP_TIMEOUT:-15}
url="http://$host:$port"

# Absolute path even if the directory does not exist yet (the SQLite URI needs one).
case $state_arg in
    /*) state=$state_arg ;;
    *) state=$PWD/$state_arg ;;
esac
state=${state%/}
pidfile=$state/server.pid
logfile=$state/server.log

healthy() {
    if command -v curl >/dev/null 2>&1; then
        curl -fsS -m 2 --noproxy '*' "$url/health" >/dev/null 2>&1
    else
        python3 -c 'import sys,urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$url/health" >/dev/null 2>&1
    fi
}

server_version() {
    curl -fsS -m 2 --noproxy '*' "$url/version" 2>/dev/null || echo "?"
}

group_alive() { kill -0 -"$1" 2>/dev/null; }

# True if some process in process group $1 runs mlflow: guards against a recycled pid in a stale pid file.
group_runs_mlflow() {
    local want=$1 stat line rest cmd
    local -a fields
    for stat in /proc/[0-9]*/stat; do
        read -r line <"$stat" 2>/dev/null || continue
        rest=${line##*) }                 # fields after "(comm)", which may contain spaces
        read -r -a fields <<<"$rest"      # [0] state, [1] ppid, [2] pgrp
        [[ ${fields[2]:-} == "$want" ]] || continue
        cmd=$(tr '\0' ' ' <"${stat%/stat}/cmdline" 2>/dev/null || true)
        [[ $cmd == *mlflow* ]] && return 0
    done
    return 1
}

read_pid() {
    local pid
    [[ -f $pidfile ]] || return 1
    pid=$(<"$pidfile")
    [[ $pid =~ ^[0-9]+$ ]] || { echo "mlflow-server: ignoring malformed $pidfile" >&2; rm -f "$pidfile"; return 1; }
    echo "$pid"
}

log_tail() {
    echo "---- last 40 lines of $logfile ----" >&2
    tail -n 40 "$logfile" >&2 2>/dev/null || true
    echo "----" >&2
}

wait_for_health() {
    local pgid=$1 deadline=$((SECONDS + start_timeout))
    until healthy; do
        if ! group_alive "$pgid"; then
            log_tail
            rm -f "$pidfile"
            die "server exited during start-up (port $port busy? see $logfile)"
        fi
        if ((SECONDS >= deadline)); then
            log_tail
            stop_group "$pgid"
            rm -f "$pidfile"
            die "no answer from $url/health within ${start_timeout}s; stopped it"
        fi
        sleep 1
    done
}

stop_group() {
    local pgid=$1 deadline=$((SECONDS + stop_timeout))
    kill -TERM -"$pgid" 2>/dev/null || true
    while group_alive "$pgid" || healthy; do
        if ((SECONDS >= deadline)); then
            echo "mlflow-server: group $pgid still alive after ${stop_timeout}s, sending SIGKILL" >&2
            kill -KILL -"$pgid" 2>/dev/null || true
            deadline=$((SECONDS + 5))
            while group_alive "$pgid"; do
                ((SECONDS < deadline)) || die "process group $pgid survived SIGKILL"
                sleep 0.2
            done
            break
        fi
        sleep 0.3
    done
    # Another server (not ours) may still answer on the port; that is reported by the caller.
}

do_up() {
    local pid
    if pid=$(read_pid); then
        if group_alive "$pid" && group_runs_mlflow "$pid"; then
            if healthy; then
                echo "MLflow already running at $url (pid $pid, state $state)"
                return 0
            fi
            echo "MLflow (pid $pid) is starting; waiting for $url/health"
            wait_for_health "$pid"
            echo "MLflow $(server_version) up at $url"
            return 0
        fi
        rm -f "$pidfile" # stale: the process is gone or the pid was recycled
    fi
    if healthy; then
        echo "An MLflow server already answers at $url (not started from $state); using it"
        return 0
    fi
    [[ -x $mlflow_bin ]] || die "no mlflow executable at $mlflow_bin (run 'make venv', or set MLFLOW_TRACKING_URI)"
    command -v setsid >/dev/null || die "setsid (util-linux) is required"

    mkdir -p "$state/artifacts"
    # MLflow 3.x also forks ~7 "huey" job consumers for GenAI background jobs (scorers, prompt
    # optimisation). prunelab uses none of them; on a 2-core machine they only cost memory and CPU.
    export MLFLOW_SERVER_ENABLE_JOB_EXECUTION=${MLFLOW_SERVER_ENABLE_JOB_EXECUTION:-false}
    printf '\n==== %s: starting %s server on %s ====\n' "$(date -u +%FT%TZ)" "$mlflow_bin" "$url" >>"$logfile"
    # cd: anything the server writes relative to its working directory stays in the state dir.
    # This script runs without job control, so the background child is not a group leader and
    # setsid does not fork: $! is the session and process-group leader.
    (
        cd "$state"
        exec setsid nohup "$mlflow_bin" server \
            --host "$host" --port "$port" --workers 1 \
            --backend-store-uri "sqlite:///$state/mlflow.db" \
            --artifacts-destination "$state/artifacts" \
            --serve-artifacts
    ) >>"$logfile" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$pidfile.tmp" && mv -f "$pidfile.tmp" "$pidfile"
    echo "Starting MLflow on $url (pid $pid, log $logfile) ..."
    wait_for_health "$pid"
    echo "MLflow $(server_version) up at $url (backend sqlite:///$state/mlflow.db)"
}

do_down() {
    local pid
    if ! pid=$(read_pid); then
        if healthy; then
            echo "No server started from $state; the one answering at $url is left alone"
        else
            echo "MLflow on port $port is not running"
        fi
        return 0
    fi
    if ! group_alive "$pid"; then
        echo "MLflow (pid $pid) had already exited; removing stale $pidfile"
        rm -f "$pidfile"
        return 0
    fi
    if ! group_runs_mlflow "$pid"; then
        echo "mlflow-server: process group $pid is not an mlflow server (recycled pid?); not signalling it" >&2
        rm -f "$pidfile"
        return 0
    fi
    echo "Stopping MLflow (process group $pid) ..."
    stop_group "$pid"
    rm -f "$pidfile"
    if healthy; then
        echo "mlflow-server: stopped ours, but something still answers at $url" >&2
    else
        echo "MLflow on port $port stopped"
    fi
}

# Deletes the state directory only if it holds nothing but server state, so a mistyped
# STATE_DIR can never wipe unrelated files.
wipe_state() {
    [[ -d $state ]] || return 0
    local entry name
    for entry in "$state"/* "$state"/.[!.]*; do
        [[ -e $entry ]] || continue
        name=${entry##*/}
        case $name in
            mlflow.db | mlflow.db-* | artifacts | server.log | server.pid | server.pid.tmp) ;;
            *) die "refusing to wipe $state: unexpected entry '$name'" ;;
        esac
    done
    rm -rf "$state"
}

case $action in
    up) do_up ;;
    up-fresh)
        do_down
        if healthy; then
            die "port $port is served by an MLflow we did not start; pick another port"
        fi
        wipe_state
        do_up
        ;;
    down) do_down ;;
    status)
        if healthy; then echo "up: $url ($(server_version))"; else echo "down: $url"; fi
        if pid=$(read_pid); then echo "pid file: $pidfile ($pid)"; fi
        ;;
    *) usage ;;
esac
