#!/usr/bin/env python3
"""pty_test.py - kgsh on a real terminal: python3 pty_test.py KGSH CASE.

The transcript tests (run_test.sh) cover everything that shows through a
pipe; these cover what only a terminal shows: completion, history across
restarts, multi-line input with its prompts, Ctrl-C during a query and at
the prompt, Ctrl-D, colour and NO_COLOR, the pager. Each case runs kgsh
inside a private tmux server (its own socket), types with send-keys and
reads the screen with capture-pane, against a real git repository and a
real store synced by the real binary. A case fails with the screen it saw.
"""
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

NOTES = {
    "notes/SageMaker.md": """---
kind: [Service, Managed]
aliases: [SM]
launched: 2017-11-29
links:
  in_layer: ml-services
---
Amazon SageMaker is a managed ML platform. See [[Studio]].
""",
    "notes/Studio.md": """---
id: studio
kind: Service
name: SageMaker Studio
links:
  part_of: SageMaker
---
A web IDE.
""",
    "notes/ml-services.md": """---
kind: Layer
name: ML Services
---
The middle layer.
""",
}


class Failure(Exception):
    pass


class Term:
    """kgsh in a tmux pane of a private server."""

    def __init__(self, fx, args="", env=None, width=100, height=30):
        self.sock = "kgsh-pty-%d-%d" % (os.getpid(), id(self))
        envs = dict(fx.env)
        envs.update(env or {})
        exports = " ".join("%s=%s" % (k, shlex.quote(v)) for k, v in envs.items())
        unset = "unset NO_COLOR;" if "NO_COLOR" not in envs else ""
        # bash with job control (set -m) gives kgsh its own process group,
        # as an interactive shell would: Ctrl-C then reaches kgsh only
        cmd = "set -m; %s cd %s && env %s %s --db %s %s; echo EXIT=$?; sleep 600" % (
            unset, shlex.quote(fx.tmp), exports, shlex.quote(fx.kgsh),
            shlex.quote(fx.db), args)
        subprocess.run(["tmux", "-L", self.sock, "-f", "/dev/null",
                        "new-session", "-d", "-x", str(width), "-y",
                        str(height), "bash", "--norc", "--noprofile", "-c",
                        cmd], check=True)

    def keys(self, *keys):
        subprocess.run(["tmux", "-L", self.sock, "send-keys"] + list(keys),
                       check=True)

    def type(self, text):
        # tmux reads an argument ending in ';' as a command separator
        if text.endswith(";"):
            text = text[:-1] + "\\;"
        subprocess.run(["tmux", "-L", self.sock, "send-keys", "-l", text],
                       check=True)

    def enter(self, text, expect=None, timeout=30.0):
        """Type a line, press Enter, and wait for expect when given."""
        self.type(text)
        self.keys("Enter")
        if expect is not None:
            return self.wait(expect, timeout)
        return None

    def screen(self, escapes=False):
        cmd = ["tmux", "-L", self.sock, "capture-pane", "-p", "-J"]
        if escapes:
            cmd.append("-e")
        return subprocess.run(cmd, check=True, capture_output=True,
                              text=True).stdout

    def wait(self, pattern, timeout=30.0, escapes=False):
        """Wait until the screen matches pattern (a regex, multiline). The
        default is generous: a loaded CI machine under a sanitizer can take
        seconds to start kgsh, and a match returns at once anyway."""
        end = time.time() + timeout
        while True:
            s = self.screen(escapes)
            m = re.search(pattern, s, re.M)
            if m:
                return m
            if time.time() > end:
                raise Failure("timed out waiting for %r; the screen:\n%s"
                              % (pattern, s))
            time.sleep(0.05)

    def last_line(self):
        lines = [l for l in self.screen().split("\n") if l.strip()]
        return lines[-1] if lines else ""

    def close(self):
        subprocess.run(["tmux", "-L", self.sock, "kill-server"],
                       capture_output=True)


class Fixture:
    def __init__(self, kgsh):
        self.kgsh = os.path.abspath(kgsh)
        self.tmp = tempfile.mkdtemp(prefix="kgsh-pty.")
        self.repo = os.path.join(self.tmp, "repo")
        self.db = os.path.join(self.tmp, "test.db")
        home = os.path.join(self.tmp, "home")
        self.env = {
            "HOME": home,
            "XDG_DATA_HOME": home + "/data",
            "XDG_STATE_HOME": home + "/state",
            "XDG_CACHE_HOME": home + "/cache",
            "TERM": "xterm-256color",
            "TZ": "UTC",
            "LC_ALL": "C.UTF-8",
            "PAGER": "",
            "KGSH_DATASET_REPO": self.repo,
            "KGSH_DATASET_SUBDIR": "",
        }
        os.makedirs(home)
        genv = dict(os.environ, GIT_CONFIG_NOSYSTEM="1",
                    GIT_CONFIG_GLOBAL="/dev/null",
                    GIT_AUTHOR_NAME="Test Author",
                    GIT_AUTHOR_EMAIL="test@example.com",
                    GIT_COMMITTER_NAME="Test Author",
                    GIT_COMMITTER_EMAIL="test@example.com",
                    GIT_AUTHOR_DATE="2024-01-01 12:00:00 +0000",
                    GIT_COMMITTER_DATE="2024-01-01 12:00:00 +0000")
        subprocess.run(["git", "init", "-q", "-b", "main", self.repo],
                       check=True, env=genv)
        for path, text in NOTES.items():
            full = os.path.join(self.repo, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w") as f:
                f.write(text)
        subprocess.run(["git", "add", "-A"], cwd=self.repo, check=True,
                       env=genv)
        subprocess.run(["git", "commit", "-q", "-m", "notes"], cwd=self.repo,
                       check=True, env=genv)
        env = dict(os.environ, **self.env)
        subprocess.run([self.kgsh, "--db", self.db, "--dataset", self.repo,
                        "sync"], check=True, env=env, capture_output=True)

    def term(self, args="", env=None, width=100, height=30):
        return Term(self, args, env, width, height)

    def close(self):
        shutil.rmtree(self.tmp, ignore_errors=True)


PROMPT = r"kgsh> "


def completes(t, typed, expect):
    """Type typed, press Tab, expect the line to read expect; then clear."""
    t.type(typed)
    t.keys("Tab")
    t.wait(r"^kgsh> " + re.escape(expect) + r"$")
    t.keys("C-c")
    t.wait(r"^kgsh> $")


def case_completion(fx):
    with open(os.path.join(fx.tmp, "script.cypher"), "w") as f:
        f.write("RETURN 1;\n")
    t = fx.term()
    try:
        t.wait(PROMPT)
        completes(t, ".mo", ".mode ")
        completes(t, ".mode js", ".mode json")          # json, jsonl
        completes(t, ".mode ma", ".mode markdown ")
        completes(t, ".hea", ".headers ")
        completes(t, ".headers o", ".headers o")          # on, off
        completes(t, ".show stu", ".show studio ")
        completes(t, ".read scr", ".read script.cypher")
        completes(t, "MATCH (n:Ser", "MATCH (n:Service")
        completes(t, "MATCH (:La", "MATCH (:Layer")
        completes(t, "MATCH ()-[r:PA", "MATCH ()-[r:PART_OF")
        completes(t, "MATCH ()-[:PART_OF|IN_", "MATCH ()-[:PART_OF|IN_LAYER")
        completes(t, "MATCH (n) WHERE n.lau", "MATCH (n) WHERE n.launched")
        completes(t, "MATCH (n {name: 'SageMaker St",
                  "MATCH (n {name: 'SageMaker Studio'")
        completes(t, "MATCH (n) RET", "MATCH (n) RETURN ")
        completes(t, "match (n) ret", "match (n) return ")
        # two candidates: a second Tab lists them
        t.type(".mode js")
        t.keys("Tab", "Tab")
        t.wait(r"json\s+jsonl")
    finally:
        t.close()


def case_history(fx):
    t = fx.term()
    try:
        t.wait(PROMPT)
        t.enter(".mode json")
        t.enter(".timer on", r"^kgsh> \.timer on\nkgsh> $")
        t.keys("C-d")
        t.wait(r"EXIT=0")
    finally:
        t.close()
    hist = os.path.join(fx.env["XDG_STATE_HOME"], "kgsh")
    files = os.listdir(hist) if os.path.isdir(hist) else []
    if not any(f.startswith("test.") and f.endswith(".history") for f in files):
        raise Failure("no history file for dataset 'test' in %s: %s"
                      % (hist, files))
    t = fx.term()
    try:
        t.wait(PROMPT)
        t.keys("Up")
        t.wait(r"^kgsh> \.timer on$")
        t.keys("Up")
        t.wait(r"^kgsh> \.mode json$")
        t.keys("C-c")
        t.wait(r"^kgsh> $")
        t.keys("C-r")
        t.type("mode")
        t.wait(r"\.mode json")
    finally:
        t.close()


def case_multiline(fx):
    t = fx.term()
    try:
        t.wait(PROMPT)
        t.enter("RETURN", r"^ *\.\.\.> $")
        t.enter("1 AS x;", r"│ x │")
        t.wait(r"1 row")
        t.enter("RETURN 'open", r"^ *\.\.\.'> $")
        t.enter("quote' AS s;", r"open\\nquote")
        t.enter("RETURN 1 AS a; RETURN 2 AS b;", r"│ a │(.|\n)*│ 1 │(.|\n)*│ b │(.|\n)*│ 2 │")
        # a statement that lacks only its ';' runs on an empty line
        t.enter("RETURN 42 AS answer", r"^ *\.\.\.> $")
        t.keys("Enter")
        t.wait(r"│ +42 │")
        # a dot-command at the continuation prompt is part of the text;
        # Ctrl-C drops the unfinished statement
        t.type("MATCH (n")
        t.keys("Enter")
        t.wait(r"^ *\.\.\.\(> $")
        t.keys("C-c")
        t.wait(r"^kgsh> $")
    finally:
        t.close()


def case_interrupt(fx):
    t = fx.term()
    try:
        t.wait(PROMPT)
        t.type("UNWIND range(1, 100000) AS x UNWIND range(1, 100000) AS y "
               "WITH x WHERE x < 0 RETURN count(x);")
        t.keys("Enter")
        time.sleep(0.5)
        start = time.time()
        t.keys("C-c")
        t.wait(r"Interrupted\.\nkgsh> $", timeout=10)
        if time.time() - start > 3:
            raise Failure("Ctrl-C took %.1f s" % (time.time() - start))
        # the shell is still alive and answers
        t.enter("RETURN 7 AS seven;", r"│ +7 │")
        # Ctrl-C at the prompt clears the line and stays
        t.type("MATCH (n) RETURN n")
        t.keys("C-c")
        t.wait(r"\^C\nkgsh> $")
    finally:
        t.close()


def case_script_interrupt(fx):
    """SIGINT in a script stops the query and the rest of the script."""
    import signal
    env = dict(os.environ, **fx.env)
    p = subprocess.Popen([fx.kgsh, "--db", fx.db], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         env=env)
    p.stdin.write(b"RETURN 1 AS a;\n"
                  b"UNWIND range(1, 100000) AS x UNWIND range(1, 100000) AS y "
                  b"WITH x WHERE x < 0 RETURN count(x);\n"
                  b"RETURN 3 AS c;\n")
    p.stdin.flush()
    time.sleep(1.0)
    p.send_signal(signal.SIGINT)
    out = p.communicate(timeout=10)[0].decode()
    if out != "a\n1\ncount(x)\nInterrupted.\n" or p.returncode != 1:
        raise Failure("exit %d, output %r" % (p.returncode, out))


def case_versions(fx):
    """.sync takes a new commit; .at shows an older version in the prompt."""
    t = fx.term()
    try:
        t.wait(PROMPT)
        with open(os.path.join(fx.repo, "notes", "new.md"), "w") as f:
            f.write("---\nkind: Layer\n---\nNew.\n")
        genv = dict(os.environ, GIT_CONFIG_NOSYSTEM="1",
                    GIT_CONFIG_GLOBAL="/dev/null",
                    GIT_AUTHOR_NAME="Test Author",
                    GIT_AUTHOR_EMAIL="test@example.com",
                    GIT_COMMITTER_NAME="Test Author",
                    GIT_COMMITTER_EMAIL="test@example.com")
        subprocess.run(["git", "add", "-A"], cwd=fx.repo, check=True, env=genv)
        subprocess.run(["git", "commit", "-q", "-m", "new"], cwd=fx.repo,
                       check=True, env=genv)
        t.enter(".sync", r"Synced version 2 \(commit [0-9a-f]{7}\): 1 file parsed")
        t.enter(".at #1")
        t.wait(r"Now at version 1 .*'\.at latest' returns to the newest\.\n"
               r"kgsh@v1> $")
        t.enter("MATCH (n) RETURN count(n) AS n;", r"│ 3 │")
        t.enter(".at latest", r"the latest\.\nkgsh> $")
    finally:
        t.close()


def case_nocolor(fx):
    t = fx.term()
    try:
        t.wait(PROMPT)
        t.enter(".schema", r"└")
        s = t.screen(escapes=True)
        if "\x1b[1m" not in s:
            raise Failure("no bold header on a colour terminal:\n" + s)
    finally:
        t.close()
    t = fx.term(env={"NO_COLOR": "1"})
    try:
        t.wait(PROMPT)
        t.enter(".schema", r"└")
        s = t.screen(escapes=True)
        if re.search(r"\x1b\[[0-9;]*[1-9][0-9;]*m", s):
            raise Failure("colour despite NO_COLOR:\n" + repr(s))
    finally:
        t.close()


def case_pager(fx):
    log = os.path.join(fx.tmp, "paged.txt")
    count = os.path.join(fx.tmp, "pages.txt")
    pager = "cat > %s; echo x >> %s; echo PAGED-BY-TEST" % (
        shlex.quote(log), shlex.quote(count))

    def pages():
        with open(count) as f:
            return len(f.readlines())

    t = fx.term(env={"PAGER": pager}, height=12)
    try:
        t.wait(PROMPT)
        t.enter(".help", r"PAGED-BY-TEST\nkgsh> $")
        with open(log) as f:
            if ".timer on|off" not in f.read():
                raise Failure("the pager did not get the help text")
        t.enter(".pager off")
        t.enter(".help", r"tells more about one command\.\nkgsh> $")
        if pages() != 1:
            raise Failure(".pager off still paged")
        # a result that fits the screen is not paged
        t.enter(".pager on")
        t.enter(".help at", r"returns to the newest version\.(.|\n)*kgsh> $")
        if pages() != 1:
            raise Failure("a short result went to the pager")
    finally:
        t.close()


def case_render(fx):
    """Box tables fit the terminal: cut with an ellipsis, head and tail."""
    with open(os.path.join(fx.env["HOME"], ".kgshrc"), "w") as f:
        f.write(".timer on\n")
    t = fx.term(width=60, height=60)
    try:
        t.wait(PROMPT)
        t.type("UNWIND range(1, 100) AS x RETURN x, 'a long text that "
               "cannot fit in sixty columns of this terminal' AS t;")
        t.keys("Enter")
        m = t.wait(r"100 rows \(40 shown\) \([0-9.]+ ms\)")
        screen = t.screen()
        for line in screen.split("\n"):
            if line[:1] in "┌│├└" and len(line) > 60:
                raise Failure("a line wider than the terminal: %r" % line)
        if "…" not in screen or "⋮" not in screen:
            raise Failure("no ellipsis or no row gap:\n" + screen)
        if not re.search(r"│ +20 │", screen) or not re.search(r"│ +81 │", screen):
            raise Failure("the head or the tail is missing:\n" + screen)
        if re.search(r"│ +21 │", screen):
            raise Failure("row 21 shown with .maxrows 40:\n" + screen)
    finally:
        t.close()


def case_eof(fx):
    t = fx.term()
    try:
        t.wait(PROMPT)
        # the start-up line: dataset, version, commit, counts, help
        t.wait(r"kgsh 0\.1\.0 - test, version 1 \(commit [0-9a-f]{7}, "
               r"2024-01-01 12:00\): 3 nodes, 3 edges\.")
        t.wait(r"\.help")
        t.type("RETURN")
        t.keys("C-d")        # not empty: deletes, does not leave
        time.sleep(0.3)
        if "EXIT=" in t.screen():
            raise Failure("Ctrl-D on a non-empty line left the shell")
        t.keys("C-c")
        t.wait(r"^kgsh> $")
        t.keys("C-d")
        t.wait(r"EXIT=0")
    finally:
        t.close()


CASES = {name[5:]: fn for name, fn in globals().items()
         if name.startswith("case_")}


def main():
    if len(sys.argv) != 3 or sys.argv[2] not in CASES:
        print("usage: pty_test.py KGSH CASE  (cases: %s)"
              % ", ".join(sorted(CASES)), file=sys.stderr)
        return 2
    fx = Fixture(sys.argv[1])
    try:
        CASES[sys.argv[2]](fx)
    except Failure as e:
        print("FAIL %s: %s" % (sys.argv[2], e))
        return 1
    finally:
        fx.close()
    print("ok %s" % sys.argv[2])
    return 0


if __name__ == "__main__":
    sys.exit(main())
