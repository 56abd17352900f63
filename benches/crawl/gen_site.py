#!/usr/bin/env python3
"""Writes a synthetic alliance website of N pages for benches/crawl.sh.

Usage: gen_site.py N OUT_DIR [SEED]

Every page is a directory index (/research/topic-slug-123/index.html), about 30 KB: a
header with a utility bar and a mega menu (8 columns, ~40 links), breadcrumbs, h1-h3
headings, paragraphs of body text (some mention the "library network"), ~10 in-site
links (children in a tree plus seeded random cross links), and footer menus.

Page 0 is "/", pages 1..40 are the section pages the mega menu links to (depth 1), and
every later page hangs under an earlier one with 8 children each, so all N pages are
reachable from "/" within depth 1 + log8(N/40) + 1 (4 at N = 10,000). The output is a
pure function of (N, SEED).
"""
import os
import random
import sys

SECTIONS = 40
BRANCHING = 8

WORDS = (
    "university alliance research network partners members students staff mobility "
    "exchange doctoral training programme strategy policy europe global sustainable "
    "development innovation teaching learning life science data digital infrastructure "
    "collaboration working group forum consortium annual conference report higher "
    "education quality excellence academic leadership society impact funding grant "
    "call project health climate energy cities culture heritage archive museum "
    "publication journal region seminar services support community exchange visit "
    "summer school webinar event news campus international cooperation rectors board "
    "secretariat office committee members statute governance values mission vision"
).split()

COLUMNS = [
    ("About us", ["Who we are", "Mission and values", "Governance", "Secretariat",
                  "Annual reports"]),
    ("Members", ["Member universities", "Associate partners", "Join the alliance",
                 "Member map", "Rectors"]),
    ("Research", ["Research themes", "Doctoral training", "Open science",
                  "Research infrastructure", "Funding calls"]),
    ("Education", ["Student mobility", "Joint programmes", "Summer schools",
                   "Digital learning", "Staff exchange"]),
    ("Collaboration", ["Working groups", "Library network", "Thematic networks",
                       "Policy forum", "Industry partners"]),
    ("Policy", ["Position papers", "Consultations", "Statements", "Advocacy",
                "EU affairs"]),
    ("News and events", ["News", "Events", "Webinars", "Annual conference",
                         "Newsletter"]),
    ("Resources", ["Publications", "Toolkits", "Data and reports", "Media kit",
                   "Contact"]),
]
assert sum(len(items) for _, items in COLUMNS) == SECTIONS

FOOTER = [
    ("The alliance", ["About", "Members", "Governance", "Jobs", "Contact"]),
    ("Work with us", ["Working groups", "Projects", "Funding", "Partners", "Events"]),
    ("Legal", ["Privacy", "Cookies", "Accessibility", "Imprint", "Sitemap"]),
]


def slug(text):
    return "-".join(
        "".join(c for c in word if c.isalnum()) for word in text.lower().split()
    ).strip("-")


def parent(j):
    if j == 0:
        return None
    if j <= SECTIONS:
        return 0
    return (j - SECTIONS - 1) // BRANCHING + 1


def children(j, n):
    if j == 0:
        first, last = 1, SECTIONS
    else:
        first = SECTIONS + 1 + (j - 1) * BRANCHING
        last = first + BRANCHING - 1
    return range(first, min(last, n - 1) + 1)


class Site:
    def __init__(self, n, seed):
        self.n = n
        self.rng = random.Random(seed)
        self.section_labels = [label for _, items in COLUMNS for label in items]
        self.titles = [""] * n
        self.paths = [""] * n
        self.paths[0] = "/"
        self.titles[0] = "Home"
        for j in range(1, n):
            if j <= SECTIONS:
                label = self.section_labels[j - 1]
                self.titles[j] = label
                self.paths[j] = "/" + slug(label) + "/"
            else:
                a, b, c = (self.rng.choice(WORDS) for _ in range(3))
                self.titles[j] = f"{a.capitalize()} {b} and {c} {j}"
                section = j
                while section > SECTIONS:
                    section = parent(section)
                self.paths[j] = self.paths[section] + slug(f"{a} {b} {c}") + f"-{j}/"

    def sentence(self, rng, mention):
        words = [rng.choice(WORDS) for _ in range(rng.randint(10, 22))]
        if mention:
            words[rng.randrange(len(words))] = "library network"
        words[0] = words[0].capitalize()
        return " ".join(words) + "."

    def paragraph(self, rng, mention):
        sentences = [self.sentence(rng, False) for _ in range(rng.randint(4, 7))]
        if mention:
            sentences[rng.randrange(len(sentences))] = self.sentence(rng, True)
        return " ".join(sentences)

    def mega_menu(self):
        out = ['<nav id="main-menu" class="main-navigation" aria-label="Main menu">',
               '<ul class="menu menu--main nav navbar-nav">']
        k = 1
        for column, items in COLUMNS:
            out.append(f'<li class="menu-item menu-item--expanded has-mega">'
                       f'<a href="{self.paths[k]}" class="menu-link">{column}</a>'
                       f'<div class="mega-menu"><div class="mega-menu__inner">'
                       f'<p class="mega-menu__title">{column}</p><ul class="sub-menu">')
            for label in items:
                out.append(f'<li class="menu-item"><a href="{self.paths[k]}" '
                           f'class="menu-link" data-section="{k}">{label}</a></li>')
                k += 1
            out.append('</ul></div></div></li>')
        out.append('</ul></nav>')
        return "\n".join(out)

    def breadcrumbs(self, j):
        chain = []
        p = j
        while p is not None:
            chain.append(p)
            p = parent(p)
        chain.reverse()
        items = []
        for pos, p in enumerate(chain, 1):
            if p == j:
                items.append(f'<li class="breadcrumb-item active" aria-current="page">'
                             f'{self.titles[p]}</li>')
            else:
                items.append(f'<li class="breadcrumb-item"><a href="{self.paths[p]}">'
                             f'{self.titles[p]}</a></li>')
        return ('<nav aria-label="Breadcrumb" class="breadcrumbs"><ol class="breadcrumb">'
                + "".join(items) + "</ol></nav>")

    def footer(self):
        out = ['<footer class="site-footer" role="contentinfo"><div class="footer-menus">']
        for title, items in FOOTER:
            out.append(f'<nav class="footer-menu" aria-label="{title}"><h2 class="footer-title">'
                       f'{title}</h2><ul class="menu">')
            for i, label in enumerate(items):
                target = self.paths[1 + (hash_label(label) + i) % SECTIONS]
                out.append(f'<li class="menu-item"><a href="{target}">{label}</a></li>')
            out.append('</ul></nav>')
        out.append('</div><p class="copyright">&copy; The Synthetic University Alliance. '
                   'All rights reserved.</p></footer>')
        return "\n".join(out)

    def page(self, j, header, footer):
        rng = random.Random(j * 7919 + 17)
        title = self.titles[j]
        links = list(children(j, self.n))
        while len(links) < 10:
            other = rng.randrange(self.n)
            if other != j and other not in links:
                links.append(other)
        if len(links) > 10:
            links = links[:8] + [rng.randrange(self.n) for _ in range(2)]
        mention = rng.random() < 0.15
        body = []
        sub = 0
        target_bytes = 20_000
        size = 0
        link_iter = iter(links)
        while size < target_bytes:
            if sub % 3 == 0:
                heading = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 5)))
                if mention and sub == 3:
                    heading = "Our library network"
                body.append(f'<h2 id="s{sub}">{heading.capitalize()}</h2>')
            elif sub % 3 == 1:
                body.append(f'<h3>{" ".join(rng.choice(WORDS) for _ in range(3)).capitalize()}</h3>')
            text = self.paragraph(rng, mention and sub == 1)
            nxt = next(link_iter, None)
            if nxt is not None:
                text += (f' Read more in <a href="{self.paths[nxt]}">'
                         f'{self.titles[nxt]}</a>.')
            body.append(f"<p>{text}</p>")
            size += len(body[-1]) + 20
            sub += 1
        related = "".join(f'<li><a href="{self.paths[o]}">{self.titles[o]}</a></li>'
                          for o in link_iter)
        if related:
            body.append(f'<aside class="related"><h3>Related pages</h3><ul>{related}</ul></aside>')
        return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} | Synthetic University Alliance</title>
<meta name="description" content="{title}: part of the synthetic alliance benchmark site.">
<link rel="canonical" href="{self.paths[j]}">
<link rel="stylesheet" href="/assets/site.css">
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"WebPage","name":"{title}"}}</script>
<script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}}</script>
</head>
<body class="page page-id-{j}">
<a class="skip-link screen-reader-text" href="#content">Skip to content</a>
{header}
<main id="content" class="site-main">
{self.breadcrumbs(j)}
<article class="page-content">
<h1 class="entry-title">{title}</h1>
{chr(10).join(body)}
</article>
</main>
{footer}
</body>
</html>
"""

    def write(self, out):
        header = ('<header class="site-header" role="banner">'
                  '<div class="top-bar"><ul class="utility-menu">'
                  '<li><a href="/">Home</a></li><li><a href="/contact/">Contact</a></li>'
                  '<li><a href="/news/">News</a></li><li><a href="/events/">Events</a></li>'
                  '</ul></div>'
                  '<a class="site-logo" href="/"><img src="/assets/logo.svg" alt="Synthetic '
                  'University Alliance"></a>\n' + self.mega_menu() + '</header>')
        footer = self.footer()
        for j in range(self.n):
            d = os.path.join(out, self.paths[j].strip("/"))
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, "index.html"), "w", encoding="utf-8") as f:
                f.write(self.page(j, header, footer))
        os.makedirs(os.path.join(out, "assets"), exist_ok=True)
        with open(os.path.join(out, "assets", "site.css"), "w") as f:
            f.write("body{font-family:sans-serif}\n")
        with open(os.path.join(out, "assets", "logo.svg"), "w") as f:
            f.write('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>\n')
        with open(os.path.join(out, "robots.txt"), "w") as f:
            f.write("User-agent: *\nAllow: /\n")


def hash_label(label):
    return sum(map(ord, label))


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: gen_site.py N OUT_DIR [SEED]")
    n = int(sys.argv[1])
    if n < SECTIONS + 1:
        sys.exit(f"gen_site.py: N must be at least {SECTIONS + 1}")
    seed = int(sys.argv[3]) if len(sys.argv) == 4 else 1
    Site(n, seed).write(sys.argv[2])


if __name__ == "__main__":
    main()
