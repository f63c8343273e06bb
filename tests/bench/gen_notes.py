#!/usr/bin/env python3
"""gen_notes.py - generate benchmark repositories for kgsh sync.

  gen_notes.py notes N REPO [--per-dir K] [--seed S]
      A bare repository REPO with N notes (about 1 KB each, about 5 links
      each: 3 in the front matter, 2 wiki-links in the body), K notes per
      folder (default 1000), in two commits on main:
        c1 (tag c1): all N notes;
        c2 (tag c2): c1 with one note's body changed.
      Syncing c1 then c2 (or back) is an incremental sync of one note.

  gen_notes.py edges M REPO [--nodes K] [--seed S]
      A bare repository REPO holding tables/edges.csv: M edges in the Neptune
      openCypher format (:START_ID,:END_ID,:TYPE,weight:Int) over K node ids
      (default M / 10). The same file is written next to the repository as
      REPO.csv for the sqlite3 baseline.

The repositories are written with `git fast-import`, so no work tree of
100,000 files is ever created. Output is deterministic for a given seed.
"""
import argparse
import os
import random
import subprocess
import sys

WORDS = ("model training inference pipeline feature store endpoint tuning "
         "dataset label batch stream latency throughput accuracy drift "
         "monitor deploy notebook cluster container registry algorithm "
         "regression classification embedding vector token prompt").split()
KINDS = ("Service", "Concept", "Algorithm", "Framework", "Component")
RELS = ("related", "uses", "part_of", "depends_on")
EPOCH = 1700000000


def note_path(i, per_dir):
    return "notes/d%04d/note-%06d.md" % (i // per_dir, i)


def note_text(i, n, rnd, edition=0):
    """About 1 KB: front matter with 3 links, a body with 2 wiki-links."""
    targets = rnd.sample(range(n), min(5, n - 1) if n > 1 else 0)
    targets = [t for t in targets if t != i][:5]
    fm_links = targets[:3]
    body_links = targets[3:5]
    lines = [
        "---",
        "id: note-%06d" % i,
        "kind: %s" % KINDS[i % len(KINDS)],
        "name: Note %d" % i,
        "aliases: [n%d]" % i,
        "weight: %d" % rnd.randint(1, 1000),
        "created: 2024-%02d-%02d" % (1 + i % 12, 1 + i % 28),
        "links:",
    ]
    for k, t in enumerate(fm_links):
        lines.append("  %s: note-%06d" % (RELS[k % len(RELS)], t))
    lines.append("---")
    words = [WORDS[rnd.randrange(len(WORDS))] for _ in range(120)]
    for k, t in enumerate(body_links):
        words.insert(20 + 40 * k, "[[note-%06d]]" % t)
    if edition:
        words.insert(0, "Edition %d." % edition)
    body = []
    for k in range(0, len(words), 12):
        body.append(" ".join(words[k:k + 12]))
    lines.append("# Note %d" % i)
    lines.append("")
    lines.extend(body)
    return ("\n".join(lines) + "\n").encode()


def data(out, payload):
    out.write(b"data %d\n" % len(payload))
    out.write(payload)
    out.write(b"\n")


def commit(out, ref, mark, msg, when, parent=None):
    out.write(b"commit %s\nmark :%d\n" % (ref.encode(), mark))
    who = b"Bench <bench@example.com> %d +0000\n" % when
    out.write(b"author " + who + b"committer " + who)
    data(out, msg.encode())
    if parent:
        out.write(b"from %s\n" % parent.encode())


def fast_import(repo, write):
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", repo],
                   check=True)
    p = subprocess.Popen(["git", "-C", repo, "fast-import", "--quiet"],
                         stdin=subprocess.PIPE)
    write(p.stdin)
    p.stdin.close()
    if p.wait() != 0:
        sys.exit("git fast-import failed")


def gen_notes(args):
    rnd = random.Random(args.seed)
    n, per_dir = args.count, args.per_dir

    def write(out):
        for i in range(n):
            out.write(b"blob\nmark :%d\n" % (i + 1))
            data(out, note_text(i, n, rnd))
        commit(out, "refs/heads/main", n + 1, "c1: %d notes\n" % n, EPOCH)
        for i in range(n):
            out.write(b"M 100644 :%d %s\n" % (i + 1,
                                               note_path(i, per_dir).encode()))
        out.write(b"\n")
        out.write(b"reset refs/tags/c1\nfrom :%d\n\n" % (n + 1))
        changed = n // 2
        commit(out, "refs/heads/main", n + 2, "c2: edit one note\n",
               EPOCH + 60, ":%d" % (n + 1))
        out.write(b"M 100644 inline %s\n" % note_path(changed, per_dir).encode())
        data(out, note_text(changed, n, random.Random(args.seed + 1), 2))
        out.write(b"\n")
        out.write(b"reset refs/tags/c2\nfrom :%d\n\n" % (n + 2))

    fast_import(args.repo, write)


def edge_rows(m, k, seed):
    rnd = random.Random(seed)
    types = ("USES", "PART_OF", "RELATED", "DEPENDS_ON")
    yield b":START_ID,:END_ID,:TYPE,weight:Int\n"
    for _ in range(m):
        yield b"n%d,n%d,%s,%d\n" % (rnd.randrange(k), rnd.randrange(k),
                                     types[rnd.randrange(4)].encode(),
                                     rnd.randrange(1000))


def gen_edges(args):
    k = args.nodes or max(1, args.count // 10)
    csv = b"".join(edge_rows(args.count, k, args.seed))
    with open(args.repo.rstrip("/") + ".csv", "wb") as f:
        f.write(csv)

    def write(out):
        out.write(b"blob\nmark :1\n")
        data(out, csv)
        commit(out, "refs/heads/main", 2, "edges: %d\n" % args.count, EPOCH)
        out.write(b"M 100644 :1 tables/edges.csv\n\n")

    fast_import(args.repo, write)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("what", choices=("notes", "edges"))
    ap.add_argument("count", type=int)
    ap.add_argument("repo")
    ap.add_argument("--per-dir", type=int, default=1000)
    ap.add_argument("--nodes", type=int, default=0)
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()
    if os.path.exists(args.repo):
        sys.exit("%s exists; remove it first" % args.repo)
    (gen_notes if args.what == "notes" else gen_edges)(args)


if __name__ == "__main__":
    main()
