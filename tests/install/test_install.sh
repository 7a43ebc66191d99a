#!/bin/bash
# The installed tree, as a user gets it:
#
#   test_install.sh SOURCE_DIR VERSION
#
#  1. copies the source tree, configures it for the default prefix (/usr/local) and a multiarch
#     library folder two levels deep (lib/x86_64-linux-gnu, as Debian packages it), builds it and
#     installs it with `cmake --install --prefix` into a temporary prefix (the packager's way:
#     the prefix chosen at install time), then deletes the copy and its build tree, so that
#     nothing can be found there;
#  2. checks the installed files: program, library with SONAME and version, header, .pc,
#     CMake package, fonts, themes, schema, man pages, completion, docs;
#  3. renders with the installed program from another folder, JOURNEYMAP_DATA_DIR unset;
#  4. builds and runs the example program and the API tests (tests/api, C and C++) against
#     the installed header and library only: with pkg-config on the command line, and as a
#     CMake project with pkg_check_modules and with find_package;
#  5. renders the man pages with warnings on, which must print nothing;
#  6. completes `journeymap render --th<TAB>` (and more) in bash and zsh, through their real
#     line editors (tests/install/complete.zsh);
#  7. moves the prefix elsewhere: the program still finds its library and its data, and a
#     tiny program builds and runs with pkg-config and with find_package from the new place,
#     the library finding its fonts and themes from its own folder.
# shellcheck disable=SC2015 # A && B || fail: fail when either fails
set -u
src=$(cd "$1" && pwd) version=$2

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
die() { echo "test_install: $*" >&2; exit 1; }
step() { echo "== $*"; }

for tool in cmake pkg-config cc c++ man groff zsh readelf; do
    command -v "$tool" >/dev/null || die "$tool is not installed: run scripts/bootstrap.sh"
done

tmp=$(mktemp -d) || die "mktemp failed"
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
unset JOURNEYMAP_DATA_DIR

# ---- 1. Configure, build, install ---------------------------------------------------------
step "install into $prefix"
mkdir "$tmp/src"
# The source tree without version control and build trees (any folder with a CMakeCache.txt).
for entry in "$src"/* "$src"/.[!.]*; do
    [ -e "$entry" ] || continue
    case $(basename "$entry") in .git | node_modules) continue ;; esac
    [ -f "$entry/CMakeCache.txt" ] && continue
    cp -a "$entry" "$tmp/src/" || die "cannot copy $entry"
done
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S "$tmp/src" -B "$tmp/build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
    -DCMAKE_INSTALL_LIBDIR=lib/x86_64-linux-gnu \
    >"$tmp/configure.log" 2>&1 ||
    { cat "$tmp/configure.log"; die "configure failed"; }
cmake --build "$tmp/build" -j "$jobs" >"$tmp/build.log" 2>&1 ||
    { cat "$tmp/build.log"; die "build failed"; }
# Warnings are the build's business (and its -Werror's), not the installation's: shown only.
grep -i "warning" "$tmp/build.log" | sed 's/^/note: release build: /'
configured=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$tmp/build/CMakeCache.txt")
[ -n "$configured" ] && [ "$configured" != "$prefix" ] || die "the build is configured for the install prefix"
cmake --install "$tmp/build" --prefix "$prefix" >"$tmp/install.log" 2>&1 ||
    { cat "$tmp/install.log"; die "cmake --install failed"; }
rm -rf "$tmp/src" "$tmp/build"

# ---- 2. The installed files ---------------------------------------------------------------
step "installed files"
libdir=$(dirname "$(find "$prefix" -name 'libjourneymap.so' | head -n 1)")
[ -d "$libdir" ] || die "no libjourneymap.so installed"
major=${version%%.*}
for f in bin/journeymap include/journeymap.h \
    share/journeymap/fonts/Inter-Regular.otf share/journeymap/fonts/LICENSE-Inter.txt \
    share/journeymap/themes/default.json share/journeymap/themes/workshop.json \
    share/journeymap/themes/print.json share/journeymap/schema/journeymap.schema.json \
    share/journeymap/schema/journeymap-theme.schema.json \
    share/man/man1/journeymap.1 share/man/man5/journeymap.5 \
    share/bash-completion/completions/journeymap share/zsh/site-functions/_journeymap \
    share/doc/journeymap/README.md share/doc/journeymap/CHANGELOG.md \
    share/doc/journeymap/LICENSE share/doc/journeymap/model.md \
    share/doc/journeymap/examples/minimal.json; do
    [ -f "$prefix/$f" ] || fail "not installed: $f"
done
for f in "libjourneymap.so.$version" "libjourneymap.so.$major" pkgconfig/journeymap.pc \
    cmake/journeymap/journeymapConfig.cmake cmake/journeymap/journeymapConfigVersion.cmake \
    cmake/journeymap/journeymapTargets.cmake; do
    [ -e "$libdir/$f" ] || fail "not installed: ${libdir#"$prefix"/}/$f"
done
soname=$(readelf -d "$libdir/libjourneymap.so.$version" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$soname" = "libjourneymap.so.$major" ] || fail "SONAME is '$soname', want libjourneymap.so.$major"
[ "$(readlink "$libdir/libjourneymap.so")" = "libjourneymap.so.$major" ] ||
    fail "libjourneymap.so does not point at the SONAME"
# Only the public API is exported.
if readelf --dyn-syms -W "$libdir/libjourneymap.so.$version" |
    awk '$5 == "GLOBAL" && $7 != "UND" { print $8 }' | grep -v '^jm_' | grep -q .; then
    fail "the library exports symbols outside jm_*"
fi
# The program's own concerns stay in the program: the pending temporary file (process-wide
# state, a data race in a library used from threads) and its atomic writer.
if readelf --dyn-syms -W "$libdir/libjourneymap.so.$version" | grep -q 'jm_pending_temp_file\|jm_write_file_atomic'; then
    fail "the library exports the program's pending temporary file or atomic writer"
fi
# Every function of the header is exercised by the C API test.
for fn in $(grep -o 'JM_API [^(]*(' "$prefix/include/journeymap.h" | grep -o 'jm_[a-z_0-9]*(' | tr -d '('); do
    grep -q "\\b$fn(" "$src/tests/api/api_test.c" || fail "tests/api/api_test.c does not call $fn"
done
# Installed with --prefix, nothing for the library's users may point at the configured prefix.
if grep -rlF "$configured/" "$libdir/pkgconfig" "$libdir/cmake" >"$tmp/stale" 2>/dev/null; then
    fail "these installed files name the configured prefix $configured: $(cat "$tmp/stale")"
fi
# The version, written once in CMakeLists.txt, everywhere else.
got=$("$prefix/bin/journeymap" --version)
[ "$got" = "journeymap $version" ] || fail "--version prints '$got', want 'journeymap $version'"
grep -q "^Version: $version\$" "$libdir/pkgconfig/journeymap.pc" || fail "journeymap.pc has another version"
grep -q "\"journeymap $version\"" "$prefix/share/man/man1/journeymap.1" || fail "journeymap(1) has another version"
grep -q "^## \[$version\]" "$src/CHANGELOG.md" || fail "CHANGELOG.md has no section for $version"

# ---- 3. The installed program, from another folder ----------------------------------------
step "render with the installed program"
mkdir "$tmp/elsewhere"
cd "$tmp/elsewhere" || die "cd failed"
cp "$src/data/examples/minimal.json" "$src/data/examples/working-day.mmd" \
    "$src/data/examples/bank-export.csv" .
"$prefix/bin/journeymap" render -q minimal.json working-day.mmd bank-export.csv ||
    fail "the installed program cannot render"
for f in minimal.png working-day.png bank-export.png; do
    [ "$(head -c 4 "$f" 2>/dev/null | od -An -c | tr -d ' ')" = '211PNG' ] || fail "$f is not a PNG"
done
for theme in workshop print; do
    "$prefix/bin/journeymap" render -q --theme "$theme" -f pdf -o "minimal-$theme.pdf" minimal.json &&
        [ "$(head -c 5 "minimal-$theme.pdf")" = "%PDF-" ] ||
        fail "the installed program cannot render with the installed theme $theme"
done
"$prefix/bin/journeymap" render -q -f svg -o - minimal.json | grep -q '<svg' ||
    fail "the installed program cannot render SVG to standard output"
"$prefix/bin/journeymap" validate -q minimal.json || fail "journeymap validate fails"
# The program uses no library but the installed one.
loaded=$(ldd "$prefix/bin/journeymap" | awk '/libjourneymap/ { print $3 }')
[ "$(readlink -f "$loaded")" = "$(readlink -f "$libdir/libjourneymap.so.$major")" ] ||
    fail "the installed program loads '$loaded', not the installed library"

# ---- 4. The example program and the API tests, against the installed tree only ------------
step "build against the installed header and library"
export PKG_CONFIG_PATH="$libdir/pkgconfig"
[ "$(pkg-config --modversion journeymap)" = "$version" ] || fail "pkg-config --modversion is not $version"
cflags=$(pkg-config --cflags journeymap) libs=$(pkg-config --libs journeymap)
rpath="-Wl,-rpath,$(pkg-config --variable=libdir journeymap)"
# shellcheck disable=SC2086
cc -std=c99 -Wall -Wextra -Wpedantic -Werror $cflags "$src/examples/render_example.c" \
    $libs $rpath -o render_example || fail "the example program does not build with pkg-config"
if [ -x render_example ]; then
    ./render_example minimal.json example.svg >example.out 2>&1 &&
        grep -q "rendered [0-9]* bytes of SVG in memory" example.out && grep -q '<svg' example.svg ||
        { fail "the example program (pkg-config) fails"; cat example.out >&2; }
fi
# shellcheck disable=SC2086
c++ -std=c++11 -Wall -Wextra -Wpedantic -Werror $cflags "$src/tests/api/api_test.cpp" \
    $libs $rpath -o api_test_cxx || fail "the C++ API test does not build with pkg-config"
[ -x api_test_cxx ] && { JM_EXPECT_VERSION=$version ./api_test_cxx minimal.json . || fail "the C++ API test fails"; }

for how in pkg-config find_package; do
    step "tests/api as a CMake project, with $how"
    b=$tmp/api-$how
    cmake -S "$src/tests/api" -B "$b" -DJM_API_FIND="$how" -DCMAKE_PREFIX_PATH="$prefix" \
        -DJM_EXAMPLE_INPUT="$src/data/examples/minimal.json" -DJM_EXPECT_VERSION="$version" \
        -DJM_EXPECT_DATA_DIR="$prefix/share/journeymap" >"$tmp/api.log" 2>&1 &&
        cmake --build "$b" >>"$tmp/api.log" 2>&1 &&
        ctest --test-dir "$b" --output-on-failure >>"$tmp/api.log" 2>&1 &&
        grep "tests passed" "$tmp/api.log" ||
        { fail "tests/api with $how"; cat "$tmp/api.log" >&2; }
    # The include path of the project is the installed one, and nothing else of ours.
    if grep -rq -- "$src/include\|$src/src" "$b/CMakeFiles" 2>/dev/null; then
        fail "tests/api with $how sees the source tree's headers"
    fi
done

# ---- 5. Man pages --------------------------------------------------------------------------
step "man pages"
for page in "$prefix/share/man/man1/journeymap.1" "$prefix/share/man/man5/journeymap.5"; do
    warnings=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
    [ -z "$warnings" ] || fail "man --warnings $(basename "$page"): $warnings"
    warnings=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
    [ -z "$warnings" ] || fail "groff -ww $(basename "$page"): $warnings"
    MANWIDTH=80 man -l "$page" 2>/dev/null | grep -q "EXIT STATUS\|MERMAID JOURNEY" ||
        fail "man -l $(basename "$page") renders nothing useful"
done
MANPATH="$prefix/share/man" man -w 5 journeymap >/dev/null 2>&1 || fail "man 5 journeymap is not found in the prefix"
# Every option of --help is in journeymap(1).
for opt in $("$prefix/bin/journeymap" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
    man_opt=$(printf '%s' "$opt" | sed 's/-/\\-/g')
    grep -qF -- "$man_opt" "$prefix/share/man/man1/journeymap.1" || fail "journeymap(1) does not document $opt"
done

# ---- 6. Completion -------------------------------------------------------------------------
step "shell completion"
export PATH="$prefix/bin:$PATH"
complete_zsh=$src/tests/install/complete.zsh
check_completion() { # SHELL SETUP LINE WANT
    local got
    got=$(cd "$tmp/elsewhere" && zsh -f "$complete_zsh" "$1" "$2" "$3")
    [ "$got" = "<$4>" ] || fail "$1: '$3<TAB>' gives '$got', want '<$4>'"
}
bash_file=$prefix/share/bash-completion/completions/journeymap
bash_setups=(". '$bash_file'")
# With bash-completion, the installed file is found on its own (XDG_DATA_DIRS).
if [ -f /usr/share/bash-completion/bash_completion ]; then
    bash_setups+=("export XDG_DATA_DIRS='$prefix/share:/usr/share'; . /usr/share/bash-completion/bash_completion")
fi
for setup in "${bash_setups[@]}"; do
    check_completion bash "$setup" 'journeymap render --th' 'journeymap render --theme '
    check_completion bash "$setup" 'journeymap ren' 'journeymap render '
    check_completion bash "$setup" 'journeymap render --theme wor' 'journeymap render --theme workshop '
    check_completion bash "$setup" 'journeymap render --page tab' 'journeymap render --page tabloid '
    check_completion bash "$setup" 'journeymap render -f pd' 'journeymap render -f pdf '
    check_completion bash "$setup" 'journeymap render --state=comp' 'journeymap render --state=compare '
    check_completion bash "$setup" 'journeymap validate --qu' 'journeymap validate --quiet '
    check_completion bash "$setup" 'journeymap wat' 'journeymap watch '
    check_completion bash "$setup" 'journeymap watch --th' 'journeymap watch --theme '
    check_completion bash "$setup" 'journeymap render mini' 'journeymap render minimal.json '
    check_completion bash "$setup" 'journeymap li' 'journeymap lint '
    check_completion bash "$setup" 'journeymap tem' 'journeymap template '
    check_completion bash "$setup" 'journeymap template --lanes actions,emo' 'journeymap template --lanes actions,emotions'
    check_completion bash "$setup" 'journeymap render --bla' 'journeymap render --blank '
    check_completion bash "$setup" 'journeymap watch --post' 'journeymap watch --poster '
    check_completion bash "$setup" 'journeymap lint -f sa' 'journeymap lint -f sarif '
    check_completion bash "$setup" 'journeymap lint --rule empty-s' 'journeymap lint --rule empty-stage='
    check_completion bash "$setup" 'journeymap diff --js' 'journeymap diff --json '
    check_completion bash "$setup" 'journeymap diff --out' 'journeymap diff --output '
    check_completion bash "$setup" 'journeymap diff -f h' 'journeymap diff -f html '
    check_completion bash "$setup" 'journeymap diff --th' 'journeymap diff --theme '
done
zsh_setup="fpath=('$prefix/share/zsh/site-functions' \$fpath)"
check_completion zsh "$zsh_setup" 'journeymap render --th' 'journeymap render --theme='
check_completion zsh "$zsh_setup" 'journeymap ren' 'journeymap render '
check_completion zsh "$zsh_setup" 'journeymap tem' 'journeymap template '
check_completion zsh "$zsh_setup" 'journeymap render --bla' 'journeymap render --blank '
check_completion zsh "$zsh_setup" 'journeymap watch --foo' 'journeymap watch --footer='
check_completion zsh "$zsh_setup" 'journeymap render --theme wor' 'journeymap render --theme workshop '
check_completion zsh "$zsh_setup" 'journeymap render --page tab' 'journeymap render --page tabloid '
check_completion zsh "$zsh_setup" 'journeymap render -f pd' 'journeymap render -f pdf '
check_completion zsh "$zsh_setup" 'journeymap validate --qu' 'journeymap validate --quiet '
check_completion zsh "$zsh_setup" 'journeymap wat' 'journeymap watch '
check_completion zsh "$zsh_setup" 'journeymap watch --th' 'journeymap watch --theme='
check_completion zsh "$zsh_setup" 'journeymap render mini' 'journeymap render minimal.json '
check_completion zsh "$zsh_setup" 'journeymap lint -f sa' 'journeymap lint -f sarif '
check_completion zsh "$zsh_setup" 'journeymap diff --js' 'journeymap diff --json '
check_completion zsh "$zsh_setup" 'journeymap diff --out' 'journeymap diff --output='
check_completion zsh "$zsh_setup" 'journeymap diff -f h' 'journeymap diff -f html '
check_completion zsh "$zsh_setup" 'journeymap diff --th' 'journeymap diff --theme='
# A theme installed next to the others is offered too.
echo '{"name": "corporate"}' >"$prefix/share/journeymap/themes/corporate.json"
check_completion bash ". '$bash_file'" 'journeymap render --theme corp' 'journeymap render --theme corporate '
check_completion zsh "$zsh_setup" 'journeymap render --theme corp' 'journeymap render --theme corporate '
rm "$prefix/share/journeymap/themes/corporate.json"

# ---- 7. A moved prefix ---------------------------------------------------------------------
step "move the prefix"
mv "$prefix" "$tmp/moved"
(cd "$tmp/elsewhere" && "$tmp/moved/bin/journeymap" render -q --theme workshop -o moved.png minimal.json) ||
    fail "the installed program does not work from a moved prefix"
# A tiny program, built with pkg-config and with find_package against the moved prefix only. It
# renders with an installed theme, which the library finds from its own folder
# (lib/x86_64-linux-gnu/../../share/journeymap), not from the program's.
mkdir "$tmp/tiny"
cat >"$tmp/tiny/tiny.c" <<'EOF'
#include <journeymap.h>
#include <stdio.h>
int main(int argc, char **argv)
{
    jm_diags *d = jm_diags_new();
    jm_context *ctx = jm_context_new(NULL, d);
    jm_map *m = ctx && argc > 2 ? jm_map_load_file(ctx, argv[1], NULL, d) : NULL;
    jm_render_options o;
    jm_render_options_init(&o);
    o.theme = "workshop";
    int rc = m ? jm_render_to_file(ctx, m, &o, argv[2], d) : -1;
    for (size_t i = 0; i < jm_diags_count(d); i++) {
        char *line = jm_diag_format(jm_diags_get(d, i));
        fprintf(stderr, "%s\n", line ? line : "?");
        jm_free(line);
    }
    printf("journeymap %s: %s\n", jm_version(), rc == 0 ? "rendered" : "failed");
    jm_map_free(m);
    jm_context_free(ctx);
    jm_diags_free(d);
    return rc == 0 ? 0 : 1;
}
EOF
cat >"$tmp/tiny/CMakeLists.txt" <<'EOF'
cmake_minimum_required(VERSION 3.16)
project(tiny C)
find_package(journeymap REQUIRED)
add_executable(tiny tiny.c)
target_link_libraries(tiny PRIVATE journeymap::journeymap)
EOF
moved_libdir=$tmp/moved/${libdir#"$prefix"/}
run_tiny() { # HOW BINARY
    (cd "$tmp/elsewhere" && "$2" minimal.json "tiny-$1.png") >"$tmp/tiny.out" 2>&1 &&
        grep -q "journeymap $version: rendered" "$tmp/tiny.out" &&
        [ "$(head -c 4 "$tmp/elsewhere/tiny-$1.png" | od -An -c | tr -d ' ')" = '211PNG' ] ||
        { fail "the tiny program built with $1 against the moved prefix fails"; cat "$tmp/tiny.out" >&2; }
}
tiny_cflags=$(PKG_CONFIG_PATH="$moved_libdir/pkgconfig" pkg-config --cflags journeymap)
tiny_libs=$(PKG_CONFIG_PATH="$moved_libdir/pkgconfig" pkg-config --libs journeymap)
# shellcheck disable=SC2086
cc -std=c99 -Wall -Werror $tiny_cflags "$tmp/tiny/tiny.c" $tiny_libs -Wl,-rpath,"$moved_libdir" \
    -o "$tmp/tiny/tiny-pkg" 2>"$tmp/tiny.log" && run_tiny pkg-config "$tmp/tiny/tiny-pkg" ||
    { fail "the tiny program does not build with pkg-config against the moved prefix"; cat "$tmp/tiny.log" >&2; }
cmake -S "$tmp/tiny" -B "$tmp/tiny/build" -DCMAKE_PREFIX_PATH="$tmp/moved" >"$tmp/tiny.log" 2>&1 &&
    cmake --build "$tmp/tiny/build" >>"$tmp/tiny.log" 2>&1 && run_tiny find_package "$tmp/tiny/build/tiny" ||
    { fail "the tiny program does not build with find_package against the moved prefix"; cat "$tmp/tiny.log" >&2; }
mv "$tmp/moved" "$prefix"

if [ $failures -ne 0 ]; then
    echo "test_install: $failures failure(s)" >&2
    exit 1
fi
echo "test_install: all checks passed"
