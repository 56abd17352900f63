#!/usr/bin/env bash
# Crawl benchmark: alliance-audit against `wget --recursive` on the same synthetic site,
# in the same run, on loopback.
#
# For each N it
#   1. writes a synthetic site of N pages (~30 KB each: header with a mega menu of ~40
#      links, breadcrumbs, h1-h3, body text that sometimes mentions the "library
#      network", ~10 in-site links, footer menus; every page reachable from / within
#      depth 4 at N = 10,000) with benches/crawl/gen_site.py (deterministic seed);
#   2. serves it with nginx on 127.0.0.1:<free port> (keepalive on, access log off);
#   3. crawls it with `target/release/alliance-audit crawl --delay-ms 0 -q` (politeness
#      off: max_pages = N+10, max_depth = 50, per_host_delay_ms = 0,
#      concurrency_per_host = 8, --concurrency 16), full extraction, detection and
#      reports, under `/usr/bin/time -v`;
#   4. fetches it with `wget --recursive --level=inf --no-parent --no-verbose` (one
#      connection, no extraction) under `/usr/bin/time -v`;
# and prints pages/s (ours: pages.csv rows with outcome ok; wget: HTML files saved),
# CPU seconds, peak RSS ("Maximum resident set size"), the size of our run database per
# 1,000 pages, and the ratios ours/wget. It fails (exit 1) when we did not fetch all N
# pages.
#
# Usage:
#   benches/crawl/crawl.sh              N = 1000, 5000 and 10000 (the issue-13 table)
#   N=5000 benches/crawl/crawl.sh       one size
#   benches/crawl/crawl.sh 1000 20000   chosen sizes
# Environment: N, CONCURRENCY (global limit, default 16), PER_HOST (default 8),
#   SEED (site generator seed, default 1), KEEP=1 (keep the temp dir and print it),
#   PROFILE=1 (record our crawl with `perf record` and print its top symbols; the
#   timings of a profiled run are not comparable), BIN (the alliance-audit binary to
#   time instead of building target/release/alliance-audit).
# Needs python3, and nginx, wget and GNU time (installed with apt-get when missing and
# run as root). Builds the release binary first. Temp dirs and nginx are removed on exit.
# Wall-clock numbers are noisy on a shared machine: compare tools within one run.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD

die() { echo "benches/crawl/crawl.sh: $*" >&2; exit 2; }

sizes=()
if [[ $# -eq 0 && -n ${N:-} ]]; then
  sizes=("$N")
elif [[ $# -eq 0 || ( $# -eq 1 && $1 == all ) ]]; then
  sizes=(1000 5000 10000)
else
  for arg in "$@"; do
    [[ $arg =~ ^[0-9]+$ && $arg -ge 41 ]] || die "not a page count (41 or more): $arg; usage: benches/crawl/crawl.sh [all | N...]"
    sizes+=("$arg")
  done
fi
concurrency=${CONCURRENCY:-16}
per_host=${PER_HOST:-8}
seed=${SEED:-1}

# --- tools -----------------------------------------------------------------------
need() { # COMMAND PACKAGE
  command -v "$1" >/dev/null 2>&1 && return
  [[ -x $1 ]] && return
  if [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "installing $2 (for $1)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null 2>&1 ||
      { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null; } ||
      die "could not install $2; install it and run again"
  else
    die "$1 is needed: apt-get install $2"
  fi
}
need python3 python3
need nginx nginx-light
need wget wget
need /usr/bin/time time
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
[[ -x $nginx_bin ]] || die "nginx not found after install"

if [[ -n ${BIN:-} ]]; then
  bin=$(realpath "$BIN")
else
  # A profiled run needs the symbols the release binary is stripped of.
  build_profile=release
  [[ ${PROFILE:-0} == 1 ]] && build_profile=profiling
  echo "building the $build_profile binary" >&2
  cargo build --profile "$build_profile" --quiet || die "cargo build --profile $build_profile failed"
  bin=$repo/target/$build_profile/alliance-audit
fi
profile=()
if [[ ${PROFILE:-0} == 1 ]]; then
  command -v perf >/dev/null || die "PROFILE=1 needs perf (apt-get install linux-perf)"
fi
# `--db` (the SQLite run history) exists in newer builds: keep it in the temp dir.
has_db_flag=0
"$bin" crawl --help 2>/dev/null | grep -q -- '--db' && has_db_flag=1

# --- cleanup ---------------------------------------------------------------------
tmp=$(mktemp -d "${TMPDIR:-/tmp}/alliance-audit-crawl-bench.XXXXXX")
# nginx workers may run as another user: they must read the site.
chmod 755 "$tmp"
nginx_pid=
cleanup() {
  if [[ -n $nginx_pid ]] && kill -0 "$nginx_pid" 2>/dev/null; then
    kill "$nginx_pid" 2>/dev/null || true
    wait "$nginx_pid" 2>/dev/null || true
  fi
  if [[ ${KEEP:-0} == 1 ]]; then
    echo "kept: $tmp" >&2
  else
    rm -rf "$tmp"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_nginx() { # ROOT PORT DIR
  local root=$1 port=$2 dir=$3
  mkdir -p "$dir"
  cat >"$dir/nginx.conf" <<EOF
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 1024; }
http {
  types { text/html html; text/css css; image/svg+xml svg; text/plain txt; }
  default_type application/octet-stream;
  access_log off;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_timeout 65;
  keepalive_requests 1000000;
  open_file_cache max=20000 inactive=60s;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  server {
    listen 127.0.0.1:$port;
    root $root;
    index index.html;
  }
}
EOF
  "$nginx_bin" -e "$dir/error.log" -p "$dir" -c "$dir/nginx.conf" -g 'daemon off;' &
  nginx_pid=$!
  for _ in $(seq 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      return
    fi
    kill -0 "$nginx_pid" 2>/dev/null || { cat "$dir/error.log" >&2; die "nginx did not start"; }
    sleep 0.1
  done
  die "nginx is not answering on 127.0.0.1:$port"
}

stop_nginx() {
  kill "$nginx_pid" 2>/dev/null || true
  wait "$nginx_pid" 2>/dev/null || true
  nginx_pid=
}

# `/usr/bin/time -v` output: FIELD -> value.
elapsed_s() { # TIMEFILE  (h:mm:ss or m:ss.ss -> seconds)
  awk -F': ' '/Elapsed \(wall clock\)/ {
    n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$1"
}
cpu_s() { awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$1"; }
rss_mb() { awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$1"; }

results=$tmp/results.tsv
: >"$results"
failed=0
for n in "${sizes[@]}"; do
  work=$tmp/n$n
  mkdir -p "$work"
  echo "N=$n: generating the site" >&2
  python3 "$repo/benches/crawl/gen_site.py" "$n" "$work/site" "$seed" || die "site generation failed"
  chmod -R a+rX "$work"
  port=$(free_port)
  start_nginx "$work/site" "$port" "$work/nginx"
  url="http://127.0.0.1:$port/"
  db_flag=()
  [[ $has_db_flag == 1 ]] && db_flag=(--db "$work/alliance-audit.db")

  cat >"$work/alliances.toml" <<EOF
[defaults]
max_pages = $((n + 10))
max_depth = 50
per_host_delay_ms = 0
concurrency_per_host = $per_host

[[alliance]]
id = "synthetic"
name = "Synthetic University Alliance (benchmark)"
start_urls = ["$url"]
EOF

  echo "N=$n: alliance-audit crawl $url" >&2
  status=0
  # Run from the work dir, with the run database (when the binary keeps one) there too,
  # so nothing lands in the repository.
  [[ ${PROFILE:-0} == 1 ]] && profile=(perf record -q -F 1999 -o "$work/perf.data" --)
  (cd "$work" && /usr/bin/time -v -o "$work/ours.time" ${profile[@]+"${profile[@]}"} "$bin" crawl \
    --config "$work/alliances.toml" --out "$work/run" ${db_flag[@]+"${db_flag[@]}"} \
    --delay-ms 0 --concurrency "$concurrency" -q >"$work/ours.log" 2>&1) || status=$?
  if [[ $status -ne 0 ]]; then
    cat "$work/ours.log" >&2
    echo "N=$n: alliance-audit crawl exited with $status" >&2
    failed=1
  fi
  [[ -s $work/ours.time ]] || die "N=$n: alliance-audit did not run (no /usr/bin/time output)"
  [[ -f $work/run/pages.csv ]] || die "N=$n: no pages.csv in $work/run (see the log above)"
  ours_pages=$(python3 -c '
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    print(sum(1 for row in csv.DictReader(f) if row["outcome"] == "ok"))' "$work/run/pages.csv")
  ours_other=$(python3 -c '
import csv, sys, collections
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    c = collections.Counter(row["outcome"] for row in csv.DictReader(f) if row["outcome"] != "ok")
print(" ".join(f"{k}={v}" for k, v in sorted(c.items())) or "none")' "$work/run/pages.csv")

  echo "N=$n: wget --recursive $url" >&2
  wget_status=0
  /usr/bin/time -v -o "$work/wget.time" wget --recursive --level=inf --no-parent \
    --no-verbose -P "$work/wget" "$url" >"$work/wget.log" 2>&1 || wget_status=$?
  [[ -s $work/wget.time ]] || die "N=$n: wget did not run (no /usr/bin/time output)"
  wget_pages=$(find "$work/wget" -name index.html -type f | wc -l)
  if [[ $wget_status -ne 0 ]]; then
    echo "N=$n: wget exited with $wget_status (last lines of its log:)" >&2
    tail -3 "$work/wget.log" >&2
  fi
  stop_nginx

  # The run database as it stands when the crawl is over (its WAL folded in).
  db_kb=0
  if [[ -f $work/alliance-audit.db ]]; then
    python3 -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute("PRAGMA wal_checkpoint(TRUNCATE)")' \
      "$work/alliance-audit.db" 2>/dev/null || true
    db_kb=$(( $(stat -c %s "$work/alliance-audit.db") / 1024 ))
  fi
  for tool in ours wget; do
    pages_var=${tool}_pages
    t=$work/$tool.time
    kb=0
    [[ $tool == ours ]] && kb=$db_kb
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$tool" "${!pages_var}" "$(elapsed_s "$t")" \
      "$(cpu_s "$t")" "$(rss_mb "$t")" "$kb" >>"$results"
  done
  if [[ ${PROFILE:-0} == 1 ]]; then
    echo "N=$n: where our CPU went (perf, self time by category and thread):"
    perf report -i "$work/perf.data" --no-children --sort comm,dso,symbol --stdio 2>/dev/null |
      python3 "$repo/benches/crawl/profile_categories.py" ${VERBOSE:+-v}
  fi
  if [[ $ours_pages -ne $n ]]; then
    echo "N=$n: FAIL: alliance-audit fetched $ours_pages of $n pages (other outcomes: $ours_other)" >&2
    failed=1
  fi
  echo "N=$n: other outcomes in pages.csv: $ours_other; reports $(du -sh "$work/run" | cut -f1)$(
    [[ -f $work/alliance-audit.db ]] && echo ", run database $((db_kb / 1024)) MB")" >&2
  [[ ${KEEP:-0} == 1 ]] || rm -f "$work/alliance-audit.db"
  [[ ${KEEP:-0} == 1 ]] || rm -rf "$work/site" "$work/wget"
done

echo
rev=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')
git -C "$repo" diff --quiet HEAD -- src Cargo.toml Cargo.lock 2>/dev/null || rev="$rev+uncommitted"
echo "alliance-audit $rev, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, nginx $("$nginx_bin" -v 2>&1 | sed 's/.*nginx\///'), $(wget --version | head -1 | cut -d' ' -f1-3)"
echo "ours: alliance-audit crawl --delay-ms 0 --concurrency $concurrency -q (concurrency_per_host = $per_host)"
echo "wget: wget --recursive --level=inf --no-parent --no-verbose"
awk -F'\t' '
  BEGIN { printf "%7s  %-6s %7s %9s %9s %8s %9s %13s\n", "N", "tool", "pages", "wall s", "pages/s", "CPU s", "RSS MB", "DB MB/1000p" }
  {
    rate = ($4 > 0) ? $3 / $4 : 0
    db = ($2 == "ours" && $3 > 0) ? sprintf("%.1f", $7 / 1024 / $3 * 1000) : "-"
    printf "%7d  %-6s %7d %9.2f %9.1f %8.2f %9.1f %13s\n", $1, $2, $3, $4, rate, $5, $6, db
    r[$1, $2] = rate; cpu[$1, $2] = ($3 > 0) ? $5 / $3 * 1000 : 0; rss[$1, $2] = $6
    if (!($1 in seen)) { seen[$1] = 1; order[++k] = $1 }
  }
  END {
    for (i = 1; i <= k; i++) {
      n = order[i]
      printf "N=%d: ours/wget pages/s = %.2fx; peak RSS ours %.1f MB (wget %.1f); CPU ms/page: ours %.2f, wget %.2f\n", n,
        (r[n, "wget"] > 0 ? r[n, "ours"] / r[n, "wget"] : 0), rss[n, "ours"], rss[n, "wget"], cpu[n, "ours"], cpu[n, "wget"]
    }
  }' "$results"
if [[ $failed -ne 0 ]]; then
  echo "FAIL: see the messages above" >&2
  exit 1
fi
