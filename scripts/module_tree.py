#!/usr/bin/env python3
"""Prints the source tree by module: files, lines, the largest file, and the modules
each one imports from (`crate::NAME` paths outside comments, counted per file that
names them).

    scripts/module_tree.py            # the working tree
    scripts/module_tree.py REV        # any commit, e.g. the tree before a change
"""
import collections, re, subprocess, sys

def files(rev):
    if rev:
        names = subprocess.run(['git', 'ls-tree', '-r', '--name-only', rev, 'src'],
                               capture_output=True, text=True, check=True).stdout.split()
        read = lambda n: subprocess.run(['git', 'show', f'{rev}:{n}'], capture_output=True,
                                        text=True, check=True).stdout
    else:
        names = subprocess.run(['git', 'ls-files', 'src'], capture_output=True, text=True,
                               check=True).stdout.split()
        read = lambda n: open(n, encoding='utf-8').read()
    return [(n, read(n)) for n in names if n.endswith('.rs')]

def module_of(name):
    parts = name[len('src/'):].split('/')
    if len(parts) == 1:
        stem = parts[0][:-3]
        return '(root)' if stem in ('lib', 'main') else stem
    return parts[0]

def main():
    rev = sys.argv[1] if len(sys.argv) > 1 else None
    lines, count, largest = collections.Counter(), collections.Counter(), {}
    imports = collections.defaultdict(collections.Counter)
    for name, text in files(rev):
        module = module_of(name)
        n = text.count('\n')
        lines[module] += n
        count[module] += 1
        if n > largest.get(module, ('', 0))[1]:
            largest[module] = (name[len('src/'):], n)
        code = '\n'.join(l for l in text.splitlines() if not l.lstrip().startswith('//'))
        for other in set(re.findall(r'crate::(\w+)', code)):
            if other != module:
                imports[module][other] += 1
    print(f"{'module':<10} {'files':>5} {'lines':>6}  {'largest file':<32} imports from (files naming it)")
    for module in sorted(lines):
        big = f'{largest[module][0]} ({largest[module][1]})'
        deps = ', '.join(f'{m} {c}' for m, c in sorted(imports[module].items()))
        print(f'{module:<10} {count[module]:>5} {lines[module]:>6}  {big:<32} {deps}')
    print(f"{'total':<10} {sum(count.values()):>5} {sum(lines.values()):>6}  "
          f"files over 400 lines: {sum(1 for n, t in files(rev) if t.count(chr(10)) > 400)}")

main()
