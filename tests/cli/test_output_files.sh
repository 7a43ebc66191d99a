#!/bin/bash
# Output files: mode 0666 less the umask, set by the kernel (the program never calls umask(),
# which would race with any other thread creating a file); any valid name, up to 255 bytes,
# can be written; temporary files a killed run left (.NAME.jm-PID-XXXXXX) are removed by the
# next run into that folder when their process is gone and nobody holds their lock, and only
# those.
. "$(dirname "$0")/lib.sh"

MAP=$EX/minimal.json
mkdir "$WORK/out"
# strace FILE CMD...: LeakSanitizer cannot run under ptrace; everything else of a sanitizer
# build still checks.
traced() {
    out=$1
    shift
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" strace -f -qq -o "$out" "$@"
}

# Modes, and no umask() call (strace sees every system call of the program and its workers).
for mask in 027 002 077; do
    rm -f "$WORK/out/"*
    (umask $mask && traced "$WORK/trace" -e trace=umask "$JM" render -q -j 2 -f svg \
        -d "$WORK/out" "$MAP" "$EX/working-day.mmd") || fail "render with umask $mask"
    want=$(printf '%o' $((0666 & ~0$mask)))
    for f in "$WORK/out/minimal.svg" "$WORK/out/working-day.svg"; do
        got=$(stat -c %a "$f")
        [ "$got" = "$want" ] && pass || fail "umask $mask: $(basename "$f") has mode $got, want $want"
    done
    if grep -q umask "$WORK/trace"; then fail "umask $mask: the program called umask(): $(cat "$WORK/trace")"; else pass; fi
done

# The temporary file is named .NAME.jm-PID-XXXXXX (what the clean-up below recognises), and is
# cut short when that would pass 255 bytes.
traced "$WORK/trace" -e trace=rename,renameat,renameat2 "$JM" render -q -o "$WORK/out/m.svg" "$MAP"
grep -q "\"$WORK/out/\.m\.svg\.jm-[0-9]*-[A-Za-z0-9]\{6\}\", .*\"$WORK/out/m\.svg\"" "$WORK/trace" &&
    pass || fail "temporary name: $(cat "$WORK/trace")"

# Names of 240 to 255 bytes (245-255 failed: the temporary name added 11 bytes).
for len in 240 244 245 250 254 255; do
    name=$(head -c $((len - 4)) /dev/zero | tr '\0' a).png
    expect_status 0 "$JM" render -q -o "$WORK/out/$name" "$MAP"
    [ -s "$WORK/out/$name" ] && pass || fail "no output named with $len bytes"
    rm -f "$WORK/out/$name"
done
name=$(for _ in $(seq 125); do printf 'д'; done).png # 254 bytes: cut between characters
expect_status 0 "$JM" render -q -o "$WORK/out/$name" "$MAP"
[ -s "$WORK/out/$name" ] && pass || fail "no output with a 254-byte UTF-8 name"
leftovers=$(find "$WORK/out" -name '.*.jm-*' | wc -l)
[ "$leftovers" -eq 0 ] && pass || fail "$leftovers temporary file(s) left by long names"

# Left-over temporary files. A process id that is gone: a shell that has exited.
dead=$(sh -c 'echo $$')
while kill -0 "$dead" 2>/dev/null; do dead=$(sh -c 'echo $$'); done
clean() { rm -rf "$WORK/out" && mkdir "$WORK/out"; }
clean
stale=$WORK/out/.minimal.png.jm-$dead-Ab12Cd
echo partial >"$stale"
echo partial >"$WORK/out/.other.svg.jm-$dead-Zz9Yy8"
alive=$WORK/out/.x.png.jm-$$-Ab12Cd                     # this shell is alive: being written
echo partial >"$alive"
locked=$WORK/out/.y.png.jm-$dead-Qq1Ww2                  # its writer elsewhere holds the lock
echo partial >"$locked"
notours=$WORK/out/.z.png.jm-$dead-Ab12C                  # not the pattern (5 random letters)
echo partial >"$notours"
ln -s "$WORK/target" "$WORK/out/.l.png.jm-$dead-Ab12Cd" # not a regular file
echo keep >"$WORK/target"
exec 9<"$locked"
flock 9
expect_status 0 "$JM" render -d "$WORK/out" "$MAP"
expect_grep "removed 2 temporary files left in $WORK/out by a run that was killed" "$WORK/err"
[ ! -e "$stale" ] && [ ! -e "$WORK/out/.other.svg.jm-$dead-Zz9Yy8" ] && pass || fail "stale temporary files kept"
[ -e "$alive" ] && pass || fail "a file of a live process was removed"
[ -e "$locked" ] && pass || fail "a locked file was removed"
[ -e "$notours" ] && pass || fail "a file not of our pattern was removed"
[ -L "$WORK/out/.l.png.jm-$dead-Ab12Cd" ] && [ "$(cat "$WORK/target")" = keep ] && pass ||
    fail "a symbolic link was removed or followed"
[ -s "$WORK/out/minimal.png" ] && pass || fail "no output"
exec 9<&-
# The next run removes the one whose lock is now free; -q says nothing; the folders of
# outputs written next to their inputs are cleaned too.
expect_status 0 "$JM" render -q -d "$WORK/out" "$MAP"
[ ! -e "$locked" ] && pass || fail "an unlocked stale file was kept"
[ ! -s "$WORK/err" ] && pass || fail "-q printed: $(cat "$WORK/err")"
cp "$MAP" "$WORK/out/in.json"
echo partial >"$WORK/out/.in.png.jm-$dead-Ab12Cd"
expect_status 0 "$JM" render "$WORK/out/in.json"
[ ! -e "$WORK/out/.in.png.jm-$dead-Ab12Cd" ] && pass || fail "stale file next to the input kept"
finish
