#!/usr/bin/env python3
"""End-to-end tests of the real newsgraph binary on committed data.

Outputs are compared with golden files in tests/golden/; after an intended change of output,
regenerate them with:  python3 tests/cli_test.py --newsgraph build/cli/newsgraph --source . --update
Real consumers check the exports: Graphviz's dot renders the DOT, pyld turns the JSON-LD into N-Quads.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

ARGS = None


def run(*args, stdin=None, ok=(0,)):
    proc = subprocess.run([ARGS.newsgraph, *args], input=stdin, capture_output=True, text=True,
                          env={**os.environ, "NEWSGRAPH_DATA": ARGS.source})
    if proc.returncode not in ok:
        raise AssertionError(f"newsgraph {' '.join(args)} exited {proc.returncode}:\n{proc.stderr}")
    return proc


class Golden(unittest.TestCase):
    def assert_golden(self, name, actual):
        path = os.path.join(ARGS.source, "tests", "golden", name)
        if ARGS.update:
            with open(path, "w", encoding="utf-8") as f:
                f.write(actual)
            return
        with open(path, encoding="utf-8") as f:
            expected = f.read()
        self.maxDiff = 4000
        self.assertEqual(expected, actual, f"output differs from tests/golden/{name}")


class CliTest(Golden):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="newsgraph-cli-")
        cls.examples = os.path.join(ARGS.source, "examples")
        cls.data = os.path.join(ARGS.source, "tests", "data")
        cls.graph = os.path.join(cls.tmp, "seeds.ngraph")
        cls.build_out = run("build", cls.examples, "-o", cls.graph).stdout

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def path(self, name):
        return os.path.join(self.tmp, name)

    # --- build and extract on every input kind -------------------------------------------------
    def test_build_summary(self):
        self.assert_golden("seeds.build.txt", self.build_out.replace(self.graph, "GRAPH"))

    def test_extract_tsv_on_examples(self):
        out = run("extract", self.examples, "--format", "tsv").stdout
        self.assertTrue(out.startswith("doc\tsubject\trelation\tobject\tconfidence\tsentence"))
        self.assert_golden("seeds.extract.tsv", out)

    def test_extract_jsonl_is_one_object_per_line(self):
        out = run("extract", self.examples, "--format", "jsonl").stdout.splitlines()
        tsv = run("extract", self.examples).stdout.splitlines()
        self.assertEqual(len(out), len(tsv) - 1)
        for line in out:
            obj = json.loads(line)
            self.assertIn("name", obj["subject"])
            self.assertIn(obj["relation"], line)

    def test_jsonl_input_reports_bad_lines_and_reads_the_rest(self):
        proc = run("extract", os.path.join(self.data, "inputs", "articles.jsonl"), ok=(2,))
        docs = [line.split("\t")[0] for line in proc.stdout.splitlines()[1:]]
        self.assertEqual(docs, ["a1", "a3"])
        errors = proc.stderr.splitlines()
        self.assertEqual(len(errors), 3)
        self.assertTrue(errors[0].endswith("articles.jsonl:2: malformed JSON at column 71: "
                                           "Missing a comma or '}' after an object member."))
        self.assertTrue(errors[2].endswith("articles.jsonl:5: missing \"text\""))

    def test_stdin_plain_text_and_jsonl(self):
        out = run("extract", "-", stdin="Angela Merkel met with Emmanuel Macron.\n").stdout.splitlines()
        self.assertEqual(out[1].split("\t")[:4], ["stdin", "Angela Merkel", "meet with", "Emmanuel Macron"])
        line = json.dumps({"id": "s1", "text": "Olaf Scholz called Joe Biden."})
        out = run("extract", "-", stdin=line + "\n").stdout.splitlines()
        self.assertEqual(out[1].split("\t")[:4], ["s1", "Olaf Scholz", "call", "Joe Biden"])

    def test_directory_and_txt_inputs(self):
        out = run("extract", os.path.join(self.data, "inputs")).stdout.splitlines()[1:]
        self.assertEqual([l.split("\t")[:4] for l in out],
                         [["two", "Pedro Sanchez", "criticise", "Viktor Orban"],
                          ["one", "Angela Merkel", "meet", "Emmanuel Macron"]])

    # --- errors ------------------------------------------------------------------------------------
    def test_bad_inputs_give_one_line_errors(self):
        cases = [
            (["build", "no-such-dir", "-o", self.path("x")], 1, "newsgraph: no-such-dir: no such file or directory"),
            (["extract", os.path.join(self.data, "no-articles")], 1,
             f"newsgraph: {self.data}/no-articles: directory holds no .txt file"),
            (["extract", os.path.join(self.data, "invalid-utf8.txt")], 2,
             f"newsgraph: {self.data}/invalid-utf8.txt: invalid UTF-8 at byte 9, skipped (--repair-utf8 replaces bad bytes)"),
            (["build", os.path.join(self.data, "empty.txt"), "-o", self.path("x")], 1,
             f"newsgraph: {self.data}/empty.txt: empty document, skipped\n"
             f"newsgraph: no document could be read; nothing written to {self.path('x')}"),
            (["query", os.path.join(self.data, "inputs", "one.txt"), "stats"], 1,
             f"newsgraph: {self.data}/inputs/one.txt: not a newsgraph graph file (build one with 'newsgraph build')"),
            (["export", self.graph, "--format", "xml"], 1,
             "newsgraph: unknown export format 'xml' (expected dot, svg, png or jsonld)"),
        ]
        for args, status, message in cases:
            with self.subTest(args=args):
                proc = run(*args, ok=(status,))
                self.assertEqual(proc.stderr.strip(), message)
        self.assertFalse(os.path.exists(self.path("x")))

    def test_unknown_subcommand_fails(self):
        proc = run("frobnicate", ok=(1,))
        self.assertEqual(proc.stderr, "newsgraph: unknown subcommand 'frobnicate' (see 'newsgraph --help')\n")

    def test_every_subcommand_has_help(self):
        for sub in ("build", "extract", "export", "query", "repl"):
            with self.subTest(sub=sub):
                self.assertIn("Usage", run(sub, "--help").stdout)

    # --- exports, checked by real consumers ----------------------------------------------------
    def test_dot_renders_with_graphviz(self):
        dot = run("export", self.graph, "--format", "dot").stdout
        svg = subprocess.run(["dot", "-Tsvg"], input=dot, capture_output=True, text=True, check=True).stdout
        graph = json.loads(run("export", self.graph, "--format", "jsonld").stdout)
        actors = [n["name"] for n in graph["@graph"] if n["@type"] not in ("Relation", "NewsArticle")]
        self.assertTrue(actors)
        for name in actors:
            self.assertIn(name.replace("&", "&amp;"), svg)

    def test_svg_and_png_files(self):
        run("export", self.graph, "--format", "svg", "-o", self.path("g.svg"))
        run("export", self.graph, "--format", "png", "-o", self.path("g.png"))
        with open(self.path("g.svg"), encoding="utf-8") as f:
            self.assertIn("<svg", f.read())
        with open(self.path("g.png"), "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")

    def test_jsonld_to_nquads_keeps_every_actor_and_relation(self):
        from pyld import jsonld
        doc = json.loads(run("export", self.graph, "--format", "jsonld").stdout)
        nodes = doc["@graph"]
        actors = [n for n in nodes if n["@type"] not in ("Relation", "NewsArticle")]
        relations = [n for n in nodes if n["@type"] == "Relation"]
        nquads = jsonld.to_rdf(doc, {"format": "application/n-quads"})
        name = "<https://schema.org/name>"
        subject_term = "<https://w3id.org/newsgraph/vocab#subject>"
        for a in actors:
            self.assertIn(f"<{a['@id']}> {name} {json.dumps(a['name'])}", nquads)
        for r in relations:
            self.assertIn(f"<{r['@id']}> {subject_term} <{r['subject']}>", nquads)
        # Every key of every node became a statement: no term was dropped for lack of a definition.
        expanded = jsonld.expand(doc)
        for node in expanded:
            for key in node:
                self.assertTrue(key.startswith("@") or key.startswith("http"), key)

    # --- the REPL through query and stdin ------------------------------------------------------
    def test_repl_commands_on_stdin(self):
        script = "\n".join(["help", "stats", "actors", "actors person", "show Sergey Lavrov", "aliases Lavrov",
                            "why Lavrov", "neighbors \"Josep Borrell\"", "quit", "stats"]) + "\n"
        proc = run("repl", self.graph, stdin=script)
        self.assertEqual(proc.stderr, "")
        self.assert_golden("seeds.repl.txt", proc.stdout)

    def test_query_one_command(self):
        out = run("query", self.graph, "show Lavrov").stdout
        self.assertTrue(out.startswith("Sergey Lavrov (person)"))

    def test_repl_errors_keep_the_session(self):
        proc = run("query", self.graph, stdin="shwo Lavrov\nshow Nobody\nstats\n", ok=(1,))
        self.assertEqual(proc.stderr.splitlines(), [
            "error: unknown command 'shwo'; did you mean 'show'? (type 'help' for the list)",
            "error: no actor named 'Nobody' (try 'actors')"])
        self.assertIn("documents\t5", proc.stdout)


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--newsgraph", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--update", action="store_true", help="rewrite the golden files")
    ARGS, rest = ap.parse_known_args()
    unittest.main(argv=[sys.argv[0], "-v", *rest])


if __name__ == "__main__":
    main()
