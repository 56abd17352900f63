#!/usr/bin/env bash
# Moved to benches/crawl/crawl.sh (kept so older notes and habits still work).
exec "$(dirname "$0")/crawl/crawl.sh" "$@"
