#!/bin/sh
# Fails when a source file includes a header of a folder its folder may not include (the code
# map of ARCHITECTURE.md): the pipeline runs one way, and the program is a client of the public
# header only.
set -eu
cd "$(dirname "$0")/.."
allowed() { # folder -> the folders of src/ it may include headers from
    case $1 in
    util) echo "" ;;
    theme | model) echo "util" ;;
    load) echo "model theme util" ;;
    context) echo "theme util" ;;
    layout) echo "model theme context util" ;;
    render) echo "layout model theme context util" ;;
    diff) echo "load model util" ;; # the change map is built through the JSON loader
    lint) echo "model util" ;;
    .) echo "util theme model load context layout render diff lint" ;; # api.c
    cli) echo "" ;;
    *) echo "?" ;;
    esac
}
status=0
for f in $(find src -name '*.c' -o -name '*.h' | sort); do
    dir=$(dirname "${f#src/}")
    ok=$(allowed "$dir")
    if [ "$ok" = "?" ]; then
        echo "$f: folder src/$dir is not in scripts/check-includes.sh (nor ARCHITECTURE.md)"
        status=1
        continue
    fi
    for inc in $(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f"); do
        case $inc in
        */*) folder=${inc%%/*} ;;
        journeymap.h) continue ;;
        *) [ -f "$(dirname "$f")/$inc" ] && continue
           echo "$f: #include \"$inc\": not in its folder (name the folder)"; status=1; continue ;;
        esac
        case " $ok " in
        *" $folder "*) ;;
        *) echo "$f: #include \"$inc\": src/$dir may not include src/$folder"; status=1 ;;
        esac
    done
done
exit $status
