#!/usr/bin/env python3
"""kill -9 of the real newsgraph binary while it builds or saves a graph (issue 9): the graph file
it replaces must stay byte for byte what it was, and load.

Graph files are written to a temporary file beside the target, synced, then renamed over it. The
test kills `build` in mid-extraction and, by watching the folder for the temporary file, in
mid-write (newsgraph pauses before the rename when NEWSGRAPH_TEST_PAUSE_BEFORE_RENAME_MS says so,
so that the kill lands there on any machine); the REPL's `save` the same way. A leftover temporary
file must not stop a later build.
"""
import argparse
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

ARGS = None


def newsgraph(*args, ok=(0,), stdin=None):
    proc = subprocess.run([ARGS.newsgraph, "-q", *args], input=stdin, capture_output=True, text=True,
                          env={**os.environ, "NEWSGRAPH_DATA": ARGS.source})
    if proc.returncode not in ok:
        raise AssertionError(f"newsgraph {' '.join(args)} exited {proc.returncode}:\n{proc.stderr}")
    return proc


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def start(*args, stdin=None, pause_before_rename=False):
    """Starts newsgraph; with pause_before_rename it waits a minute between writing its temporary
    graph file and renaming it (graph_file.cpp's fault injection), so that a kill lands in mid-write
    however loaded the machine is."""
    env = {**os.environ, "NEWSGRAPH_DATA": ARGS.source}
    if pause_before_rename:
        env["NEWSGRAPH_TEST_PAUSE_BEFORE_RENAME_MS"] = "60000"
    return subprocess.Popen([ARGS.newsgraph, "-q", *args], stdin=stdin, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=env)


def temporaries(graph):
    """The temporary files a save of `graph` writes (graph.tmp.PID)."""
    folder, name = os.path.split(graph)
    return [f for f in os.listdir(folder) if f.startswith(name + ".tmp.")]


def nice_of(pid):
    """The nice value of process `pid` (field 19 of /proc/PID/stat)."""
    with open(f"/proc/{pid}/stat") as f:
        return int(f.read().rsplit(")", 1)[1].split()[16])


def kill_when_writing(proc, graph, before, timeout=300, seen=None):
    """Kills proc (SIGKILL) as soon as a temporary graph file not in `before` appears; True if it
    was caught writing (the temporary file still there after the kill: no rename yet). `seen`, if
    given, is called with the new temporary files' names before the kill."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if new := set(temporaries(graph)) - before:
            if seen:
                seen(new)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return bool(set(temporaries(graph)) - before)
        if proc.poll() is not None:
            return False
    proc.kill()
    proc.wait()
    raise AssertionError("newsgraph neither wrote its graph nor ended in time")


class KillTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="newsgraph-kill-")
        # A corpus big enough that a build runs for a while: the seed articles, many times over.
        cls.corpus = os.path.join(cls.tmp, "corpus")
        os.makedirs(cls.corpus)
        examples = os.path.join(ARGS.source, "examples")
        for copy in range(ARGS.copies):
            for name in sorted(os.listdir(examples)):
                shutil.copyfile(os.path.join(examples, name), os.path.join(cls.corpus, f"c{copy:03}_{name}"))
        # The graph the killed runs must not destroy: small and quick to build.
        cls.previous = os.path.join(cls.tmp, "previous.ngraph")
        newsgraph("build", os.path.join(ARGS.source, "tests", "data", "repl"), "-o", cls.previous)
        # A big graph for the REPL to save.
        cls.big = os.path.join(cls.tmp, "big.ngraph")
        started = time.monotonic()
        newsgraph("build", cls.corpus, "-o", cls.big)
        cls.build_seconds = time.monotonic() - started

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def assert_intact(self, graph, expected_digest):
        self.assertEqual(digest(graph), expected_digest, f"{graph} changed")
        self.assertIn("documents\t", newsgraph("query", graph, "stats").stdout)

    def assert_saved_unhindered(self, graph, previous_digest, script):
        """The REPL given `script` (which changes the graph and saves) replaces the file whole."""
        proc = start("repl", graph, stdin=subprocess.PIPE)
        proc.communicate(script, timeout=300)
        self.assertEqual(proc.returncode, 0)
        self.assertNotEqual(digest(graph), previous_digest)
        self.assertIn("documents\t", newsgraph("query", graph, "stats").stdout)

    def test_kill_during_build_keeps_the_previous_graph(self):
        graph = os.path.join(self.tmp, "build.ngraph")
        shutil.copyfile(self.previous, graph)
        before = digest(graph)
        # In mid-extraction, at a few moments of a build as long as the one of setUpClass.
        for fraction in (0.05, 0.3, 0.6):
            delay = fraction * self.build_seconds
            with self.subTest(delay=delay):
                proc = start("build", self.corpus, "-o", graph)
                time.sleep(delay)
                self.assertIsNone(proc.poll(), "the build ended before the kill: make the corpus bigger (--copies)")
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                self.assert_intact(graph, before)
        # In mid-write: -o and --into.
        for args in (["build", self.corpus, "-o", graph], ["build", "--into", graph, self.corpus]):
            with self.subTest(args=args[:2]):
                leftovers = set(temporaries(graph))
                caught = kill_when_writing(start(*args, pause_before_rename=True), graph, leftovers)
                self.assertTrue(caught, "the kill came after the rename")
                self.assert_intact(graph, before)
        # What the killed runs left behind does not get in the way of the next build.
        self.assertTrue(temporaries(graph))
        newsgraph("build", self.corpus, "-o", graph)
        self.assertNotEqual(digest(graph), before)
        self.assertIn("documents\t", newsgraph("query", graph, "stats").stdout)

    def test_kill_during_repl_save_keeps_the_previous_graph(self):
        graph = os.path.join(self.tmp, "repl.ngraph")
        shutil.copyfile(self.big, graph)
        before = digest(graph)
        leftovers = set(temporaries(graph))
        proc = start("repl", graph, stdin=subprocess.PIPE, pause_before_rename=True)
        proc.stdin.write(b"merge Lavrov Borrell\nsave\n")
        proc.stdin.close()  # the REPL ends after the save, unless killed in it
        self.assertTrue(kill_when_writing(proc, graph, leftovers), "the kill came after the rename")
        self.assert_intact(graph, before)
        # Unhindered, the same save replaces the file with the merged graph, whole.
        self.assert_saved_unhindered(graph, before, b"merge Lavrov Borrell\nsave\n")

    def test_kill_during_background_save_kills_the_writer(self):
        """`save` in background mode (the default at a terminal) writes in a child process; kill -9
        of the REPL must take the child with it before its rename (PR_SET_PDEATHSIG)."""
        graph = os.path.join(self.tmp, "background.ngraph")
        shutil.copyfile(self.big, graph)
        before = digest(graph)
        leftovers = set(temporaries(graph))
        proc = start("repl", graph, stdin=subprocess.PIPE, pause_before_rename=True)
        # Standard input stays open: the REPL is waiting for the next command, not for the save.
        proc.stdin.write(b".background on\nmerge Lavrov Borrell\nsave\n")
        proc.stdin.flush()
        # The writer runs at a lower priority (nice 10) than the REPL, whose commands come first.
        writer_nice = []
        seen = lambda files: writer_nice.extend(nice_of(int(f.rsplit(".", 1)[1])) for f in files)
        self.assertTrue(kill_when_writing(proc, graph, leftovers, seen=seen), "the kill came after the rename")
        self.assertEqual(writer_nice, [10])
        proc.stdin.close()
        writers = [int(f.rsplit(".", 1)[1]) for f in set(temporaries(graph)) - leftovers]
        self.assertEqual(len(writers), 1)
        self.assertNotEqual(writers[0], proc.pid, "the save did not run in a child process")
        deadline = time.monotonic() + 30
        while alive(writers[0]) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertFalse(alive(writers[0]), "the writer outlived the REPL")
        self.assert_intact(graph, before)
        # Unhindered, the REPL waits for the background save at the end of its input.
        self.assert_saved_unhindered(graph, before, b".background on\nmerge Lavrov Borrell\nsave\n")


def alive(pid):
    """Whether process `pid` still runs (a zombie waiting for its new parent to reap it does not)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            return not any(line.startswith("State:") and "Z" in line.split()[1] for line in f)
    except FileNotFoundError:
        return False


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--newsgraph", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--copies", type=int, default=60, help="copies of examples/ in the corpus the builds read")
    ARGS, rest = ap.parse_known_args()
    unittest.main(argv=[sys.argv[0], "-v", *rest])


if __name__ == "__main__":
    main()
