#!/usr/bin/env bash
# Scaling of workers sharing one PostgreSQL queue (issue 12): pages/s with 1, 2 and 4
# worker processes on many small synthetic sites on loopback, and the database's growth
# per 1,000 pages.
#
# It
#   1. writes SITES synthetic sites of PAGES pages each (benches/crawl/gen_site.py, ~30
#      KB pages with a 40-link mega menu) and serves each on its own 127.0.0.1 port
#      with one nginx (so each site is its own host:port, one job each);
#   2. starts a throwaway PostgreSQL cluster (initdb + pg_ctl in a temp dir, as the
#      `postgres` user when root, fsync on: a real database's costs);
#   3. for each DELAY (ms between requests to one host: 0 = CPU-bound, 100 = bound by
#      politeness, as a real crawl is) and each worker count W in 1 2 4: queues a run
#      of all the sites (`crawl --enqueue`), starts W `worker --exit-when-idle`
#      processes (one job at a time each), and times until all have exited;
#   4. prints pages/s (pages.csv rows with outcome ok / wall seconds), the speed-up
#      over one worker in the same series, and the database's growth per 1,000 pages
#      (pg_database_size before and after the run).
#
# Usage: benches/workers.sh    Environment: SITES (default 16), PAGES (default 60),
#   DELAYS (default "0 100"), WORKERS (default "1 2 4"), KEEP=1 keeps the temp dir.
# Needs nginx, python3 and PostgreSQL (Debian's postgresql package). Builds the release
# binary first. Wall-clock numbers are noisy on a shared machine: compare within a run.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
sites=${SITES:-16}
pages=${PAGES:-60}
delays=${DELAYS:-"0 100"}
workers=${WORKERS:-"1 2 4"}

die() { echo "benches/workers.sh: $*" >&2; exit 2; }
command -v nginx >/dev/null || die "needs nginx (apt-get install nginx)"
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[[ -x $pg_bin/initdb ]] || die "needs PostgreSQL (apt-get install postgresql)"

nice -n 10 cargo build --release --quiet --bin alliance-audit
bin=$repo/target/release/alliance-audit

tmp=$(mktemp -d /tmp/alliance-audit-workers.XXXXXX)
chmod 755 "$tmp"
nginx_pid=
cleanup() {
  [[ -n $nginx_pid ]] && kill "$nginx_pid" 2>/dev/null || true
  as_pg "$pg_bin/pg_ctl" -D "$tmp/pg/data" -m immediate stop >/dev/null 2>&1 || true
  if [[ ${KEEP:-} == 1 ]]; then echo "kept $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
as_pg() { if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# --- sites and nginx ---------------------------------------------------------------
servers=
config=$tmp/alliances.toml
printf '[defaults]\nmax_pages = %d\nmax_depth = 50\nper_host_delay_ms = 0\nconcurrency_per_host = 2\n' $((pages + 10)) >"$config"
for i in $(seq 1 "$sites"); do
  python3 "$repo/benches/crawl/gen_site.py" "$pages" "$tmp/sites/s$i" "$i" >/dev/null
  port=$(free_port)
  servers+="  server { listen 127.0.0.1:$port; root $tmp/sites/s$i; index index.html; }"$'\n'
  printf '\n[[alliance]]\nid = "s%d"\nname = "Site %d"\nstart_urls = ["http://127.0.0.1:%d/"]\n' "$i" "$i" "$port" >>"$config"
done
mkdir -p "$tmp/nginx"
cat >"$tmp/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 4096; }
http {
  types { text/html html; }
  default_type application/octet-stream;
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $tmp/nginx/body;
  proxy_temp_path $tmp/nginx/proxy;
  fastcgi_temp_path $tmp/nginx/fastcgi;
  uwsgi_temp_path $tmp/nginx/uwsgi;
  scgi_temp_path $tmp/nginx/scgi;
$servers}
CONF
nginx -e "$tmp/nginx/error.log" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -g 'daemon off;' &
nginx_pid=$!
sleep 1

# --- PostgreSQL ----------------------------------------------------------------------
mkdir -p "$tmp/pg"
[[ $EUID -eq 0 ]] && chown postgres: "$tmp/pg"
pg_port=$(free_port)
as_pg "$pg_bin/initdb" -D "$tmp/pg/data" -A trust -U postgres -E UTF8 --locale=C >/dev/null
as_pg "$pg_bin/pg_ctl" -D "$tmp/pg/data" -l "$tmp/pg/log" -w \
  -o "-p $pg_port -k $tmp/pg -c listen_addresses=127.0.0.1" start >/dev/null
psql_() { as_pg "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -qAt "$@"; }
psql_ -d postgres -c "CREATE DATABASE bench" >/dev/null
db=postgres://postgres@127.0.0.1:$pg_port/bench
db_size() { psql_ -d bench -c "SELECT pg_database_size('bench')"; }

# --- runs ----------------------------------------------------------------------------
printf 'delay_ms\tworkers\tpages\tseconds\tpages_per_s\tspeedup\tdb_mb_per_1000_pages\n'
for delay in $delays; do
  base=
  for w in $workers; do
    "$bin" history --db "$db" >/dev/null # migrations, before measuring size
    before=$(db_size)
    run=$("$bin" crawl --config "$config" --db "$db" --enqueue --delay-ms "$delay" --concurrency 4)
    start=$(date +%s.%N)
    pids=()
    for _ in $(seq 1 "$w"); do
      "$bin" worker --db "$db" --exit-when-idle -q &
      pids+=($!)
    done
    for pid in "${pids[@]}"; do wait "$pid"; done
    end=$(date +%s.%N)
    after=$(db_size)
    "$bin" report "$run" --db "$db" --out "$tmp/out/$run" --format csv >/dev/null
    ok=$(python3 -c 'import csv,sys; print(sum(1 for r in csv.DictReader(open(sys.argv[1])) if r["outcome"]=="ok"))' "$tmp/out/$run/pages.csv")
    stored=$(psql_ -d bench -c "SELECT count(*) FROM pages WHERE run_id = '$run'")
    secs=$(python3 -c "print(f'{$end - $start:.1f}')")
    rate=$(python3 -c "print(f'{$ok / ($end - $start):.1f}')")
    [[ -z $base ]] && base=$rate
    speedup=$(python3 -c "print(f'{$rate / $base:.2f}')")
    growth=$(python3 -c "print(f'{($after - $before) / 1e6 / $stored * 1000:.1f}')")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$delay" "$w" "$ok" "$secs" "$rate" "$speedup" "$growth"
  done
done
