#!/bin/bash
# journeymap's SVG in a real browser: headless Chromium (Debian's) driven by puppeteer-core.
#
#   test_browser.sh JOURNEYMAP SOURCE_DIR CACHE_DIR
#
# CACHE_DIR (in the build tree) receives puppeteer-core from npm at the versions pinned by
# tests/browser/package-lock.json (reinstalled only when the lock file changes), and keeps the
# screenshots of a failed run in CACHE_DIR/failed/. Chromium is /usr/bin/chromium (or
# JM_CHROMIUM); where it is not installed (scripts/bootstrap.sh installs it where the
# distribution has it) the test is skipped with a message. The checks are in browser.js (the
# SVG; run again in Firefox ESR where it is installed) and html.js (the -f html page).
set -u
bin=$1 src=$2 cache=$3
die() { echo "test_browser: $*" >&2; exit 1; }

chromium=${JM_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
    echo "test_browser: SKIPPED: $chromium is not installed (scripts/bootstrap.sh installs the" \
        "chromium package where the distribution has one; JM_CHROMIUM names another)"
    exit 77
fi
lock=$src/tests/browser/package-lock.json
if ! cmp -s "$lock" "$cache/package-lock.json" || [ ! -d "$cache/node_modules/puppeteer-core" ]; then
    command -v npm >/dev/null || die "npm is not installed: run scripts/bootstrap.sh"
    mkdir -p "$cache" || die "cannot create $cache"
    rm -f "$cache/package-lock.json" # there only after a complete npm ci
    cp "$src/tests/browser/package.json" "$cache/package.json" || die "cannot write to $cache"
    echo "test_browser: installing puppeteer-core into $cache (npm ci)" >&2
    (cd "$cache" && cp "$lock" package-lock.json &&
        npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >&2) || {
        rm -f "$cache/package-lock.json"
        die "npm ci failed: is the npm registry reachable?"
    }
fi

work=$(mktemp -d) || die "mktemp failed"
trap 'rm -rf "$work"' EXIT
# Three different maps (Cyrillic, Latin, Mermaid), as SVG and as PNG at the SVG's CSS size
# (a point is 4/3 CSS pixels), and librsvg's rendering of each SVG.
maps="bank-account-ru.json minimal.json working-day.mmd"
for m in $maps; do
    name=${m%.*}
    "$bin" render -q -o "$work/$name.svg" "$src/data/examples/$m" || die "cannot render $m as SVG"
    "$bin" render -q --scale 1.3333333 -o "$work/$name.png" "$src/data/examples/$m" ||
        die "cannot render $m as PNG"
    "$bin" render -q -f json -o "$work/$name.layout.json" "$src/data/examples/$m" ||
        die "cannot write the layout of $m"
    rsvg-convert -o "$work/$name.rsvg.png" "$work/$name.svg" || die "rsvg-convert failed on $m"
done
status=0
NODE_PATH=$cache/node_modules node "$src/tests/browser/browser.js" "$chromium" "$work" \
    "$cache/failed" $maps || status=1
# The same in Firefox (Debian's firefox-esr, or JM_FIREFOX) where it is installed.
firefox=${JM_FIREFOX:-$(command -v firefox-esr || command -v firefox || true)}
if [ -n "$firefox" ] && [ -x "$firefox" ]; then
    NODE_PATH=$cache/node_modules node "$src/tests/browser/browser.js" "$firefox" "$work" \
        "$cache/failed" $maps || status=1
else
    echo "test_browser: Firefox checks SKIPPED: no firefox-esr (scripts/bootstrap.sh installs it" \
        "where the distribution has it; JM_FIREFOX names another)"
fi

# The HTML page (-f html), two maps in one batch (-d); bank-account-ru.html in the browser.
mkdir "$work/html"
"$bin" render -q -f html -d "$work/html" "$src/data/examples/bank-account-ru.json" \
    "$src/data/examples/working-day.mmd" || die "cannot render HTML in a batch"
for f in bank-account-ru working-day; do
    [ -s "$work/html/$f.html" ] || die "the batch wrote no $f.html"
done
NODE_PATH=$cache/node_modules node "$src/tests/browser/html.js" "$chromium" \
    "$work/html/bank-account-ru.html" "$work/bank-account-ru.layout.json" \
    "Интуитивная навигация, быстрая загрузка" "$cache/failed" || status=1
exit $status
