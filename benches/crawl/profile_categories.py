#!/usr/bin/env python3
"""Sums a flat `perf report` (comm, dso, symbol) into where a crawl's CPU goes: parsing,
extraction, detection, SQLite, JSON, reports, crawl logic, HTTP, allocation..., in
total and split between the tokio threads (fetching, parsing, extraction, detection)
and the main thread (the writer loop: run database and reports). Used by
benches/crawl/crawl.sh with PROFILE=1; -v lists the symbols left uncategorised."""
import sys, re, collections
# Input: `perf report --no-children --sort comm,dso,symbol --stdio`.
cats = [
 ('parse (html5ever, tendril, scraper tree)', r'html5ever|markup5ever|tendril|scraper::|ego_tree|string_cache|selectors'),
 ('extraction (walk, nav, text)', r'alliance_audit::extract|alliance_audit::decode|encoding_rs|chardetng'),
 ('detection (lexicon, aho-corasick)', r'alliance_audit::detect|aho_corasick|unicode_normalization'),
 ('SQLite', r'sqlite3|rusqlite|pcache|btree'),
 ('JSON (serde_json)', r'serde_json|serde::'),
 ('reports (csv, report writer)', r'alliance_audit::report|csv::|csv_core'),
 ('crawl (frontier, priority, discovery, url)', r'alliance_audit::crawl|url::|idna|percent_encoding'),
 ('HTTP + async runtime', r'hyper|reqwest|tokio|h2::|http::|futures|mio|want::|bytes::'),
 ('malloc/free', r'malloc|free|_int_|unlink_chunk|realloc|calloc|consolidate|_rjem_|jemalloc|je_|rallocx|tcache|__rust_dealloc|__rust_alloc'),
 ('memcpy/memcmp', r'memmove|memcpy|memcmp|memset|memchr|strlen'),
 ('hashing (SipHash)', r'sip::Hasher|hash::'),
 ('kernel', r'\[k\]'),
]
tot = collections.Counter(); bythread = collections.defaultdict(collections.Counter)
other = collections.Counter()
for line in sys.stdin:
    m = re.match(r'\s*([\d.]+)%\s+(\S+)\s+(\S+)\s+(.*)$', line)
    if not m: continue
    pct, comm, dso, sym = float(m.group(1)), m.group(2), m.group(3), m.group(4).strip()
    thread = 'writer (main)' if not comm.startswith('tokio') else 'tokio workers + blocking'
    for name, rx in cats:
        if re.search(rx, sym):
            break
    else:
        name = 'other'; other[sym[:80]] += pct
    tot[name] += pct; bythread[thread][name] += pct
print('%-45s %7s %10s %10s' % ('category', 'total', 'workers', 'writer'))
for name, _ in cats + [('other','')]:
    print('%-45s %6.1f%% %9.1f%% %9.1f%%' % (name, tot[name], bythread['tokio workers + blocking'][name], bythread['writer (main)'][name]))
print('%-45s %6.1f%% %9.1f%% %9.1f%%' % ('all', sum(tot.values()), sum(bythread['tokio workers + blocking'].values()), sum(bythread['writer (main)'].values())))
if '-v' in sys.argv:
    for s, p in other.most_common(25): print('  other: %5.2f%% %s' % (p, s))
