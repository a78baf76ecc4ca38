#!/usr/bin/env python3
"""The REPL at a real terminal: a pseudo-terminal from tmux, keys sent as a person types them.

Checks what only a terminal shows: the prompt, Tab completion (commands, flag values, actor names of
several words, quoted names), the history file (written as lines are entered, read back by the next
session, recalled with the Up arrow), and that an error keeps the session alive.

tmux runs on a private socket (-L), so the test never touches a user's tmux server; the server it
starts is killed at the end by that socket only.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

ARGS = None
PROMPT = "newsgraph> "


class Terminal:
    def __init__(self, socket, command, env):
        self.socket = socket
        self.name = "repl"
        exports = " ".join(f"{k}='{v}'" for k, v in env.items())
        self.tmux("new-session", "-d", "-s", self.name, "-x", "160", "-y", "50", f"env {exports} {command}")

    def tmux(self, *args, check=True):
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=check).stdout

    def screen(self):
        return self.tmux("capture-pane", "-p", "-t", self.name, "-S", "-200", check=False)

    def keys(self, *keys):
        self.tmux("send-keys", "-t", self.name, *keys)

    def type(self, text):
        self.tmux("send-keys", "-t", self.name, "-l", text)

    def wait_for(self, predicate, what, timeout=20.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if predicate(screen):
                return screen
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what}; the terminal shows:\n{self.screen()}")

    def wait_text(self, text, timeout=20.0):
        return self.wait_for(lambda s: text in s, repr(text), timeout)

    def current_line(self):
        lines = [l for l in self.screen().rstrip("\n").splitlines() if l.strip()]
        return lines[-1] if lines else ""

    def wait_line(self, expected, timeout=20.0):
        """Waits until the line being edited reads `expected` (trailing spaces ignored)."""
        return self.wait_for(lambda s: self.current_line().rstrip() == expected.rstrip(), f"line {expected!r}", timeout)

    def alive(self):
        return subprocess.run(["tmux", "-L", self.socket, "has-session", "-t", self.name], capture_output=True).returncode == 0


class ReplPtyTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not shutil.which("tmux"):
            raise unittest.SkipTest("tmux is not installed (scripts/install-deps.sh installs it)")
        cls.tmp = tempfile.mkdtemp(prefix="newsgraph-pty-")
        cls.graph = os.path.join(cls.tmp, "repl.ngraph")
        proc = subprocess.run([ARGS.newsgraph, "build", os.path.join(ARGS.source, "tests", "data", "repl"), "-o", cls.graph],
                              capture_output=True, text=True, env={**os.environ, "NEWSGRAPH_DATA": ARGS.source})
        if proc.returncode != 0:
            raise AssertionError(f"newsgraph build tests/data/repl failed:\n{proc.stderr}")
        cls.history = os.path.join(cls.tmp, "history")
        cls.socket = f"newsgraph-test-{os.getpid()}"

    @classmethod
    def tearDownClass(cls):
        subprocess.run(["tmux", "-L", cls.socket, "kill-server"], capture_output=True)
        shutil.rmtree(cls.tmp)

    def start(self):
        term = Terminal(self.socket, f"{ARGS.newsgraph} repl {self.graph}",
                        {"NEWSGRAPH_HISTORY": self.history, "NEWSGRAPH_DATA": ARGS.source, "TERM": "xterm"})
        term.wait_text(PROMPT.rstrip())  # capture-pane drops trailing spaces
        self.addCleanup(lambda: term.tmux("kill-session", "-t", term.name, check=False))
        return term

    def run_and_wait(self, term, expected_output):
        """Enter, then wait for one more occurrence of the expected text and for the next prompt."""
        before = term.screen().count(expected_output)
        term.keys("Enter")
        term.wait_for(lambda s: s.count(expected_output) > before and s.rstrip().endswith(PROMPT.rstrip()),
                      f"{expected_output!r} and the next prompt", timeout=20)

    def test_1_completion_and_commands(self):
        term = self.start()
        self.assertIn("newsgraph: 2 documents, 16 actors. Type 'help' for commands, Tab to complete.", term.screen())

        # A command name, then a name of several words typed in lower case.
        term.type("sh")
        term.keys("Tab")
        term.wait_line(PROMPT + "show")
        term.type("sergey l")
        term.keys("Tab")
        term.wait_line(PROMPT + "show sergey Lavrov")
        self.run_and_wait(term, "Sergey Lavrov (person)")

        # Two names: the completion quotes a name of several words, and completes inside quotes.
        term.type("path Antony")
        term.keys("Tab")
        term.wait_line(PROMPT + 'path "Antony Blinken"')
        term.type('"Sergey L')
        term.keys("Tab")
        term.wait_line(PROMPT + 'path "Antony Blinken" "Sergey Lavrov"')
        self.run_and_wait(term, "    a_meetings: Josep Borrell replied to Sergey Lavrov.")

        # The words after a flag: its values, then names again.
        term.type("actors --by p")
        term.keys("Tab")
        term.wait_line(PROMPT + "actors --by pagerank")
        term.keys("C-u")
        term.type("neighbors --relation acc")
        term.keys("Tab")
        term.wait_line(PROMPT + "neighbors --relation accuse")
        term.type("Olaf")
        term.keys("Tab")
        term.wait_line(PROMPT + "neighbors --relation accuse Olaf Scholz")
        self.run_and_wait(term, "Russia")

        # Several candidates: a second Tab lists them.
        term.type("show Jo")
        before = term.screen().count("Josep Borrell")
        term.keys("Tab")
        term.keys("Tab")
        term.wait_for(lambda s: "Joe Biden" in s and s.count("Josep Borrell") > before, "the two candidates listed")
        term.keys("C-u")

        # An error is one line and the session goes on; a pattern prints a table.
        term.type("shwo Lavrov")
        self.run_and_wait(term, "error: unknown command 'shwo'; did you mean 'show'?")
        term.type('?x "replied to" lavrow')
        self.run_and_wait(term, "Josep Borrell")
        term.type("quit")
        term.keys("Enter")
        deadline = time.monotonic() + 5
        while term.alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertFalse(term.alive(), "quit did not end the REPL")

        # libedit's format: a "_HiStOrY_V2_" line, then one entry per line with strvis(3) octal escapes.
        with open(self.history, encoding="utf-8") as f:
            raw = f.read().splitlines()
        self.assertEqual(raw[0], "_HiStOrY_V2_")
        history = [re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), l).rstrip() for l in raw[1:]]
        for line in ("show sergey Lavrov", 'path "Antony Blinken" "Sergey Lavrov"', "shwo Lavrov",
                     '?x "replied to" lavrow', "quit"):
            self.assertIn(line, history)

    def test_2_history_is_read_back(self):
        if not os.path.exists(self.history):
            self.skipTest("needs the history written by test_1")
        term = self.start()
        # Up goes to "quit", again to the pattern, a third time to "shwo Lavrov".
        term.keys("Up")
        term.wait_line(PROMPT + "quit")
        term.keys("Up")
        term.wait_line(PROMPT + '?x "replied to" lavrow')
        term.keys("Enter")
        term.wait_for(lambda s: s.count("Josep Borrell") >= 1 and s.rstrip().endswith(PROMPT.rstrip()), "the pattern's result")
        term.keys("C-d")  # Ctrl-D on an empty line leaves too
        deadline = time.monotonic() + 5
        while term.alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertFalse(term.alive(), "Ctrl-D did not end the REPL")

    def test_3_save_in_the_background(self):
        # At a terminal `save` returns at once and its end is reported before a later prompt.
        term = self.start()
        term.type(".background")
        self.run_and_wait(term, "background on")
        term.type("save")
        term.keys("Enter")
        term.wait_for(lambda s: re.search(rf"saving {re.escape(self.graph)} in the background \(pid \d+\)", s),
                      "the background line")
        deadline = time.monotonic() + 60
        while f"saved {self.graph}" not in term.screen():  # reported after the next command
            self.assertLess(time.monotonic(), deadline, f"no 'saved' line; the terminal shows:\n{term.screen()}")
            term.keys("Enter")
            time.sleep(0.2)
        self.assertIn("documents\t2", subprocess.run([ARGS.newsgraph, "query", self.graph, "stats"], capture_output=True,
                                                      text=True, env={**os.environ, "NEWSGRAPH_DATA": ARGS.source}).stdout)
        term.keys("C-d")


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--newsgraph", required=True)
    ap.add_argument("--source", required=True)
    ARGS, rest = ap.parse_known_args()
    unittest.main(argv=[sys.argv[0], "-v", *rest])


if __name__ == "__main__":
    main()
