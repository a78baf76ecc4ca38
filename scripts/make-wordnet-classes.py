#!/usr/bin/env python3
"""Rebuilds data/wordnet-classes.tsv from Princeton WordNet 3.0 (Debian package wordnet-base;
WordNet licence, permissive, see data/README.md): for each single-word noun, the lexicographer
class of its most frequent sense (person, location, group, artifact, ...) and whether WordNet
writes it capitalised (a proper noun: "Moscow" location, "Lavoisier" person). A NER feature.

usage: scripts/make-wordnet-classes.py /usr/share/wordnet > data/wordnet-classes.tsv
"""
import os
import sys

LEXNAMES = ["adj.all", "adj.pert", "adv.all", "noun.Tops", "noun.act", "noun.animal", "noun.artifact",
            "noun.attribute", "noun.body", "noun.cognition", "noun.communication", "noun.event",
            "noun.feeling", "noun.food", "noun.group", "noun.location", "noun.motive", "noun.object",
            "noun.person", "noun.phenomenon", "noun.plant", "noun.possession", "noun.process",
            "noun.quantity", "noun.relation", "noun.shape", "noun.state", "noun.substance", "noun.time"]
root = sys.argv[1]
data = open(os.path.join(root, "data.noun"), "rb").read()


def synset(offset):
    end = data.index(b"\n", offset)
    f = data[offset:end].decode("utf-8").split(" ")
    lexfile = int(f[1])
    words = [f[4 + 2 * k] for k in range(int(f[3], 16))]
    return lexfile, words


print("# Lower-cased single-word noun<TAB>WordNet class of its most frequent sense<TAB>p if WordNet writes it "
      "capitalised, else c; built by scripts/make-wordnet-classes.py from WordNet 3.0.")
with open(os.path.join(root, "index.noun"), encoding="utf-8") as f:
    for line in f:
        if line.startswith(" "):
            continue
        fields = line.split()
        lemma = fields[0]
        if "_" in lemma or not lemma.replace("-", "").replace(".", "").replace("'", "").isalpha():
            continue
        n_synsets = int(fields[2])
        offsets = fields[-n_synsets:]
        lexfile, words = synset(int(offsets[0]))
        proper = any(w.lower() == lemma and w != w.lower() for w in words)
        print(f"{lemma}\t{LEXNAMES[lexfile][5:]}\t{'p' if proper else 'c'}")
