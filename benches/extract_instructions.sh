#!/usr/bin/env bash
# Extraction cost against parsing alone, in instructions rather than seconds: valgrind's
# callgrind counts the same on a busy machine as on an idle one, where wall-clock
# benchmarks (`cargo bench --bench extract`) swing by tens of percent on shared cores.
#
# For each mode it runs the fixture pages once and 1+ROUNDS times and keeps the difference,
# so start-up (reading files, compiling lexicons, what is built on first use, such as the
# menu classifier's automaton) is not counted. Parse-only is the parse
# extraction starts with (our tokenizer, html5ever's for the pages it leaves); html5ever's
# parse with its own tokenizer is counted beside it.
# Usage: benches/extract_instructions.sh [ROUNDS]   (needs valgrind)
#        PAGES=DIR benches/extract_instructions.sh [ROUNDS]   (the *.html of another page set)
#        PAGES=synthetic ...   (200 pages of benches/crawl/gen_site.py's site, seed 1)
#        BIN=path/to/extract_loop ...   (another build, e.g. a baseline; no build then)
#        SYSTEM_ALLOC=1 ...   (glibc's malloc instead of the binary's jemalloc)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
dir=${PAGES:-fixtures/pages}
if [ "$dir" = synthetic ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  python3 benches/crawl/gen_site.py 1000 "$tmp/site" 1 >/dev/null
  mkdir "$tmp/pages"
  find "$tmp/site" -name index.html | sort >"$tmp/list"
  head -200 "$tmp/list" |
    while IFS= read -r page; do cp "$page" "$tmp/pages/$(echo "${page#"$tmp/site/"}" | tr / _)"; done
  dir=$tmp/pages
fi
command -v valgrind >/dev/null || { echo "valgrind is needed (apt-get install valgrind)" >&2; exit 2; }
# BIN=path times another build of the example (a baseline kept from before a change).
# The example runs with the binary's allocator (jemalloc, `alliance_audit::product_allocator`);
# SYSTEM_ALLOC=1 builds it with the system one instead, in a target directory of its own.
allocator="jemalloc, the binary's"
bin=${BIN:-target/release/examples/extract_loop}
if [ -n "${SYSTEM_ALLOC:-}" ]; then
  allocator=system
  bin=${BIN:-target/system-alloc/release/examples/extract_loop}
fi
if [ -z "${BIN:-}" ]; then
  if [ -n "${SYSTEM_ALLOC:-}" ]; then
    RUSTFLAGS="--cfg system_alloc" CARGO_TARGET_DIR=target/system-alloc \
      cargo build --release --quiet --example extract_loop
  else
    cargo build --release --quiet --example extract_loop
  fi
fi
pages=("$dir"/*.html)
[ -e "${pages[0]}" ] || { echo "no *.html in $dir" >&2; exit 2; }

count() { # MODE ROUNDS
  MODE=$1 ROUNDS=$2 valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "${pages[@]}" 2>&1 |
    awk '/Collected/ {print $4}'
}

parse=$(( $(count parse $((rounds + 1))) - $(count parse 1) ))
full=$(( $(count full $((rounds + 1))) - $(count full 1) ))
html5ever=$(( $(count html5ever $((rounds + 1))) - $(count html5ever 1) ))
echo "pages: ${#pages[@]} from $dir x $rounds rounds (allocator: $allocator)"
echo "parse only:           $parse instructions"
echo "extract and detect:   $full instructions"
echo "html5ever's parse:    $html5ever instructions (its own tokenizer, for every page)"
awk -v f="$full" -v p="$parse" -v h="$html5ever" 'BEGIN {
  printf "ratio: %.2fx parse-only\n", f / p
  printf "       %.2fx html5ever'"'"'s parse (our parse: %.2fx of it)\n", f / h, p / h
}'
