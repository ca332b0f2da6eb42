#!/usr/bin/env bash
# A real single-node Slurm cluster on 127.0.0.1 for the executor's tests (make slurm-up / slurm-down).
#
#   scripts/slurm-cluster.sh up     STATE_DIR  install slurm-wlm + munge (apt) if missing, start munged,
#                                              slurmctld and slurmd unless they answer already
#   scripts/slurm-cluster.sh down   STATE_DIR  stop the daemons started from STATE_DIR (idempotent)
#   scripts/slurm-cluster.sh status STATE_DIR
#
# Everything lives in STATE_DIR (git-ignored .slurm/): slurm.conf (from scripts/slurm.conf.in), the
# munge key and socket, controller state, spool, logs and pid files. Nothing under /etc is changed,
# so the machine's own Slurm or munge, if any, is left alone. Clients find this cluster through
# SLURM_CONF=STATE_DIR/slurm.conf (the Makefile exports it for test-slurm and bench-slurm).
# Environment: SLURM_CTLD_PORT (16817) and SLURMD_PORT (16818), away from Slurm's defaults so that
# a system cluster on the same machine does not clash; SLURM_START_TIMEOUT (60 s).
set -euo pipefail

die() { echo "slurm-cluster: $*" >&2; exit 1; }
usage() { sed -n "2,15p" "$0" >&2; exit 2; }

[[ $# -eq 2 ]] || usage
action=$1
case $2 in
    /*) state=${2%/} ;;
    *) state=$PWD/${2%/} ;;
esac
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ctld_port=${SLURM_CTLD_PORT:-16817}
slurmd_port=${SLURMD_PORT:-16818}
start_timeout=${SLURM_START_TIMEOUT:-60}
conf=$state/slurm.conf
export SLURM_CONF=$conf

pid_alive() { [[ -f $1 ]] && kill -0 "$(<"$1")" 2>/dev/null; }

install_packages() {
    if command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v sbatch >/dev/null \
            && command -v munged >/dev/null; then
        return
    fi
    command -v apt-get >/dev/null || die "slurm-wlm and munge are missing and there is no apt-get: install them"
    local sudo=()
    if [[ $(id -u) -ne 0 ]]; then
        command -v sudo >/dev/null || die "installing slurm-wlm and munge needs root (or sudo)"
        sudo=(sudo)
    fi
    echo "slurm-cluster: installing slurm-wlm and munge (apt)"
    # The packages' init scripts would start daemons with /etc configs; we start our own instead.
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends slurm-wlm munge
}

write_config() {
    local host cpus memory user
    host=$(hostname -s)
    # The node's real size, as slurmd itself detects it; a node configured larger than it is would
    # be drained. Memory: 90 % of what is there, leaving room for the daemons and the OS.
    local detected
    detected=$(slurmd -C | head -n 1)
    cpus=$(sed -n 's/.* CPUs=\([0-9]*\).*/\1/p' <<<"$detected")
    memory=$(sed -n 's/.* RealMemory=\([0-9]*\).*/\1/p' <<<"$detected")
    [[ $cpus =~ ^[0-9]+$ && $memory =~ ^[0-9]+$ ]] || die "cannot read CPUs/RealMemory from 'slurmd -C': $detected"
    memory=$((memory * 9 / 10))
    user=$(id -un)
    mkdir -p "$state/munge" "$state/ctld" "$state/spool" "$state/log" "$state/jobs"
    chmod 700 "$state/munge"
    sed -e "s|@HOST@|$host|g" -e "s|@CTLD_PORT@|$ctld_port|g" -e "s|@SLURMD_PORT@|$slurmd_port|g" \
        -e "s|@USER@|$user|g" -e "s|@STATE@|$state|g" -e "s|@CPUS@|$cpus|g" -e "s|@MEMORY@|$memory|g" \
        "$repo_root/scripts/slurm.conf.in" >"$conf.tmp"
    mv "$conf.tmp" "$conf"
}

start_munge() {
    local key=$state/munge/munge.key
    if pid_alive "$state/munge/munged.pid"; then
        return
    fi
    if [[ ! -s $key ]]; then
        # A key of our own: this cluster has one node, so nobody else needs to share it.
        (umask 077 && head -c 1024 /dev/urandom >"$key.tmp" && mv "$key.tmp" "$key")
    fi
    rm -f "$state/munge/munge.socket" "$state/munge/munge.socket.lock"
    munged --force --socket="$state/munge/munge.socket" --key-file="$key" --log-file="$state/munge/munged.log" \
        --pid-file="$state/munge/munged.pid" --seed-file="$state/munge/munged.seed" \
        || die "munged did not start; see $state/munge/munged.log"
}

cluster_answers() { timeout 5 sinfo -h -o '%T' >/dev/null 2>&1; }

node_state() { timeout 5 sinfo -h -N -o '%T' 2>/dev/null | head -n 1; }

wait_for_node() {
    local deadline=$((SECONDS + start_timeout)) s
    while ((SECONDS < deadline)); do
        s=$(node_state || true)
        case $s in
            idle|mixed|allocated|completing) return 0 ;;
            down*|drain*) timeout 5 scontrol update NodeName="$(hostname -s)" State=RESUME >/dev/null 2>&1 || true ;;
        esac
        sleep 1
    done
    echo "slurm-cluster: the node did not become idle within ${start_timeout}s (state: '${s:-none}')" >&2
    tail -n 20 "$state/log/slurmctld.log" "$state/log/slurmd.log" >&2 2>/dev/null || true
    exit 1
}

up() {
    install_packages
    if pid_alive "$state/slurmctld.pid" && pid_alive "$state/slurmd.pid" && cluster_answers; then
        echo "slurm-cluster: up (SLURM_CONF=$conf)"
        return
    fi
    write_config
    start_munge
    pid_alive "$state/slurmctld.pid" || slurmctld -f "$conf" || die "slurmctld did not start; see $state/log/slurmctld.log"
    pid_alive "$state/slurmd.pid" || slurmd -f "$conf" || die "slurmd did not start; see $state/log/slurmd.log"
    wait_for_node
    echo "slurm-cluster: up, node $(hostname -s) $(node_state) (SLURM_CONF=$conf)"
}

stop_pid() {
    local file=$1 name=$2 i
    pid_alive "$file" || { rm -f "$file"; return 0; }
    local pid
    pid=$(<"$file")
    # Only our daemon: a recycled pid running something else is left alone.
    grep -q "$name" "/proc/$pid/comm" 2>/dev/null || { rm -f "$file"; return 0; }
    kill "$pid" 2>/dev/null || true
    for i in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
    done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
    rm -f "$file"
}

down() {
    if [[ -f $conf ]] && cluster_answers; then
        # Jobs of this cluster die with it; cancel them so that slurmd does not leave orphans.
        timeout 10 scancel --user="$(id -un)" >/dev/null 2>&1 || true
    fi
    stop_pid "$state/slurmd.pid" slurmd
    stop_pid "$state/slurmctld.pid" slurmctld
    stop_pid "$state/munge/munged.pid" munged
    echo "slurm-cluster: down"
}

status() {
    if [[ -f $conf ]] && pid_alive "$state/slurmctld.pid" && cluster_answers; then
        echo "up: SLURM_CONF=$conf"
        sinfo -N
    else
        echo "down"
        return 1
    fi
}

case $action in
    up) up ;;
    down) down ;;
    status) status ;;
    *) usage ;;
esac
