#!/usr/bin/env python3
"""Rebuilds data/word-case.tsv from the SCOWL word list of Debian's wamerican-large package
(permissive licence, see data/README.md): for each lower-cased word, whether the dictionary spells
it only in lower case (c: "king"), only capitalised (p: proper noun, "malaysia"), or both (b:
"bush"). The NER uses it to recognise names written in lower case in web text.

usage: scripts/make-word-case.py /usr/share/dict/american-english-large > data/word-case.tsv
"""
import re
import sys

seen = {}
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        w = line.strip()
        if not re.fullmatch(r"[A-Za-z]+", w):
            continue
        low = w.lower()
        kind = "c" if w == low else "p"
        old = seen.get(low)
        seen[low] = kind if old is None or old == kind else "b"
print("# Lower-cased word<TAB>c (dictionary writes it in lower case only), p (capitalised only) or b (both); "
      "built by scripts/make-word-case.py from SCOWL (Debian wamerican-large).")
for w in sorted(seen):
    print(f"{w}\t{seen[w]}")
