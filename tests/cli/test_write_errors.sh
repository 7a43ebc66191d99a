#!/bin/bash
# Write errors: a missing or read-only folder, a full disk (a file size limit, a small tmpfs,
# /dev/full as standard output), an output that is a folder or whose folder is a file. Each is
# reported with the path and the reason, exits 1, leaves no temporary file and keeps the file
# that was there. Devices, FIFOs and symbolic links given as outputs are written through.
. "$(dirname "$0")/lib.sh"

MAP=$EX/bank-account-ru.json # a large PNG (hundreds of KB): it cannot fit where space is short

no_temp_files() { # WHAT
    n=$(find "$WORK" -name '.*.jm-*' | wc -l)
    [ "$n" -eq 0 ] && pass || fail "$1: $n temporary file(s) left"
}

kept() { # FILE WHAT
    [ "$(cat "$1" 2>/dev/null)" = precious ] && pass || fail "$2: the existing $1 was harmed"
}

# Missing folder, and a "folder" that is a file.
expect_status 1 "$JM" render -o "$WORK/no/such/dir/m.png" "$EX/minimal.json"
expect_grep "minimal.json: error: cannot write $WORK/no/such/dir/m.png: No such file or directory" \
    "$WORK/err"
[ ! -e "$WORK/no" ] && pass || fail "a missing folder was created"
echo text >"$WORK/file.txt"
expect_status 1 "$JM" render -o "$WORK/file.txt/m.png" "$EX/minimal.json"
expect_grep "cannot write $WORK/file.txt/m.png: Not a directory" "$WORK/err"
expect_status 1 "$JM" convert -o "$WORK/no/such/dir/m.json" "$EX/minimal.json"
expect_grep "cannot write $WORK/no/such/dir/m.json" "$WORK/err"

# The output is a folder: refused, the folder untouched.
mkdir -p "$WORK/dir.png/inside"
expect_status 1 "$JM" render -o "$WORK/dir.png" "$EX/minimal.json"
expect_grep "cannot write $WORK/dir.png: it is a folder" "$WORK/err"
[ -d "$WORK/dir.png/inside" ] && pass || fail "the folder given as output was harmed"

# A batch where one output cannot be written: the others are, and the exit status is 1.
mkdir -p "$WORK/batch/minimal.svg"
expect_status 1 "$JM" render -q -j 2 -f svg -d "$WORK/batch" "$EX/minimal.json" \
    "$EX/working-day.mmd" "$EX/bank-export.csv"
expect_grep "cannot write $WORK/batch/minimal.svg: it is a folder" "$WORK/err"
[ -s "$WORK/batch/working-day.svg" ] && [ -s "$WORK/batch/bank-export.svg" ] && pass ||
    fail "one failed output stopped the others"
no_temp_files "folders"

# Read-only folder: for an ordinary user, its mode; root passes mode checks, so for root the
# folder is made immutable (chattr +i), which binds root too, where the file system allows.
mkdir "$WORK/ro"
echo precious >"$WORK/ro/keep.png"
readonly_ok=false
if [ "$(id -u)" -ne 0 ]; then
    chmod 555 "$WORK/ro" && readonly_ok=true
elif chattr +i "$WORK/ro" 2>/dev/null; then
    readonly_ok=true
fi
if $readonly_ok; then
    expect_status 1 "$JM" render -o "$WORK/ro/keep.png" "$MAP"
    expect_grep "cannot write $WORK/ro/keep.png: \(Permission denied\|Operation not permitted\)" \
        "$WORK/err"
    expect_status 1 "$JM" render -q -f svg -d "$WORK/ro" "$EX/minimal.json" "$EX/working-day.mmd"
    expect_grep "cannot write $WORK/ro/working-day.svg" "$WORK/err"
    chattr -i "$WORK/ro" 2>/dev/null
    chmod 755 "$WORK/ro"
    kept "$WORK/ro/keep.png" "read-only folder"
    [ "$(ls -A "$WORK/ro")" = keep.png ] && pass || fail "read-only folder: files appeared"
else
    echo "note: read-only folder case skipped (root, and no chattr +i here)"
fi

# Disk full, portably: a file size limit (ulimit -f, in KiB) makes the write fail (EFBIG)
# part-way through the temporary file, as a full disk does (ENOSPC).
mkdir "$WORK/limit"
echo precious >"$WORK/limit/keep.png"
expect_status 1 bash -c 'ulimit -f 16 && exec "$0" render -o "$1" "$2"' \
    "$JM" "$WORK/limit/keep.png" "$MAP"
expect_grep "cannot write $WORK/limit/keep.png: File too large" "$WORK/err"
kept "$WORK/limit/keep.png" "file size limit"
no_temp_files "file size limit"

# A really full disk: a 64 KiB tmpfs in a mount namespace of our own (root, where allowed; the
# mount disappears with the namespace, so everything is checked inside it).
if [ "$(id -u)" -eq 0 ] && unshare -m true 2>/dev/null; then
    mkdir "$WORK/full"
    unshare -m bash -c '
        dir=$1 jm=$2 map=$3
        mount -t tmpfs -o size=64k tmpfs "$dir" || exit 77
        echo precious >"$dir/keep.png"
        "$jm" render -o "$dir/keep.png" "$map" 2>"$dir.err"; rc=$?
        [ "$rc" -eq 1 ] || { echo "exit status $rc, want 1"; exit 1; }
        grep -q "cannot write $dir/keep.png: No space left on device" "$dir.err" ||
            { echo "message:"; cat "$dir.err"; exit 1; }
        [ "$(cat "$dir/keep.png")" = precious ] || { echo "keep.png harmed"; exit 1; }
        [ "$(ls -A "$dir")" = keep.png ] || { echo "left: $(ls -A "$dir")"; exit 1; }
        # Read-only: the same file system remounted.
        mount -o remount,ro "$dir" || exit 77
        "$jm" render -f svg -o "$dir/keep.png" "$map" 2>"$dir.err"; rc=$?
        [ "$rc" -eq 1 ] && grep -q "Read-only file system" "$dir.err" ||
            { echo "read-only: status $rc"; cat "$dir.err"; exit 1; }
        [ "$(cat "$dir/keep.png")" = precious ] || { echo "keep.png harmed (ro)"; exit 1; }
    ' bash "$WORK/full" "$JM" "$MAP" >"$WORK/ns.out" 2>&1
    rc=$?
    if [ "$rc" -eq 77 ]; then
        echo "note: tmpfs case skipped (cannot mount here)"
    else
        [ "$rc" -eq 0 ] && pass || fail "full tmpfs: $(cat "$WORK/ns.out")"
    fi
fi

# Standard output that cannot be written (the disk-full device).
if [ -w /dev/full ]; then
    expect_status 1 sh -c '"$0" render -f png -o - "$1" >/dev/full' "$JM" "$MAP"
    expect_grep "cannot write to standard output: No space left on device" "$WORK/err"
    expect_status 1 sh -c '"$0" convert "$1" >/dev/full' "$JM" "$MAP"
    expect_grep "cannot write to standard output: No space left on device" "$WORK/err"
fi
# Named as the output, a device is written to, never replaced by a renamed file (as root that
# would turn /dev/null into a regular file). A private copy of /dev/full, so that a regression
# cannot harm the real one.
if mknod "$WORK/full.svg" c 1 7 2>/dev/null; then
    expect_status 1 "$JM" render -o "$WORK/full.svg" "$EX/minimal.json"
    expect_grep "cannot write $WORK/full.svg: No space left on device" "$WORK/err"
    [ -c "$WORK/full.svg" ] && pass || fail "the device was replaced by a file"
fi

# A FIFO as the output is written through and stays a FIFO.
mkfifo "$WORK/pipe.svg"
cat "$WORK/pipe.svg" >"$WORK/from-pipe.svg" &
reader=$!
expect_status 0 "$JM" render -o "$WORK/pipe.svg" "$EX/minimal.json"
wait "$reader"
[ -p "$WORK/pipe.svg" ] && pass || fail "the FIFO was replaced"
tail -c 16 "$WORK/from-pipe.svg" | grep -q '</svg>' && pass || fail "nothing came through the FIFO"

# A symbolic link as the output: the file it names is replaced, the link stays.
mkdir "$WORK/maps"
echo old >"$WORK/maps/v3.svg"
ln -s maps/v3.svg "$WORK/latest.svg"
expect_status 0 "$JM" render -o "$WORK/latest.svg" "$EX/minimal.json"
[ -L "$WORK/latest.svg" ] && pass || fail "the link was replaced by a file"
tail -c 16 "$WORK/maps/v3.svg" | grep -q '</svg>' && pass || fail "the linked file was not written"
no_temp_files "all cases"
finish
