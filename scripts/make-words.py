#!/usr/bin/env python3
"""Rebuilds data/words.txt, the known-word list the tokenizer uses to rejoin words broken by a stray
hyphen ("Krem-lin" -> "Kremlin"): lower-cased alphabetic forms and lemmas seen at least twice in UD
English-EWT train (CC BY-SA 4.0), plus every word of the gazetteer names.

usage: scripts/make-words.py ../shared/data/ud-en-ewt/en_ewt-ud-train.conllu > data/words.txt
"""
import collections
import glob
import os
import re
import sys

word = re.compile(r"^[a-z]{2,}$")
counts = collections.Counter()
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        cols = line.rstrip("\n").split("\t")
        if len(cols) < 3 or line.startswith("#") or not cols[0].isdigit():
            continue
        for w in {cols[1].lower(), cols[2].lower()}:
            if word.match(w):
                counts[w] += 1
words = {w for w, n in counts.items() if n >= 2}
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
for path in glob.glob(os.path.join(root, "data", "gazetteer", "*.tsv")):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            for w in re.split(r"[\s\-.']+", line.split("\t")[0].lower()):
                if word.match(w):
                    words.add(w)
print("# Known lower-case words for rejoining words broken by a stray hyphen; built by scripts/make-words.py"
      " from UD English-EWT train (CC BY-SA 4.0) and the gazetteers. One word per line.")
for w in sorted(words):
    print(w)
