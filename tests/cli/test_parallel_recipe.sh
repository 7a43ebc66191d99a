#!/bin/bash
# The recipes of docs/scaling-out.md, run as written: GNU parallel over ssh (inputs copied to
# the hosts and outputs brought back, or a shared folder) and a scheduler's job array.
#
# The hosts are `:` (this machine) and two stand-ins, hostA and hostB: parallel's --ssh points
# at a replacement for ssh that runs each command in a folder of its own (the host's home), so
# parallel's rsync copies, returns and cleanups really happen. Every map must come back
# byte-identical to the same map rendered directly. Needs GNU parallel and rsync
# (scripts/bootstrap.sh installs both).
# shellcheck disable=SC1083,SC2012,SC2015 # parallel's {} {.}; ls of known names; A && pass || fail
. "$(dirname "$0")/lib.sh"

for tool in parallel rsync perl; do
    command -v "$tool" >/dev/null || { fail "$tool is not installed: run scripts/bootstrap.sh"; finish; exit 1; }
done
parallel --version 2>/dev/null | grep -q "GNU parallel" ||
    { fail "parallel is not GNU parallel (moreutils?): install the Debian package parallel"; finish; exit 1; }

# journeymap as the hosts would have it: on the PATH.
mkdir "$WORK/bin"
ln -s "$(readlink -f "$JM")" "$WORK/bin/journeymap"
export PATH="$WORK/bin:$PATH"
# No citation notice, no ~/.parallel written outside the scratch folder.
export PARALLEL_HOME="$WORK/.parallel"
# parallel rewrites a working folder beneath $HOME as relative to the remote home, which the
# stand-in hosts do not share; a real cluster mounts the same home everywhere. CI may run with
# the scratch folder beneath $HOME (or HOME=/), so keep HOME out of the way.
mkdir "$WORK/home"
export HOME="$WORK/home"
mkdir -p "$PARALLEL_HOME" && touch "$PARALLEL_HOME/will-cite"

# The stand-in for ssh: `fake-ssh [OPTIONS] HOST [--] COMMAND...` runs COMMAND with sh in
# hosts/HOST as the home folder, as sshd runs it with the user's shell, and logs it. sshd also
# sets SHELL, which parallel's remote worker execs; CI runs without one, and every remote job
# then failed.
mkdir "$WORK/hosts"
cat >"$WORK/fake-ssh" <<EOF
#!/bin/sh
while [ \$# -gt 0 ]; do
    case \$1 in
    -[bcDEeFIiJLlmOopQRSWw]) shift 2 ;;
    -*) shift ;;
    *) break ;;
    esac
done
host=\$1
shift
[ "\${1-}" = -- ] && shift
mkdir -p "$WORK/hosts/\$host" && cd "$WORK/hosts/\$host" || exit 255
echo "\$host \$*" >>"$WORK/ssh.log"
HOME="$WORK/hosts/\$host" SHELL=/bin/sh exec sh -c "\$*"
EOF
chmod +x "$WORK/fake-ssh"

# The inputs: small maps of every kind (JSON, Mermaid, CSV with and without BOM), and the
# reference outputs rendered directly.
mkdir -p "$WORK/run/maps" "$WORK/reference"
cp "$EX/minimal.json" "$EX/working-day.mmd" "$WORK/run/maps/"
G=$ROOT/tests/golden/valid
cp "$G/csv-comma/input.csv" "$WORK/run/maps/comma-export.csv"
cp "$G/csv-semicolon-bom-crlf/input.csv" "$WORK/run/maps/excel-export.csv"
cp "$G/mermaid-features/input.mmd" "$WORK/run/maps/features.mmd"
for i in 2 3 4; do
    sed "s/Ordering coffee ahead/Ordering coffee ahead, shop $i/" "$EX/minimal.json" >"$WORK/run/maps/shop-$i.json"
done
n=$(ls "$WORK/run/maps" | wc -l)
expect_status 0 "$JM" render -q -d "$WORK/reference" "$WORK"/run/maps/*
cd "$WORK/run" || exit 1

# same_as_reference DIR: DIR holds exactly the reference PNGs, byte for byte.
same_as_reference() {
    local f got
    got=$(ls "$1"/*.png 2>/dev/null | wc -l)
    [ "$got" -eq "$n" ] && pass || {
        fail "$1: $got PNG files, want $n (HOME=$HOME, cwd $PWD)"
        find "$WORK" -name '*.png' -not -path "$WORK/reference/*" >&2
        cat "$WORK/err" "$WORK/ssh.log" >&2
    }
    for f in "$WORK"/reference/*.png; do
        cmp -s "$f" "$1/$(basename "$f")" && pass || fail "$1/$(basename "$f") differs from a direct render"
    done
}

# ---- Folders not shared: --trc copies each input over and the PNG back ---------------------
# docs/scaling-out.md:
#   ls maps/* | parallel --sshlogin 8/host1,8/host2 --workdir "journeymap-$(hostname)-$$-{#}" \
#       --trc {.}.png journeymap render -q -j 1 {} -o {.}.png
# Not `--workdir ...`: its folders share ~/.parallel/tmp, and parallel's clean-up `rmdir`s that
# empty parent after each job, racing with another job's `mkdir -p` on the same host (about one
# run in 7 of this test lost a map with "cannot open").
ls maps/* | parallel --ssh "$WORK/fake-ssh" --sshlogin 2/hostA,2/hostB \
    --workdir "journeymap-$(hostname)-$$-{#}" --trc {.}.png \
    journeymap render -q -j 1 {} -o {.}.png >"$WORK/out" 2>"$WORK/err"
rc=$?
[ $rc -eq 0 ] && pass || { fail "parallel --trc over two hosts: exit $rc"; cat "$WORK/err" >&2; }
mkdir returned && mv maps/*.png returned/ 2>/dev/null
same_as_reference returned
for host in hostA hostB; do
    grep -q "^$host .*rsync --server --sender" "$WORK/ssh.log" && pass ||
        fail "no output came back from $host: the work was not spread"
done
left=$(find "$WORK/hosts" -mindepth 2 | wc -l)
[ "$left" -eq 0 ] && pass || fail "--cleanup left $left files or folders on the hosts: $(find "$WORK/hosts" -mindepth 2)"

# The same command line with `:`, this machine (parallel skips the copying).
ls maps/* | parallel --sshlogin : --trc {.}.png journeymap render -q -j 1 {} -o {.}.png \
    >"$WORK/out" 2>"$WORK/err"
rc=$?
[ $rc -eq 0 ] && pass || { fail "parallel --sshlogin :: exit $rc"; cat "$WORK/err" >&2; }
mkdir local && mv maps/*.png local/ 2>/dev/null
same_as_reference local

# ---- A shared folder: batches of inputs, all cores of a host each --------------------------
# docs/scaling-out.md:
#   ls maps/* | parallel --sshlogin host1,host2 -j 1 -n 200 --workdir . \
#       journeymap render -q -d out {}
# Here -n 2 so that both hosts get some. The stand-in hosts reach this folder by its absolute
# path, as NFS clients would.
mkdir out
: >"$WORK/ssh.log"
ls maps/* | parallel --ssh "$WORK/fake-ssh" --sshlogin hostA,hostB -j 1 -n 2 --workdir . \
    journeymap render -q -d out {} >"$WORK/out" 2>"$WORK/err"
rc=$?
[ $rc -eq 0 ] && pass || { fail "parallel --workdir . over two hosts: exit $rc"; cat "$WORK/err" >&2; }
same_as_reference out
for host in hostA hostB; do
    grep -q "^$host .*exec perl" "$WORK/ssh.log" && pass || fail "$host ran no job"
done
rm -r out && mkdir out
ls maps/* | parallel --sshlogin : -j 1 -n 200 --workdir . journeymap render -q -d out {} \
    >"$WORK/out" 2>"$WORK/err"
rc=$?
[ $rc -eq 0 ] && pass || { fail "parallel --sshlogin : -n 200: exit $rc"; cat "$WORK/err" >&2; }
same_as_reference out

# A failing map fails its job and parallel's exit status, and the others still come back.
printf '{"journeymap": 1, "title": "no stages"}' >maps/broken.json
rm -r out && mkdir out
ls maps/* | parallel --sshlogin : --trc {.}.png journeymap render -q -j 1 {} -o {.}.png \
    >"$WORK/out" 2>"$WORK/err"
rc=$?
[ $rc -eq 1 ] && pass || fail "one failing map: parallel exit $rc, want 1 (one job failed)"
grep -q 'broken.json:1:1: error: missing required key "stages"' "$WORK/err" && pass ||
    { fail "the failing map's error was not shown"; cat "$WORK/err" >&2; }
mv maps/*.png out/ 2>/dev/null
same_as_reference out
rm maps/broken.json

# ---- A job array: task i of n renders every n-th input --------------------------------------
# docs/scaling-out.md, the body of the Slurm script, run here for each task of --array=0-2.
rm -r out && mkdir out
for task in 0 1 2; do
    SLURM_ARRAY_TASK_COUNT=3 SLURM_ARRAY_TASK_ID=$task SLURM_CPUS_PER_TASK=2 sh -c '
ls maps/* | awk -v n="$SLURM_ARRAY_TASK_COUNT" -v i="$SLURM_ARRAY_TASK_ID" '"'"'NR % n == i'"'"' |
    xargs -r -d '"'"'\n'"'"' journeymap render -q -j "$SLURM_CPUS_PER_TASK" -d out
' >"$WORK/out" 2>"$WORK/err"
    rc=$?
    [ $rc -eq 0 ] && pass || { fail "array task $task: exit $rc"; cat "$WORK/err" >&2; }
done
same_as_reference out

finish
