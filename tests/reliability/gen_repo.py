#!/usr/bin/env python3
"""gen_repo.py - repositories for kgsh's reliability tests.

  gen_repo.py versions REPO N [--seed S]
      A bare repository with two tagged versions of a dataset of N notes
      and one table, far apart so that syncing one after the other rewrites
      most of the store:
        A: N notes (about 1 KB, 5 links each) and tables/extra.csv;
        B: every note of A edited, a tenth of them removed, N/10 new ones,
           the table rewritten.
      The branch main points at B.

  gen_repo.py hostile REPO CASE [--size N]
      A bare repository holding one kind of hostile input (CASES below
      lists them, with what N means for each) beside a few ordinary notes,
      in one commit on main.

Everything is written with `git fast-import`, so no work tree is made:
paths git itself would balk at in a checkout (a leading dash, control
characters), symlinks and submodule entries are written as tree entries.
Output is deterministic for a given seed.
"""
import argparse
import os
import random
import subprocess
import sys

EPOCH = 1700000000
WORDS = ("model training inference pipeline feature store endpoint tuning "
         "dataset label batch stream latency throughput accuracy drift "
         "monitor deploy notebook cluster container registry").split()
KINDS = ("Service", "Concept", "Algorithm", "Framework")
RELS = ("related", "uses", "part_of", "depends_on")

# ---- fast-import plumbing ----


class Writer:
    def __init__(self, out):
        self.out = out
        self.mark = 0

    def data(self, payload):
        if isinstance(payload, str):
            payload = payload.encode("utf-8", "surrogateescape")
        self.out.write(b"data %d\n" % len(payload))
        self.out.write(payload)
        self.out.write(b"\n")

    def blob(self, payload):
        self.mark += 1
        self.out.write(b"blob\nmark :%d\n" % self.mark)
        self.data(payload)
        return self.mark

    def commit(self, msg, when, files, parent=None, deletes=(), tag=None):
        """files: list of (mode, path bytes, mark or b'sha1' for a gitlink)."""
        self.mark += 1
        m = self.mark
        self.out.write(b"commit refs/heads/main\nmark :%d\n" % m)
        who = b"Gen <gen@example.com> %d +0000\n" % when
        self.out.write(b"author " + who + b"committer " + who)
        self.data(msg)
        if parent:
            self.out.write(b"from :%d\n" % parent)
        for p in deletes:
            self.out.write(b"D " + quote(p) + b"\n")
        for mode, path, ref in files:
            if isinstance(ref, int):
                ref = b":%d" % ref
            self.out.write(b"M %s %s %s\n" % (mode, ref, quote(path)))
        self.out.write(b"\n")
        if tag:
            self.out.write(b"reset refs/tags/%s\nfrom :%d\n\n" % (tag, m))
        return m


def quote(path):
    """A fast-import path: C-style quoted when it needs to be."""
    if isinstance(path, str):
        path = path.encode("utf-8", "surrogateescape")
    if not any(c in path for c in b'"\\\n') and not path.startswith(b'"'):
        return path
    out = b'"'
    for c in path:
        if c == 0x22:
            out += b'\\"'
        elif c == 0x5c:
            out += b"\\\\"
        elif c == 0x0a:
            out += b"\\n"
        else:
            out += bytes([c])
    return out + b'"'


def fast_import(repo, write):
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", repo],
                   check=True)
    p = subprocess.Popen(["git", "-C", repo, "fast-import", "--quiet"],
                         stdin=subprocess.PIPE)
    write(Writer(p.stdin))
    p.stdin.close()
    if p.wait() != 0:
        sys.exit("git fast-import failed")


# ---- ordinary notes ----


def note_text(i, n, rnd, edition=0):
    targets = [t for t in rnd.sample(range(n), min(6, n)) if t != i][:5]
    lines = ["---", "id: note-%06d" % i, "kind: %s" % KINDS[i % len(KINDS)],
             "name: Note %d" % i, "weight: %d" % rnd.randint(1, 1000)]
    if edition:
        lines.append("edition: %d" % edition)
    lines.append("links:")
    for k, t in enumerate(targets[:3]):
        lines.append("  %s: note-%06d" % (RELS[k % len(RELS)], t))
    lines.append("---")
    words = [WORDS[rnd.randrange(len(WORDS))] for _ in range(100)]
    for k, t in enumerate(targets[3:]):
        words.insert(20 + 40 * k, "[[note-%06d]]" % t)
    for k in range(0, len(words), 12):
        lines.append(" ".join(words[k:k + 12]))
    return "\n".join(lines) + "\n"


def note_path(i):
    return "notes/d%03d/note-%06d.md" % (i // 500, i)


def table_text(rows, seed):
    rnd = random.Random(seed)
    out = [":ID,:LABEL,name:String,score:Int"]
    for r in range(rows):
        out.append("t%d,Table,Row %d,%d" % (r, r, rnd.randrange(100)))
    return "\n".join(out) + "\n"


def gen_versions(args):
    n = args.count
    rnd = random.Random(args.seed)

    def write(w):
        files = []
        for i in range(n):
            files.append((b"100644", note_path(i), w.blob(note_text(i, n, rnd))))
        files.append((b"100644", "tables/extra.csv",
                      w.blob(table_text(max(10, n // 10), 1))))
        a = w.commit("A: %d notes\n" % n, EPOCH, files, tag=b"A")
        gone = set(range(0, n, 10))
        files = []
        for i in range(n):
            if i not in gone:
                files.append((b"100644", note_path(i),
                              w.blob(note_text(i, n, rnd, 2))))
        for i in range(n, n + n // 10):
            files.append((b"100644", note_path(i),
                          w.blob(note_text(i, n + n // 10, rnd))))
        files.append((b"100644", "tables/extra.csv",
                      w.blob(table_text(max(10, n // 10) + 7, 2))))
        w.commit("B: every note edited\n", EPOCH + 3600, files, parent=a,
                 deletes=[note_path(i) for i in sorted(gone)], tag=b"B")

    fast_import(args.repo, write)


# ---- hostile inputs ----

ESC_CLEAR = "\x1b[2J"
OSC52 = "\x1b]52;c;ZWNobyBwd25lZA==\x07"
NASTY = ['quote"d', "back\\slash", "new\nline", "tab\there", "esc" + ESC_CLEAR,
         "osc" + OSC52, "bell\x07", "c1\u0085\u009b31m", "bidi\u202eevil",
         "it's", "`tick`", "<b>&amp;</b>", "}; digraph x {", "-->",
         "semi;colon", "\\N\\G\\L"]


def ordinary(w, files, count=3):
    for i in range(count):
        files.append((b"100644", "notes/ok-%d.md" % i, w.blob(
            "---\nkind: Ok\nlinks:\n  next: ok-%d\n---\nFine note %d.\n"
            % ((i + 1) % count, i))))


def yaml_str(s):
    """s as a YAML double-quoted scalar (escapes for controls)."""
    out = '"'
    for ch in s:
        o = ord(ch)
        if ch == '"':
            out += '\\"'
        elif ch == "\\":
            out += "\\\\"
        elif o < 0x20 or 0x7f <= o < 0xa0:
            out += "\\x%02x" % o if o < 0x100 else "\\u%04x" % o
        else:
            out += ch
    return out + '"'


def case_invalid_yaml(w, files, size):
    bad = ["---\nkind: [Service\n---\nunclosed flow\n",
           "---\nkey: value\n  bad indent: x\n---\n",
           "---\n: no key\n- mixed\n---\n",
           "---\nkind: Service\n",                       # no closing marker
           "---\nid: [1, 2]\nname: {a: b}\nkind: 42\n---\n",  # wrong types
           "---\nlinks: not-a-map\naliases: 7\n---\n",
           "---\n" + "a:\n " * 1 + "\t tab: x\n---\n",
           "---\n!!binary Zm9v: x\nk: !!python/object:os.system ls\n---\n",
           "---\n" + "[" * 5000 + "\n---\n",                  # deep nesting
           "---\n" + "k: " + "{a: " * 300 + "1" + "}" * 300 + "\n---\n",
           "---\r\nkind: Crlf\r\n---\r\nbody\r\n",
           "\ufeff---\nkind: Bom\n---\n"]
    for i, t in enumerate(bad):
        files.append((b"100644", "bad/yaml-%02d.md" % i, w.blob(t)))


def case_alias_bomb(w, files, size):
    lines = ["---", 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for k in range(1, 10):
        lines.append("a%d: &a%d [%s]" % (k, k, ",".join(["*a%d" % (k - 1)] * 9)))
    lines += ["kind: Bomb", "---", "billion laughs"]
    files.append((b"100644", "bomb/laughs.md", w.blob("\n".join(lines) + "\n")))
    # an alias that refers to itself and a merge key loop
    files.append((b"100644", "bomb/self.md", w.blob(
        "---\nx: &x [*x]\ny: &y {<<: *y}\n---\n")))
    files.append((b"100644", "bomb/undefined.md", w.blob(
        "---\nx: *nope\n---\n")))


def case_big_note(w, files, size):
    mb = size or 20
    line = ("lorem ipsum [[ok-0]] dolor sit amet " * 3 + "\n").encode()
    body = line * (mb * 1024 * 1024 // len(line))
    files.append((b"100644", "big/big.md",
                  w.blob(b"---\nkind: Big\n---\n" + body)))
    # one line of 4 MB without a newline
    files.append((b"100644", "big/oneline.md", w.blob(b"x" * (4 << 20))))
    # a 70 MB note is over KG_NOTE_MAX_BYTES only when asked for
    if size and size > 64:
        files.append((b"100644", "big/over.md", w.blob(b"y" * (65 << 20))))


def case_binary(w, files, size):
    rnd = random.Random(5)
    blob = bytes(rnd.randrange(256) for _ in range(64 * 1024))
    files.append((b"100644", "bin/random.md", w.blob(blob)))
    files.append((b"100644", "bin/png.md", w.blob(
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + blob[:4096])))
    files.append((b"100644", "bin/table.csv", w.blob(b":ID\n" + blob[:8192])))
    files.append((b"100644", "bin/image.png", w.blob(blob)))  # not a note


def case_invalid_utf8(w, files, size):
    files.append((b"100644", "utf8/bad.md", w.blob(
        b"---\nkind: Bad\xff\xfe\nname: \xc3\x28 broken\naliases: [\xe2\x82]\n"
        b"---\nbody \xf0\x28\x8c\x28 and [[\xff\xfe]] and \xed\xa0\x80\n")))
    files.append((b"100644", "utf8/bad.csv", w.blob(
        b":ID,:LABEL,name:String\nu1,L\xff,n\xc3\x28\n\xfe\xfe,L,x\n")))
    files.append((b"100644", "utf8/overlong.md", w.blob(
        b"---\nid: \xc0\xafslash\n---\n\xe0\x80\xaf\n")))


def case_nul_bytes(w, files, size):
    files.append((b"100644", "nul/early.md", w.blob(b"---\nkind: N\x00ul\n---\n")))
    files.append((b"100644", "nul/late.md", w.blob(
        b"---\nkind: Late\n---\n" + b"text " * 2000 + b"\x00 after nul [[ok-1]]\n")))
    files.append((b"100644", "nul/table.csv", w.blob(
        b":ID,:LABEL\nn1,A\x00B\n")))


def case_many_links(w, files, size):
    n = size or 10000
    body = " ".join("[[target-%d]]" % i for i in range(n))
    fm = "---\nkind: Hub\nlinks:\n  uses: [%s]\n---\n" % ", ".join(
        "t%d" % i for i in range(n))
    files.append((b"100644", "links/hub.md", w.blob(fm + body + "\n")))
    # more links than KG_NOTE_MAX_LINKS (100,000) in one note
    if size and size > 100000:
        files.append((b"100644", "links/over.md", w.blob(
            " ".join("[[x%d]]" % i for i in range(size)))))


def case_cycles(w, files, size):
    n = 50
    for i in range(n):
        files.append((b"100644", "cyc/c%d.md" % i, w.blob(
            "---\nid: c%d\nlinks:\n  next: c%d\n  self: c%d\n---\n"
            "[[c%d]] [[c%d]] [[c%d]]\n" % (i, (i + 1) % n, i, i, (i + 7) % n,
                                         (i * 3) % n))))
    files.append((b"100644", "cyc/selfonly.md", w.blob(
        "---\nid: me\naliases: [Me, ME]\nlinks:\n  is: [me, Me, ME]\n---\n"
        "[[me]] [[Me|myself]] [[selfonly]]\n")))


def case_duplicate_ids(w, files, size):
    for i in range(5):
        files.append((b"100644", "dup/d%d.md" % i, w.blob(
            "---\nid: same\nname: Same %d\n---\nnote %d [[same]]\n" % (i, i))))
    files.append((b"100644", "dup/Same.md", w.blob("no front matter\n")))
    files.append((b"100644", "dup/SAME.md", w.blob("---\nkind: Case\n---\n")))
    files.append((b"100644", "dup/ids.csv", w.blob(
        ":ID,:LABEL,name:String\nsame,Table,x\nsame,Table,y\n")))
    files.append((b"100644", "dup/aliases.md", w.blob(
        "---\nid: al\naliases: [Same 1, Same 2, same]\n---\n")))


def case_hostile_names(w, files, size):
    for i, s in enumerate(NASTY):
        fm = ["---", "id: " + yaml_str(s), "name: " + yaml_str("Name " + s),
              "kind: " + yaml_str("Kind" + s),
              "aliases: [%s]" % yaml_str("alias " + s),
              yaml_str("prop " + s) + ": " + yaml_str("value " + s),
              "links:", "  " + yaml_str("rel " + s) + ": " + yaml_str(
                  NASTY[(i + 1) % len(NASTY)]), "---"]
        body = "Body %s [[%s]] [[%s|label %s]]\n" % (
            s, NASTY[(i + 2) % len(NASTY)].replace("]", ""), "ok-0", s)
        files.append((b"100644", "names/n%02d.md" % i,
                      w.blob("\n".join(fm) + "\n" + body)))
    rows = [":ID,:LABEL,name:String"]
    for i, s in enumerate(NASTY):
        rows.append('"tab%d %s","L%d","%s"' % (
            i, s.replace('"', '""'), i, s.replace('"', '""')))
    files.append((b"100644", "names/nasty.csv", w.blob("\n".join(rows) + "\n")))


def case_odd_paths(w, files, size):
    paths = ["odd/with space.md", "odd/ünïcödé ✓.md", "odd/-leading-dash.md",
             "-dash-dir/--help.md", "odd/tab\tname.md",
             "odd/esc\x1b[2Jname.md", "odd/new\nline.md", "odd/quote\"d.md",
             "odd/back\\slash.md", "odd/" + "l" * 200 + ".md",
             "odd/" + "/".join(["deep"] * 40) + "/x.md", "odd/.hidden.md",
             "odd/UPPER.MD", "odd/table with space.csv", "odd/😀.md"]
    for i, p in enumerate(paths):
        body = "---\nkind: Odd\n---\nnote %d\n" % i
        if p.endswith(".csv"):
            body = ":ID,:LABEL\nodd%d,Odd\n" % i
        files.append((b"100644", p, w.blob(body)))


def case_symlinks(w, files, size):
    files.append((b"100644", "sym/real.md", w.blob("---\nkind: Real\n---\n")))
    for name, target in [("sym/link.md", "real.md"),
                         ("sym/passwd.md", "/etc/passwd"),
                         ("sym/up.md", "../../../../etc/shadow"),
                         ("sym/dangling.md", "nowhere.md"),
                         ("sym/loop.md", "loop.md"),
                         ("sym/dir", "/etc"),
                         ("sym/table.csv", "/etc/passwd")]:
        files.append((b"120000", name, w.blob(target)))


def case_submodule(w, files, size):
    files.append((b"160000", "sub/module", b"1234567890abcdef1234567890abcdef12345678"))
    files.append((b"100644", ".gitmodules", w.blob(
        '[submodule "sub/module"]\n\tpath = sub/module\n'
        "\turl = https://example.invalid/x.git\n")))
    files.append((b"160000", "sub/note.md", b"abcdefabcdefabcdefabcdefabcdefabcdefabcd"))


def case_many_files(w, files, size):
    n = size or 20000
    rnd = random.Random(9)
    for i in range(n):
        files.append((b"100644", "many/d%03d/f%06d.md" % (i // 1000, i),
                      w.blob("---\nid: f%06d\nkind: F\nlinks:\n  next: f%06d\n"
                             "---\nfile %d\n" % (i, rnd.randrange(n), i))))


def case_tables(w, files, size):
    files.append((b"100644", "t/ragged.csv", w.blob(
        ":ID,:LABEL,a:Int\n1,L\n2,L,3,4,5\n3,L,notanint\n")))
    files.append((b"100644", "t/quotes.csv", w.blob(
        ':ID,:LABEL,s:String\n"a""b",L,"multi\nline"\n"unterminated,L,x\n')))
    files.append((b"100644", "t/header_only.csv", w.blob(":START_ID,:END_ID\n")))
    files.append((b"100644", "t/empty.csv", w.blob("")))
    files.append((b"100644", "t/bigfield.csv", w.blob(
        ":ID,:LABEL,s:String\nbig,L," + "z" * (2 << 20) + "\n")))
    files.append((b"100644", "t/edges.csv", w.blob(
        ":START_ID,:END_ID,:TYPE\nok-0,ok-1,X\nok-1,missing,Y\n,ok-0,Z\n")))


CASES = {
    "invalid_yaml": (case_invalid_yaml, "-"),
    "alias_bomb": (case_alias_bomb, "-"),
    "big_note": (case_big_note, "size of the big note in MB (20)"),
    "binary": (case_binary, "-"),
    "invalid_utf8": (case_invalid_utf8, "-"),
    "nul_bytes": (case_nul_bytes, "-"),
    "many_links": (case_many_links, "links in one note (10000)"),
    "cycles": (case_cycles, "-"),
    "duplicate_ids": (case_duplicate_ids, "-"),
    "hostile_names": (case_hostile_names, "-"),
    "odd_paths": (case_odd_paths, "-"),
    "symlinks": (case_symlinks, "-"),
    "submodule": (case_submodule, "-"),
    "many_files": (case_many_files, "files (20000)"),
    "tables": (case_tables, "-"),
}


def gen_hostile(args):
    fn = CASES[args.case][0]

    def write(w):
        files = []
        ordinary(w, files)
        fn(w, files, args.size)
        w.commit("hostile: %s\n" % args.case, EPOCH, files)

    fast_import(args.repo, write)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="what", required=True)
    v = sub.add_parser("versions")
    v.add_argument("repo")
    v.add_argument("count", type=int)
    v.add_argument("--seed", type=int, default=7)
    h = sub.add_parser("hostile")
    h.add_argument("repo")
    h.add_argument("case", choices=sorted(CASES) + ["list"])
    h.add_argument("--size", type=int, default=0)
    args = ap.parse_args()
    if args.what == "hostile" and args.case == "list":
        for k in sorted(CASES):
            print(k)
        return
    if os.path.exists(args.repo):
        sys.exit("%s exists; remove it first" % args.repo)
    (gen_versions if args.what == "versions" else gen_hostile)(args)


if __name__ == "__main__":
    main()
