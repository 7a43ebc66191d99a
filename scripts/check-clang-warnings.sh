#!/bin/sh
# clang's -Wall -Wextra over every C file in src/ (syntax only). The normal build uses gcc, and
# clang warns about things gcc does not (a partly positional table's missing fields,
# -Wbitwise-instead-of-logical); before this check they showed only in the TSan and fuzz
# builds' logs, where nothing failed on them. Exit 77 (skipped) without clang.
set -eu
cd "$(dirname "$0")/.."
command -v clang >/dev/null 2>&1 || { echo "clang not found"; exit 77; }
flags=$(pkg-config --cflags cairo pangocairo pangoft2 fontconfig jansson libjpeg libdeflate)
status=0
for f in $(find src -name '*.c' | sort); do
    # JM_* strings the build defines; their values do not matter for warnings.
    # shellcheck disable=SC2086
    out=$(clang -fsyntax-only -std=gnu11 -Wall -Wextra -Iinclude -Isrc -Isrc/context $flags \
        -DJM_VERSION='"0"' -DJM_BIN_TO_DATA='"."' -DJM_LIB_TO_DATA='"."' -DJM_SOURCE_DATA_DIR='"."' -DJM_INSTALL_DATA_DIR='"."' -DJM_HAVE_INOTIFY=1 \
        "$f" 2>&1) || status=1
    if printf '%s' "$out" | grep -q 'warning:\|error:'; then
        printf '%s\n' "$out"
        status=1
    fi
done
exit $status
