#!/usr/bin/env bash
# Reads a WARC file with an independent reader, the Python `warcio` package:
# `warcio check` verifies every record's block and payload digests, `warcio index`
# lists every record (so a record it cannot parse fails the run).
#
#   tests/warcio_check.sh FILE.warc.gz
#   tests/warcio_check.sh --install      # only install warcio (CI does this first)
#
# warcio is installed on first use into a virtualenv under target/ (PyPI is needed
# once). Exit codes: 0 both passed, 1 a check failed, 3 warcio could not be installed.
set -euo pipefail
file="${1:?usage: tests/warcio_check.sh FILE.warc.gz | --install}"
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="${WARCIO_VENV:-$root/target/warcio-venv}"
version="1.8.1"

if [ ! -x "$venv/bin/warcio" ]; then
  if ! python3 -m venv "$venv" >&2; then
    echo "warcio_check: cannot create a Python virtualenv at $venv (is python3-venv installed?)" >&2
    exit 3
  fi
  if ! "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "warcio==$version" >&2; then
    echo "warcio_check: cannot install warcio $version from PyPI into $venv (no network?)" >&2
    exit 3
  fi
fi
[ "$file" = "--install" ] && { "$venv/bin/warcio" --version; exit 0; }

"$venv/bin/warcio" check -v "$file" || { echo "warcio_check: warcio check failed on $file" >&2; exit 1; }
"$venv/bin/warcio" index -f warc-type,warc-target-uri,http:status,offset,length "$file" \
  || { echo "warcio_check: warcio index failed on $file" >&2; exit 1; }
