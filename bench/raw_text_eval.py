#!/usr/bin/env python3
"""Accuracy from raw text: newsgraph's own tokenizer and sentence splitter, then tagger and parser,
scored against a UD treebank the way the CoNLL 2018 shared task scores raw-text parsing.

    bench/raw_text_eval.py GOLD.conllu [--newsgraph build/cli/newsgraph]

The raw text is rebuilt from the gold file's "# text" lines (sentences joined by a space, paragraphs
by a blank line, one document after another), given to `newsgraph parse`, and the system words are
aligned with the gold words by their byte ranges in that text (newsgraph writes each token's as
TokenRange=B:E in MISC). A word counts as found when its byte range equals a gold word's. Prints F1 (percent) of Tokens, Sentences (a sentence
whose character range equals a gold sentence's), UPOS, UAS and LAS over the aligned words (a word
is right when it is aligned and its tag, or its head's aligned word and relation, are right). LAS
compares the universal part of the relation, as the shared task does; LAS_FULL the whole label.
The last line is key=value figures.
"""
import argparse
import os
import subprocess
import sys
import tempfile


def read_conllu(lines):
    """Sentences as dicts: text, newdoc, newpar, words [(form, upos, head, deprel)]."""
    sentences, current = [], None
    for line in lines:
        line = line.rstrip("\n")
        if current is None:
            current = {"text": None, "newdoc": False, "newpar": False, "words": []}
        if not line:
            if current["words"]:
                sentences.append(current)
            current = None
            continue
        if line.startswith("#"):
            if line.startswith("# text = "):
                current["text"] = line[len("# text = "):]
            elif line.startswith("# newdoc"):
                current["newdoc"] = True
            elif line.startswith("# newpar"):
                current["newpar"] = True
            continue
        cols = line.split("\t")
        if "-" in cols[0] or "." in cols[0]:
            continue  # multiword-token ranges and empty nodes: the words carry the characters
        token_range = None
        for item in cols[9].split("|"):
            if item.startswith("TokenRange="):
                begin, end = item[len("TokenRange="):].split(":")
                token_range = (int(begin), int(end))
        current["words"].append((cols[1], cols[3], int(cols[6]) if cols[6] != "_" else 0, cols[7], token_range))
    if current and current["words"]:
        sentences.append(current)
    return sentences


def byte_ranges(sentences, raw):
    """Per sentence, per word: its [start, end) byte range in raw (bytes), found by scanning raw
    for the word's form from where the previous word ended."""
    pos, out, sentence_ranges = 0, [], []
    for s in sentences:
        ranges = []
        for form, *_ in s["words"]:
            at = raw.find(form.encode("utf-8"), pos)
            if at < 0:
                sys.exit(f"raw_text_eval: gold word {form!r} not found in the raw text")
            ranges.append((at, at + len(form.encode("utf-8"))))
            pos = at + len(form.encode("utf-8"))
        out.append(ranges)
        sentence_ranges.append((ranges[0][0], ranges[-1][1]))
    return out, sentence_ranges


def token_ranges(sentences):
    """Per sentence, per word: the TokenRange=B:E that newsgraph parse writes in MISC."""
    out, sentence_ranges = [], []
    for s in sentences:
        ranges = [w[4] for w in s["words"]]
        out.append(ranges)
        sentence_ranges.append((ranges[0][0], ranges[-1][1]))
    return out, sentence_ranges


def f1(correct, system, gold):
    p = correct / system if system else 0.0
    r = correct / gold if gold else 0.0
    return 100.0 * (2 * p * r / (p + r) if p + r else 0.0)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold")
    ap.add_argument("--newsgraph", default="build/cli/newsgraph")
    args = ap.parse_args()

    with open(args.gold, encoding="utf-8") as f:
        gold = read_conllu(f)
    parts = []
    for i, s in enumerate(gold):
        if i and (s["newdoc"] or s["newpar"]):
            parts.append("\n\n")
        elif i:
            parts.append(" ")
        parts.append(s["text"])
    raw = "".join(parts) + "\n"
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8", delete=False) as f:
        f.write(raw)
        raw_path = f.name
    try:
        proc = subprocess.run([args.newsgraph, "parse", raw_path], capture_output=True, text=True)
    finally:
        os.unlink(raw_path)
    if proc.returncode != 0:
        sys.exit(f"raw_text_eval: newsgraph parse failed:\n{proc.stderr}")
    system = read_conllu(proc.stdout.splitlines())

    g_ranges, g_sents = byte_ranges(gold, raw.encode("utf-8"))
    s_ranges, s_sents = token_ranges(system)

    # Gold word index by character range; heads as ranges so they compare across the two sides.
    def flatten(sentences, ranges):
        words = []
        for s, rs in zip(sentences, ranges):
            for (form, upos, head, deprel, _), r in zip(s["words"], rs):
                head_range = rs[head - 1] if head > 0 else None
                words.append((r, upos, head_range, deprel))
        return words

    g_words = {w[0]: w for w in flatten(gold, g_ranges)}
    s_words = flatten(system, s_ranges)
    tokens = upos = uas = las = las_full = 0
    for r, tag, head, deprel in s_words:
        g = g_words.get(r)
        if g is None:
            continue
        tokens += 1
        upos += tag == g[1]
        if head == g[2]:
            uas += 1
            las += deprel.split(":")[0] == g[3].split(":")[0]
            las_full += deprel == g[3]
    sentences = len(set(s_sents) & set(g_sents))
    n_s, n_g = len(s_words), len(g_words)
    print(f"gold_words={n_g} system_words={n_s} aligned={tokens} gold_sentences={len(g_sents)} "
          f"system_sentences={len(s_sents)}", file=sys.stderr)
    print(f"Tokens={f1(tokens, n_s, n_g):.2f} Sentences={f1(sentences, len(s_sents), len(g_sents)):.2f} "
          f"UPOS={f1(upos, n_s, n_g):.2f} UAS={f1(uas, n_s, n_g):.2f} LAS={f1(las, n_s, n_g):.2f} "
          f"LAS_FULL={f1(las_full, n_s, n_g):.2f}")


if __name__ == "__main__":
    main()
