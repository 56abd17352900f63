#!/bin/sh
# Renders report.html in a real browser (headless Chromium, Debian's `chromium`) and
# checks what a person would see: two demo runs of the fixture sites (the second with
# a hostile page title, a hostile heading that is evidence, and a renamed menu item, so
# the report has escaping to do and "Changes since" to show; archived as WARC), then a
# PNG of the page and its DOM as Chromium built it.
#
#   tests/render_report.sh [OUT_DIR]      # default target/report-render
#
# Fails when the DOM has a <script> or <img> element (a web string was not escaped) or
# lacks the hostile strings as text, the matrix (a row per alliance), the timeline (an
# SVG strip per alliance with a square per run), the WARC note on evidence rows, the
# changes section or the menu tree. Needs `chromium` (apt-get install chromium) and a
# built binary (cargo build; BIN= to choose another). The PNG stays in OUT_DIR.
set -eu

BIN=${BIN:-target/debug/alliance-audit}
OUT=${1:-target/report-render}
CHROMIUM=${CHROMIUM:-chromium}
command -v "$CHROMIUM" >/dev/null || { echo "render_report: no $CHROMIUM; skipped" >&2; exit 0; }
[ -x "$BIN" ] || { echo "render_report: no $BIN (cargo build first)" >&2; exit 1; }

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r fixtures "$work/fixtures"
cd "$work"

"$BIN" demo --fixtures fixtures --db runs.db --out run1 -q >/dev/null
home=fixtures/sites/wun/index.html
sed -i 's|<title>[^<]*</title>|<title><script>alert(1)</script> Library network \| WUN</title>|' "$home"
find fixtures/sites/wun -name '*.html' -exec sed -i 's|>Global Challenges<|>Global Grand Challenges<|' {} +
# A heading whose text (not markup, in the page) is markup: the report must escape it.
sed -i 's|<body\([^>]*\)>|<body\1><h2>\&lt;img src=x onerror=alert(2)\&gt; Library network news</h2>|' "$home"
"$BIN" demo --fixtures fixtures --db runs.db --out run2 --warc run2.warc.gz -q >/dev/null

report="file://$work/run2/report.html"
"$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --window-size=1280,4000 --screenshot="$OUT/report.png" "$report" 2>/dev/null
"$CHROMIUM" --headless --no-sandbox --disable-gpu --dump-dom "$report" 2>/dev/null >"$OUT/report.dom.html"
cp run2/report.html "$OUT/report.html"

dom="$OUT/report.dom.html"
fail=0
if grep -qi '<script' "$dom"; then echo "render_report: a <script> element in the DOM" >&2; fail=1; fi
if grep -qi '<img' "$dom"; then echo "render_report: an <img> element in the DOM" >&2; fail=1; fi
grep -q '&lt;img src=x onerror=alert(2)&gt;' "$dom" || { echo "render_report: the hostile heading is not shown as text" >&2; fail=1; }
alliances=$(tail -n +2 run2/summary.csv | cut -d, -f1 | sort -u | wc -l)
rows=$(grep -o '<tr data-alliance="[^"]*"' "$dom" | sort -u | wc -l)
grep -q '<table class="matrix">' "$dom" || { echo "render_report: no matrix" >&2; fail=1; }
[ "$rows" -eq "$alliances" ] || { echo "render_report: the matrix has $rows rows for $alliances alliances" >&2; fail=1; }
grep -q '<section id="timeline">' "$dom" || { echo "render_report: no timeline" >&2; fail=1; }
strips=$(grep -o '<figure class="strip" data-alliance="[^"]*"><figcaption>[^<]*</figcaption><svg' "$dom" | wc -l)
[ "$strips" -eq "$alliances" ] || { echo "render_report: $strips timeline strips for $alliances alliances" >&2; fail=1; }
points=$(grep -o '<g class="point' "$dom" | wc -l)
[ "$points" -ge $((2 * alliances)) ] || { echo "render_report: $points timeline squares, fewer than two runs per alliance" >&2; fail=1; }
grep -q 'archived in run2.warc.gz' "$dom" || { echo "render_report: evidence rows do not say they are archived" >&2; fail=1; }
grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$dom" || { echo "render_report: the hostile title is not shown as text" >&2; fail=1; }
grep -q 'Changes since run' "$dom" || { echo "render_report: no changes section" >&2; fail=1; }
grep -q 'renamed: "Global Challenges" → "Global Grand Challenges"' "$dom" || { echo "render_report: the rename is not listed" >&2; fail=1; }
grep -q '<ul class="menu">' "$dom" || { echo "render_report: no menu tree" >&2; fail=1; }
[ -s "$OUT/report.png" ] || { echo "render_report: no screenshot" >&2; fail=1; }
[ "$fail" = 0 ] && echo "render_report: ok, $OUT/report.png"
exit "$fail"
