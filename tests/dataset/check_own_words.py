#!/usr/bin/env python3
"""check_own_words.py - the bundled notes must be written in their own words.

Usage: check_own_words.py [--seeds DIR] [--notes DIR] [-n 8]

Fails (exit 1) when any sentence of a note shares a run of N (default 8) or
more consecutive words with a seed document. Words are compared after
lower-casing and dropping punctuation, so reformatting does not hide a copy.
What is checked: every string in the front matter (summary, lists, edge
notes) and every sentence of the body. What is not: `name`, `aliases`,
`url`, the edge property `called` (a seed's own name for a layer) and a
heading that repeats the note's name: these are the proper names and
addresses of things (an exam objective's official title, a course title),
not sentences.
Python 3 standard library only.
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import check_dataset  # noqa: E402  (reuses the note loader)

EXEMPT = {"name", "aliases", "url", "called"}


def words(text):
    # drop markdown link targets and wiki-link syntax, keep the visible words
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"\[\[([^\]|]*\|)?([^\]]*)\]\]", r"\2", text)
    return re.findall(r"[a-z0-9]+", text.lower())


def ngrams(ws, n):
    return {tuple(ws[i:i + n]) for i in range(len(ws) - n + 1)}


def sentences(text):
    """Split a body into sentences (and list items / table cells)."""
    out = []
    for block in re.split(r"\n\s*\n|\n(?=\s*[-*|#])", text):
        block = " ".join(block.split())
        out.extend(s for s in re.split(r"(?<=[.!?;:])\s+|\|", block) if s.strip())
    return out


def note_texts(node):
    """(where, text) pairs for everything in a note a reader sees as prose."""
    def walk(label, v):
        if isinstance(v, str):
            yield label, v
        elif isinstance(v, list):
            for i, x in enumerate(v):
                yield from walk("%s[%d]" % (label, i), x)
        elif isinstance(v, dict):
            for k, x in v.items():
                if k not in EXEMPT and k != "to":
                    yield from walk("%s.%s" % (label, k), x)
    for k, v in node["props"].items():
        if k not in EXEMPT:
            yield from walk(k, v)
    for s in sentences(node["body"]):
        # a heading that only repeats the note's name is a name, not prose
        if s.lstrip("#").strip() == node["name"]:
            continue
        yield "body", s


def main(argv):
    seeds = os.path.join(HERE, "..", "..", "..", "shared", "seeds")
    if not os.path.isdir(seeds):
        seeds = "/work/shared/seeds"
    notes = os.path.join(HERE, "..", "..", "dataset", "aws-ml")
    n = 8
    i = 1
    while i < len(argv):
        if argv[i] == "--seeds":
            seeds = argv[i + 1]; i += 2
        elif argv[i] == "--notes":
            notes = argv[i + 1]; i += 2
        elif argv[i] == "-n":
            n = int(argv[i + 1]); i += 2
        else:
            print(__doc__, file=sys.stderr)
            return 2
    seed_grams = {}
    files = sorted(f for f in os.listdir(seeds) if not f.startswith("."))
    if not files:
        print("check_own_words: no seeds in %s" % seeds, file=sys.stderr)
        return 2
    for f in files:
        with open(os.path.join(seeds, f), encoding="utf-8") as fh:
            for g in ngrams(words(fh.read()), n):
                seed_grams.setdefault(g, f)
    ds = check_dataset.load_dataset(notes)
    if not ds.nodes:
        print("check_own_words: no notes in %s" % notes, file=sys.stderr)
        return 2
    bad = 0
    checked = 0
    for node in sorted(ds.nodes.values(), key=lambda x: x["file"]):
        # the edge properties written in links are prose too (e.g. note: ...)
        texts = list(note_texts(node))
        for e in ds.edges:
            if e["src"] == node["key"]:
                for k, v in e["props"].items():
                    if isinstance(v, str) and k not in EXEMPT and k != "source":
                        texts.append(("links.%s.%s" % (e["type"].lower(), k), v))
        for where, text in texts:
            checked += 1
            hits = [g for g in ngrams(words(text), n) if g in seed_grams]
            if hits:
                bad += 1
                print("%s (%s): shares %d+ words with %s: \"%s\"" %
                      (node["file"], where, n, seed_grams[hits[0]], " ".join(hits[0])))
    if bad:
        print("check_own_words: %d sentence(s) copy a seed" % bad)
        return 1
    print("check_own_words: OK (%d sentences in %d notes, no run of %d words shared with %d seeds)"
          % (checked, len(ds.nodes), n, len(files)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
