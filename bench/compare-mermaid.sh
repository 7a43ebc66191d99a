#!/bin/bash
# Side by side: Mermaid CLI (mmdc, driving a headless Chromium) and journeymap rendering the
# same Mermaid journey files, each as a process of its own, as a user or a CI job runs them.
# Prints the median wall time of each per file and the ratio, all measured in this run.
#
# Usage: bench/compare-mermaid.sh [--install] [--runs N] [--format svg|png]
#                                 [--journeymap PATH] [FILE.mmd ...]
#   --install        install the peer first if missing (Debian's Chromium and Mermaid CLI
#                    11.17 into /opt/jm-peer, through PEER_DIR/install.sh; takes minutes)
#   --runs N         runs of Mermaid CLI per file (default 5); journeymap runs 4N+1 times
#   --format F       svg (default) or png
#   --journeymap P   the journeymap binary (default: build/journeymap, then the PATH)
#   FILE.mmd         default: bench/inputs/mermaid-10.mmd and data/examples/working-day.mmd
#
# Environment: PEER_DIR (default ../shared/peer next to the repository) holds install.sh and
# run-mmdc.sh; MMDC as run-mmdc.sh reads it.
set -eu
export LC_ALL=C # EPOCHREALTIME and awk with a decimal point

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
PEER_DIR=${PEER_DIR:-$root/../shared/peer}
runs=5 format=svg install=0 jm=""
files=()
while [ $# -gt 0 ]; do
    case $1 in
    --install) install=1 ;;
    --runs) runs=$2; shift ;;
    --format) format=$2; shift ;;
    --journeymap) jm=$2; shift ;;
    -h | --help) sed -n '2,17p' "$0"; exit 0 ;;
    -*) echo "compare-mermaid.sh: unknown option $1" >&2; exit 2 ;;
    *) files+=("$1") ;;
    esac
    shift
done
[ ${#files[@]} -gt 0 ] || files=("$here/inputs/mermaid-10.mmd" "$root/data/examples/working-day.mmd")
case $format in svg | png) ;; *) echo "compare-mermaid.sh: --format svg or png" >&2; exit 2 ;; esac
if [ -z "$jm" ]; then
    if [ -x "$root/build/journeymap" ]; then jm=$root/build/journeymap; else jm=$(command -v journeymap || true); fi
fi
[ -n "$jm" ] && [ -x "$jm" ] || { echo "compare-mermaid.sh: no journeymap binary (--journeymap PATH)" >&2; exit 2; }

mmdc=${MMDC:-/opt/jm-peer/node_modules/.bin/mmdc}
if [ ! -x "$mmdc" ]; then
    if [ $install = 1 ]; then
        echo "Installing Mermaid CLI with Debian's Chromium (a few minutes)…" >&2
        bash "$PEER_DIR/install.sh"
    else
        echo "compare-mermaid.sh: Mermaid CLI is not installed ($mmdc); run with --install" >&2
        exit 3
    fi
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# Wall time of one command in ms (bash's clock: no process of its own to skew it).
time_ms() {
    local t0=$EPOCHREALTIME
    "$@" >/dev/null 2>&1 || return 1
    local t1=$EPOCHREALTIME
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", (b - a) * 1000 }'
}

median() { sort -n | awk '{v[NR] = $1} END {m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.2f", m}'; }

load() { cut -d' ' -f1 /proc/loadavg; }

# Chromium's processes go on exiting for a while after mmdc returns; timing journeymap beside
# them measured the two on different machines. Waits (at most 20 s) until they are gone.
settle() {
    local i
    for i in $(seq 40); do
        pgrep -x 'chromium|chrome|chrome_crashpad' >/dev/null 2>&1 || break
        sleep 0.5
    done
    sleep 1
}

echo "Mermaid CLI vs journeymap, $format, one process per file; $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores; load average $(load) at the start"
echo "mmdc: $("$mmdc" --version 2>/dev/null || echo '?'), chromium: $(chromium --version 2>/dev/null | head -1 || echo '?')"
echo "journeymap: $("$jm" --version)"
echo
printf '%-24s %6s %12s %6s %12s %10s\n' "file" "runs" "Mermaid ms" "runs" "journeymap" "ratio"
jm_runs=$((4 * runs + 1))
for f in "${files[@]}"; do
    name=$(basename "$f")
    # One untimed run each: the page cache, and a check that both can draw the file.
    if ! bash "$PEER_DIR/run-mmdc.sh" "$f" "$scratch/m.$format" >"$scratch/mmdc.log" 2>&1; then
        echo "compare-mermaid.sh: Mermaid CLI cannot render $f:" >&2
        cat "$scratch/mmdc.log" >&2
        exit 1
    fi
    "$jm" render "$f" -o "$scratch/j.$format"
    m=$(for _ in $(seq "$runs"); do time_ms bash "$PEER_DIR/run-mmdc.sh" "$f" "$scratch/m.$format"; done | median)
    settle
    j=$(for _ in $(seq "$jm_runs"); do time_ms "$jm" render "$f" -o "$scratch/j.$format"; done | median)
    ratio=$(awk -v m="$m" -v j="$j" 'BEGIN { print m / j }')
    printf '%-24s %6d %12.1f %6d %12.2f %9.0f×\n' "$name" "$runs" "$m" "$jm_runs" "$j" "$ratio"
done
echo
echo "load average $(load) at the end; medians of wall-clock times"
