#!/usr/bin/env python3
"""run_questions.py - ask kgsh the student questions and compare the answers.

Usage: run_questions.py QUESTIONS KGSH DB [--fresh] [--multiset] [--only ID] [-v]
       run_questions.py QUESTIONS --check-format

QUESTIONS holds blocks like

    ## Q01 Which services sit in the AI services layer?
    MATCH (s:Service)-[:IN_LAYER]->(:Layer {id: 'ai-services'}) RETURN s.name AS name
    = Amazon Comprehend
    = Amazon Lex

A block is a '## ID title' line, one or more query lines, and the expected
rows, one per '= ' line, columns joined by '|'. Each query is run as
`KGSH --db DB --mode csv -c QUERY`; the CSV header line is dropped and the
remaining rows, columns joined by '|', are compared with the expected rows
as a set (with --multiset, duplicates must match too). Prints PASS or FAIL
per question, with the missing and unexpected rows of a failure, then
`N passed, N failed`. --fresh deletes DB (and its -wal and -shm files)
first, so kgsh builds a new store from the bundled dataset. Exit status:
0 all passed, 1 a question failed, 2 usage or file error. --check-format
only parses QUESTIONS (every block has a query and at least one expected
row, ids are unique) and needs no kgsh.
Python 3 standard library only.
"""
import collections
import csv
import io
import subprocess
import sys


def parse_questions(path):
    """List of (id, title, query, expected rows, line) from a questions file."""
    with open(path, encoding="utf-8") as fh:
        lines = fh.read().split("\n")
    out, cur = [], None
    for n, raw in enumerate(lines, 1):
        line = raw.rstrip("\r")
        if line.startswith("## "):
            head = line[3:].strip().split(None, 1)
            cur = {"id": head[0] if head else "", "title": head[1] if len(head) > 1 else "",
                   "query": [], "expected": [], "line": n}
            out.append(cur)
        elif cur is None or not line.strip() or line.startswith("#"):
            continue
        elif line.startswith("="):
            cur["expected"].append(line[2:] if line.startswith("= ") else line[1:])
        else:
            if cur["expected"]:
                raise ValueError("%s:%d: query text after expected rows in %s" % (path, n, cur["id"]))
            cur["query"].append(line.strip())
    for q in out:
        q["query"] = " ".join(q["query"])
    return out


def check_format(path, qs):
    errors, seen = [], set()
    for q in qs:
        where = "%s:%d" % (path, q["line"])
        if not q["id"]:
            errors.append("%s: question without an id" % where)
        if q["id"] in seen:
            errors.append("%s: duplicate id %s" % (where, q["id"]))
        seen.add(q["id"])
        if not q["query"]:
            errors.append("%s: %s has no query" % (where, q["id"]))
        if not q["expected"]:
            errors.append("%s: %s has no expected rows" % (where, q["id"]))
    return errors


def run_one(kgsh, db, query):
    """Rows kgsh returns for query, each as 'a|b|c', or raise RuntimeError."""
    proc = subprocess.run([kgsh, "--db", db, "--mode", "csv", "-c", query],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    if proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip() or "exit status %d" % proc.returncode
        raise RuntimeError(msg)
    text = proc.stdout.decode("utf-8", "replace")
    rows = list(csv.reader(io.StringIO(text)))
    rows = rows[1:]  # the header line
    return ["|".join(r) for r in rows]


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("-")]
    flags = [a for a in argv[1:] if a.startswith("-")]
    only = None
    if "--only" in argv:
        i = argv.index("--only")
        if i + 1 >= len(argv):
            print(__doc__, file=sys.stderr)
            return 2
        only = argv[i + 1]
        args = [a for a in args if a != only]
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        qs = parse_questions(args[0])
    except (OSError, ValueError) as e:
        print("run_questions: %s" % e, file=sys.stderr)
        return 2
    errors = check_format(args[0], qs)
    if "--check-format" in flags:
        for e in errors:
            print("error: " + e, file=sys.stderr)
        print("%d questions, %d format error(s)" % (len(qs), len(errors)))
        return 1 if errors else 0
    if errors or len(args) != 3:
        for e in errors:
            print("error: " + e, file=sys.stderr)
        if len(args) != 3:
            print(__doc__, file=sys.stderr)
        return 2
    kgsh, db = args[1], args[2]
    if "--fresh" in flags:
        import os
        for suffix in ("", "-wal", "-shm", "-journal"):
            if os.path.exists(db + suffix):
                os.remove(db + suffix)
    multiset = "--multiset" in flags
    verbose = "-v" in flags
    passed = failed = 0
    for q in qs:
        if only and q["id"] != only:
            continue
        label = "%s %s" % (q["id"], q["title"])
        try:
            got = run_one(kgsh, db, q["query"])
        except (RuntimeError, OSError, subprocess.TimeoutExpired) as e:
            failed += 1
            print("FAIL %s\n  error: %s" % (label, str(e).replace("\n", "\n  ")))
            continue
        if multiset:
            want_c, got_c = collections.Counter(q["expected"]), collections.Counter(got)
            missing = sorted((want_c - got_c).elements())
            extra = sorted((got_c - want_c).elements())
        else:
            missing = sorted(set(q["expected"]) - set(got))
            extra = sorted(set(got) - set(q["expected"]))
        if missing or extra:
            failed += 1
            print("FAIL %s" % label)
            for r in missing:
                print("  missing:    %s" % r)
            for r in extra:
                print("  unexpected: %s" % r)
            if verbose:
                print("  query: %s" % q["query"])
        else:
            passed += 1
            print("PASS %s" % label)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
