#!/bin/sh
# Renders every image the README and docs/ show (docs/images/) from data/examples/ and the
# golden inputs, with the build in BUILD (default build/), into OUT (default docs/images;
# both relative to the source tree). Commit the images with the change that altered them.
# tests/cli/test_gallery.sh checks that every image the docs link to is written here.
set -eu
cd "$(dirname "$0")/.."
jm=${1:-build}/journeymap
ex=data/examples
out=${2:-docs/images}
"$jm" render -q --scale 1 -o "$out/bank-account-ru.png" "$ex/bank-account-ru.json"
"$jm" render -q --scale 1 -o "$out/saas-onboarding.png" "$ex/saas-onboarding.json"
"$jm" render -q --scale 1 --theme print -o "$out/online-store-print.png" "$ex/online-store.json"
"$jm" render -q --scale 1 -o "$out/bank-export.png" "$ex/bank-export.csv"
"$jm" render -q --scale 1 --theme workshop -o "$out/minimal-workshop.png" "$ex/minimal.json"
"$jm" render -q --scale 1 -o "$out/working-day.png" "$ex/working-day.mmd"
"$jm" render -q --scale 1 -o "$out/online-store.png" "$ex/online-store.json"
"$jm" render -q --scale 1 -o "$out/dense-journey.png" "$ex/dense-journey.json"
"$jm" render -q -o "$out/working-day.html" "$ex/working-day.mmd"
survey=tests/golden/valid/data-survey
"$jm" render -q --scale 1 --data "$survey/responses.csv" --data-scale 1..5 \
    -o "$out/data-survey.png" "$survey/input.json" 2>/dev/null # its warning is the golden's
"$jm" render -q --scale 1 -o "$out/action-plan.png" tests/golden/valid/action-plan/input.json
"$jm" render -q --scale 1 -o "$out/storyboard.png" tests/golden/valid/storyboard/input.json
"$jm" render -q --scale 1 -o "$out/brand.png" tests/golden/valid/brand/input.json
# Blank canvases for a workshop (A1; drawn at half scale to keep the images small)
"$jm" template --scale 0.5 --stages "Discover, Choose, Buy, Use, Recommend" \
    --title "Coffee subscription: workshop" -o "$out/template.png"
"$jm" template --scale 0.5 --lang ru --theme print --stages "Узнаёт, Выбирает, Открывает счёт, Пользуется" \
    --lanes "actions,touchpoints,emotions,pains,opportunities,Идеи команды" \
    --title "Открытие счёта: воркшоп" -o "$out/template-ru-print.png"
"$jm" render -q --scale 1 -o "$out/languages.png" tests/golden/valid/scripts-mixed/input.json
changes=tests/golden/diff/json-changes
"$jm" diff -q --scale 1 -o "$out/change-map.png" "$changes/old.json" "$changes/new.json" || [ $? = 1 ]
# A paged PDF as printed: online-store on A3 with --pages auto, its first two pages as PNGs
# (pdftoppm, poppler-utils) at 100 dpi.
pdf=$(mktemp "${TMPDIR:-/tmp}/jm-gallery.XXXXXX")
trap 'rm -f "$pdf"' EXIT
"$jm" render -q -f pdf --page a3 --pages auto -o "$pdf" "$ex/online-store.json"
for k in 1 2; do
    pdftoppm -png -r 100 -f "$k" -l "$k" -singlefile "$pdf" "$out/online-store-a3-page$k"
done
echo "rendered the gallery into $out/"
