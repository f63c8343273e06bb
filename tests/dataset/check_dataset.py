#!/usr/bin/env python3
"""check_dataset.py - validate the bundled kgsh notes (dataset/aws-ml).

Usage: check_dataset.py [DATASET_DIR] [--quiet]
       check_dataset.py --self-test

Reads every *.md note the way kgsh's note format describes it (YAML front
matter between '---' lines, `links` map, typed properties, body wiki-links)
and checks that:
  - the front matter parses (a small parser for the YAML subset the notes
    use; when PyYAML is installed the two parsers must agree),
  - keys are kebab-case and unique, names and aliases are unambiguous,
  - every link target (front matter or body wiki-link) resolves by key, name
    or alias, ASCII case-insensitively,
  - every kind and relation used is documented in the Schema note, and every
    front-matter edge carries a `source` naming a Source note,
  - a property name has one type across the dataset, plus a few facts the
    exam model must keep (domain weights add up to 100, one domain per
    objective).
Python 3 standard library only. Also importable: load_dataset(dir) returns
the nodes and edges as plain dicts, which the question tooling reuses.
"""
import datetime
import os
import re
import sys

# ----------------------------------------------------------------- YAML subset


class YamlError(Exception):
    def __init__(self, line, msg):
        Exception.__init__(self, msg)
        self.line = line
        self.msg = msg


_INT_RE = re.compile(r"^[-+]?[0-9]+$")
_FLOAT_RE = re.compile(r"^[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$|^[-+]?[0-9]+[eE][-+]?[0-9]+$")
_DATE_RE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")


def _plain(text, line):
    """Resolve a plain (unquoted) scalar the way the note format types it."""
    t = text.strip()
    if t in ("", "~", "null", "Null", "NULL"):
        return None
    if t in ("true", "True", "TRUE"):
        return True
    if t in ("false", "False", "FALSE"):
        return False
    if _INT_RE.match(t):
        return int(t)
    if _FLOAT_RE.match(t):
        return float(t)
    m = _DATE_RE.match(t)
    if m:
        try:
            return datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            raise YamlError(line, "invalid date %r" % t)
    if t[0] in "&*!|>%@`":
        raise YamlError(line, "unsupported YAML feature at %r" % t)
    return t


def _quoted(s, i, line):
    """Parse a quoted scalar starting at s[i]; return (value, next index)."""
    q = s[i]
    i += 1
    out = []
    while i < len(s):
        c = s[i]
        if q == "'" and c == "'":
            if i + 1 < len(s) and s[i + 1] == "'":
                out.append("'")
                i += 2
                continue
            return "".join(out), i + 1
        if q == '"' and c == "\\":
            if i + 1 >= len(s):
                break
            e = s[i + 1]
            table = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "/": "/", "0": "\0"}
            if e not in table:
                raise YamlError(line, "unsupported escape \\%s" % e)
            out.append(table[e])
            i += 2
            continue
        if q == '"' and c == '"':
            return "".join(out), i + 1
        out.append(c)
        i += 1
    raise YamlError(line, "unterminated quoted string")


def _flow(s, i, line):
    """Parse a flow value (scalar, [...] or {...}) at s[i]."""
    while i < len(s) and s[i] == " ":
        i += 1
    if i >= len(s):
        raise YamlError(line, "missing value")
    c = s[i]
    if c in "\"'":
        return _quoted(s, i, line)
    if c == "[":
        items = []
        i += 1
        while True:
            while i < len(s) and s[i] == " ":
                i += 1
            if i < len(s) and s[i] == "]":
                return items, i + 1
            v, i = _flow(s, i, line)
            items.append(v)
            while i < len(s) and s[i] == " ":
                i += 1
            if i < len(s) and s[i] == ",":
                i += 1
                continue
            if i < len(s) and s[i] == "]":
                return items, i + 1
            raise YamlError(line, "expected ',' or ']' in flow sequence")
    if c == "{":
        d = {}
        i += 1
        while True:
            while i < len(s) and s[i] == " ":
                i += 1
            if i < len(s) and s[i] == "}":
                return d, i + 1
            m = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*)\s*:\s").match(s, i)
            if not m:
                raise YamlError(line, "expected 'key: value' in flow mapping")
            k = m.group(1)
            if k in d:
                raise YamlError(line, "duplicate key %r" % k)
            d[k], i = _flow(s, m.end(), line)
            while i < len(s) and s[i] == " ":
                i += 1
            if i < len(s) and s[i] == ",":
                i += 1
                continue
            if i < len(s) and s[i] == "}":
                return d, i + 1
            raise YamlError(line, "expected ',' or '}' in flow mapping")
    # plain scalar inside or outside a flow collection
    j = i
    while j < len(s) and s[j] not in ",]}":
        if s[j] == "#" and j > 0 and s[j - 1] == " ":
            break
        j += 1
    return _plain(s[i:j], line), j


def _value(text, line):
    v, j = _flow(text, 0, line)
    rest = text[j:].strip()
    if rest and not rest.startswith("#"):
        raise YamlError(line, "unexpected text after value: %r" % rest)
    return v


def _strip_comment(s):
    if s.lstrip().startswith("#"):
        return ""
    return s


def parse_yaml(text, first_line=1):
    """Parse the front-matter YAML subset into dicts, lists and scalars.

    Supported: block mappings and sequences by indentation, flow [...] and
    {...}, single and double quoted strings, plain scalars typed as null,
    bool, int, float, date or string. Anything else is an error with a line.
    """
    lines = []
    for n, raw in enumerate(text.split("\n")):
        if "\t" in raw[:len(raw) - len(raw.lstrip())]:
            raise YamlError(first_line + n, "tab used for indentation")
        s = _strip_comment(raw.rstrip())
        if s.strip():
            lines.append((first_line + n, len(s) - len(s.lstrip()), s.strip()))
    if not lines:
        return {}
    pos, value = _block(lines, 0, lines[0][1])
    if pos != len(lines):
        raise YamlError(lines[pos][0], "bad indentation")
    return value


_KEY_RE = re.compile(r"^([A-Za-z_][A-Za-z0-9_.-]*|\"[^\"]*\")\s*:(\s+|$)(.*)$")


def _block(lines, pos, indent):
    line, ind, text = lines[pos]
    if text.startswith("- ") or text == "-":
        items = []
        while pos < len(lines) and lines[pos][1] == indent and \
                (lines[pos][2].startswith("- ") or lines[pos][2] == "-"):
            line, ind, text = lines[pos]
            rest = text[1:].strip()
            if not rest:
                if pos + 1 < len(lines) and lines[pos + 1][1] > indent:
                    pos, v = _block(lines, pos + 1, lines[pos + 1][1])
                else:
                    pos, v = pos + 1, None
                items.append(v)
                continue
            if _KEY_RE.match(rest) and not rest.startswith(("{", "[", "\"", "'")):
                raise YamlError(line, "block mappings inside sequences are not supported; use {...}")
            items.append(_value(rest, line))
            pos += 1
        if pos < len(lines) and lines[pos][1] > indent:
            raise YamlError(lines[pos][0], "bad indentation")
        return pos, items
    d = {}
    while pos < len(lines) and lines[pos][1] == indent:
        line, ind, text = lines[pos]
        m = _KEY_RE.match(text)
        if not m:
            raise YamlError(line, "expected 'key: value'")
        key = m.group(1)
        if key.startswith('"'):
            key = key[1:-1]
        if key in d:
            raise YamlError(line, "duplicate key %r" % key)
        rest = m.group(3).strip()
        if rest and not rest.startswith("#"):
            d[key] = _value(rest, line)
            pos += 1
        elif pos + 1 < len(lines) and lines[pos + 1][1] > indent:
            pos, d[key] = _block(lines, pos + 1, lines[pos + 1][1])
        elif pos + 1 < len(lines) and lines[pos + 1][1] == indent and lines[pos + 1][2].startswith("- "):
            pos, d[key] = _block(lines, pos + 1, indent)
        else:
            d[key] = None
            pos += 1
    if pos < len(lines) and lines[pos][1] > indent:
        raise YamlError(lines[pos][0], "bad indentation")
    return pos, d


# ----------------------------------------------------------------- notes

def rel_type(name):
    """in_layer, in-layer, inLayer -> IN_LAYER (the note format's rule)."""
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    s = re.sub(r"[^A-Za-z0-9]+", "_", s).strip("_")
    return s.upper()


def key_from_path(path):
    stem = os.path.splitext(os.path.basename(path))[0]
    return re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")


_WIKI_RE = re.compile(r"\[\[([^\]|#]+)(?:#[^\]|]*)?(?:\|[^\]]*)?\]\]")


def body_links(body):
    """Distinct wiki-link targets of a body, skipping code spans and fences."""
    out = []
    fence = False
    for ln in body.split("\n"):
        if ln.lstrip().startswith(("```", "~~~")):
            fence = not fence
            continue
        if fence:
            continue
        ln = re.sub(r"`[^`]*`", "", ln)
        for m in _WIKI_RE.finditer(ln):
            t = m.group(1).strip()
            if t not in out:
                out.append(t)
    return out


class Dataset:
    def __init__(self):
        self.nodes = {}     # key -> node dict
        self.edges = []     # dicts: src, type, dst (as written), to (resolved key), props, file
        self.errors = []    # "file:line: message"
        self.files = 0

    def err(self, path, line, msg):
        self.errors.append("%s:%s: %s" % (path, line, msg))


def _line_of(text, needle):
    i = text.find(needle)
    return text.count("\n", 0, i) + 1 if i >= 0 else 1


def parse_note(ds, path, rel):
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    ds.files += 1
    fm, body, body_line = {}, text, 1
    lines = text.split("\n")
    if lines and lines[0].rstrip() == "---":
        end = None
        for i in range(1, len(lines)):
            if lines[i].rstrip() == "---":
                end = i
                break
        if end is None:
            ds.err(rel, 1, "front matter has no closing '---'")
            return
        yml = "\n".join(lines[1:end])
        try:
            fm = parse_yaml(yml, first_line=2)
        except YamlError as e:
            ds.err(rel, e.line, "YAML: " + e.msg)
            return
        if not isinstance(fm, dict):
            ds.err(rel, 2, "front matter is not a mapping")
            return
        try:
            import yaml  # optional cross-check against a full YAML parser
            other = yaml.safe_load(yml) or {}
            if other != fm:
                ds.err(rel, 2, "front matter parses differently under PyYAML")
        except ImportError:
            pass
        body = "\n".join(lines[end + 1:])
        body_line = end + 2
    key = fm.get("id", key_from_path(path))
    if not isinstance(key, str) or not re.match(r"^[a-z0-9]+(-[a-z0-9]+)*$", key):
        ds.err(rel, 2, "id %r is not short lowercase kebab-case" % (key,))
        return
    if key != key_from_path(path):
        ds.err(rel, 2, "id %r does not match the file name" % key)
    if key in ds.nodes:
        ds.err(rel, 2, "duplicate key %r (also in %s)" % (key, ds.nodes[key]["file"]))
        return
    kinds = fm.get("kind")
    if isinstance(kinds, str):
        kinds = [kinds]
    if not kinds or not all(isinstance(k, str) and re.match(r"^[A-Z][A-Za-z]*$", k) for k in kinds):
        ds.err(rel, _line_of(text, "kind:"), "kind missing or not CamelCase")
        kinds = kinds or []
    name = fm.get("name", os.path.splitext(os.path.basename(path))[0])
    aliases = fm.get("aliases", []) or []
    if not isinstance(name, str) or not isinstance(aliases, list) or \
            not all(isinstance(a, str) for a in aliases):
        ds.err(rel, _line_of(text, "name:"), "name must be a string and aliases a list of strings")
        return
    props = {}
    for k, v in fm.items():
        if k in ("id", "kind", "links"):
            continue
        if isinstance(v, str) and re.match(r"^\[\[[^\]]+\]\]$", v.strip()):
            ds.edges.append(dict(src=key, type=rel_type(k), dst=v.strip()[2:-2], props={},
                                 file=rel, line=_line_of(text, k + ":")))
            continue
        props[k] = v
    node = dict(key=key, kinds=kinds, name=name, aliases=aliases, props=props,
                body=body, file=rel, text=text)
    ds.nodes[key] = node
    links = fm.get("links", {}) or {}
    if not isinstance(links, dict):
        ds.err(rel, _line_of(text, "links:"), "links must be a map of relation -> targets")
        links = {}
    for relname, targets in links.items():
        rtype = rel_type(relname)
        if not isinstance(targets, list):
            targets = [targets]
        for t in targets:
            line = _line_of(text, "  " + relname + ":")
            if isinstance(t, dict):
                if not isinstance(t.get("to"), str):
                    ds.err(rel, line, "link target map without 'to' under %s" % relname)
                    continue
                line = _line_of(text, "to: " + t["to"])
                eprops = {k: v for k, v in t.items() if k != "to"}
                dst = t["to"]
            elif isinstance(t, str):
                eprops, dst = {}, t
            else:
                ds.err(rel, line, "link target %r under %s is neither a string nor a map" % (t, relname))
                continue
            ds.edges.append(dict(src=key, type=rtype, dst=dst, props=eprops, file=rel, line=line,
                                 written=True))
    for t in body_links(body):
        ds.edges.append(dict(src=key, type="MENTIONS", dst=t, props={}, file=rel,
                             line=body_line - 1 + _line_of(body, "[[" + t), written=False))


def load_dataset(root):
    """Parse every note under root; resolve edge targets. Returns a Dataset."""
    ds = Dataset()
    for dirpath, dirs, files in os.walk(root):
        dirs.sort()
        for f in sorted(files):
            if f.endswith(".md"):
                p = os.path.join(dirpath, f)
                parse_note(ds, p, os.path.relpath(p, root))
    # resolution index: key, then name, then alias (case-insensitive)
    by_key = {k.lower(): k for k in ds.nodes}
    by_name, by_alias = {}, {}
    for k, n in ds.nodes.items():
        by_name.setdefault(n["name"].lower(), set()).add(k)
        for a in n["aliases"]:
            by_alias.setdefault(a.lower(), set()).add(k)
    ds.ambiguous = {}
    for table in (by_name, by_alias):
        for label, keys in table.items():
            owners = set(keys)
            if label in by_key:
                owners.add(by_key[label])
            for other in (by_name, by_alias):
                owners |= other.get(label, set())
            if len(owners) > 1:
                ds.ambiguous[label] = sorted(owners)

    def resolve(dst):
        d = dst.lower()
        if d in by_key:
            return by_key[d]
        if d in by_name and len(by_name[d]) == 1:
            return next(iter(by_name[d]))
        if d in by_alias and len(by_alias[d]) == 1:
            return next(iter(by_alias[d]))
        return None

    for e in ds.edges:
        e["to"] = resolve(e["dst"])
    # MENTIONS: one per distinct resolved target
    seen, kept = set(), []
    for e in ds.edges:
        if e["type"] == "MENTIONS":
            sig = (e["src"], e["to"] or e["dst"])
            if sig in seen:
                continue
            seen.add(sig)
        kept.append(e)
    ds.edges = kept
    return ds


# ----------------------------------------------------------------- checks

def schema_terms(ds):
    """Kinds and relations documented in the Schema note's body."""
    kinds, rels = set(), set()
    for n in ds.nodes.values():
        if "Schema" not in n["kinds"]:
            continue
        section = None
        for ln in n["body"].split("\n"):
            if ln.startswith("## "):
                section = ln[3:].strip().lower()
            m = re.match(r"^- \*\*([A-Za-z_]+)\*\*", ln)
            if m and section == "kinds":
                kinds.add(m.group(1))
            elif m and section == "relations":
                rels.add(m.group(1))
    return kinds, rels


def _type_name(v):
    if isinstance(v, bool):
        return "bool"
    for t, nm in ((int, "int"), (float, "float"), (datetime.date, "date"), (str, "string"),
                  (list, "list"), (dict, "map")):
        if isinstance(v, t):
            return nm
    return "null"


def check(ds):
    errs = ds.errors
    kinds, rels = schema_terms(ds)
    if not kinds or not rels:
        errs.append("schema: no Schema note with '## Kinds' and '## Relations' lists found")
    sources = {k for k, n in ds.nodes.items() if "Source" in n["kinds"]}
    for label, owners in sorted(ds.ambiguous.items()):
        errs.append("ambiguous name/alias %r used by %s" % (label, ", ".join(owners)))
    for n in ds.nodes.values():
        for k in n["kinds"]:
            if kinds and k not in kinds:
                errs.append("%s:1: kind %s is not documented in the schema note" % (n["file"], k))
        if "Schema" not in n["kinds"] and not isinstance(n["props"].get("summary"), str):
            errs.append("%s:1: note has no summary" % n["file"])
    for e in ds.edges:
        where = "%s:%d" % (e["file"], e["line"])
        if e["to"] is None:
            errs.append("%s: link target %r (%s) does not resolve" % (where, e["dst"], e["type"]))
        if rels and e["type"] not in rels:
            errs.append("%s: relation %s is not documented in the schema note" % (where, e["type"]))
        if e.get("written"):
            src = e["props"].get("source")
            if src not in sources:
                errs.append("%s: %s edge to %r has source %r, not a Source note" %
                            (where, e["type"], e["dst"], src))
    # one type per property name, node and edge properties separately
    for label, items in (("property", [(n["file"], n["props"]) for n in ds.nodes.values()]),
                         ("edge property", [(e["file"], e["props"]) for e in ds.edges])):
        seen = {}
        for f, props in items:
            for k, v in props.items():
                t = _type_name(v)
                if t == "list":
                    t = "list of " + "/".join(sorted({_type_name(x) for x in v}))
                if k in seen and seen[k][0] != t:
                    errs.append("%s: %s %r is %s here but %s in %s" % (f, label, k, t, seen[k][0], seen[k][1]))
                seen.setdefault(k, (t, f))
    # exam model invariants
    domains = [n for n in ds.nodes.values() if "Domain" in n["kinds"]]
    if domains:
        total = sum(n["props"].get("weight", 0) for n in domains)
        if total != 100:
            errs.append("domain weights add up to %d, not 100" % total)
    for n in ds.nodes.values():
        if "Objective" in n["kinds"]:
            ds_ = [e for e in ds.edges if e["src"] == n["key"] and e["type"] == "IN_DOMAIN"]
            if len({e["to"] for e in ds_}) != 1:
                errs.append("%s:1: objective has %d domains, expected 1" % (n["file"], len(ds_)))
    return errs


# ----------------------------------------------------------------- self-test

_SELF_TEST_CASES = [
    # (file name, text, substring the reported problem must contain)
    ("broken-yaml.md", "---\nid: broken-yaml\nkind: Service\nname: [unclosed\n---\n", "YAML"),
    ("no-close.md", "---\nid: no-close\nkind: Service\n", "no closing"),
    ("bad-target.md", "---\nid: bad-target\nkind: Service\nname: \"Bad\"\nsummary: \"x\"\n"
     "links:\n  in_layer:\n    - {to: nowhere, source: \"seed-000\"}\n---\n", "does not resolve"),
    ("bad-wiki.md", "---\nid: bad-wiki\nkind: Service\nname: \"Wiki\"\nsummary: \"x\"\n---\nSee [[missing note]].\n",
     "does not resolve"),
    ("no-source.md", "---\nid: no-source\nkind: Service\nname: \"No source\"\nsummary: \"x\"\n"
     "links:\n  in_layer: [good-layer]\n---\n", "not a Source"),
    ("odd-kind.md", "---\nid: odd-kind\nkind: Gadget\nname: \"Odd\"\nsummary: \"x\"\n---\n", "not documented"),
    ("odd-rel.md", "---\nid: odd-rel\nkind: Service\nname: \"Odd rel\"\nsummary: \"x\"\n"
     "links:\n  frobnicates: [{to: good-layer, source: \"seed-000\"}]\n---\n", "FROBNICATES"),
    ("dup-alias.md", "---\nid: dup-alias\nkind: Service\nname: \"Dup\"\naliases: [\"Good layer\"]\nsummary: \"x\"\n---\n",
     "ambiguous"),
    ("typed.md", "---\nid: typed\nkind: Service\nname: \"Typed\"\nsummary: \"x\"\nweight: \"20\"\n---\n",
     "property 'weight'"),
    ("Bad_Key.md", "---\nid: Bad_Key\nkind: Service\n---\n", "kebab-case"),
]

_SELF_TEST_GOOD = {
    "schema.md": "---\nid: schema\nkind: Schema\nname: \"Schema\"\n---\n## Kinds\n\n- **Schema**: s\n"
                 "- **Source**: s\n- **Layer**: l\n- **Service**: s\n- **Domain**: d\n\n## Relations\n\n"
                 "- **IN_LAYER**: x\n- **MENTIONS**: x\n",
    "seed-000.md": "---\nid: seed-000\nkind: Source\nname: \"Seed\"\nsummary: \"s\"\n---\n",
    "good-layer.md": "---\nid: good-layer\nkind: Layer\nname: \"Good layer\"\nsummary: \"l\"\n---\n",
    "good.md": "---\nid: good\nkind: Service\nname: \"Good\"\naliases: [\"G\"]\nsummary: \"x\"\n"
               "links:\n  inLayer:\n    - {to: Good Layer, source: \"seed-000\"}\n---\nSee [[g]] and `[[not a link]]`.\n",
    "d.md": "---\nid: d\nkind: Domain\nname: \"D\"\nsummary: \"x\"\nweight: 100\n---\n",
}


def self_test():
    """Each broken note must be reported; the good notes alone must pass."""
    import tempfile
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in _SELF_TEST_GOOD.items():
            with open(os.path.join(tmp, name), "w", encoding="utf-8") as fh:
                fh.write(text)
        ds = load_dataset(tmp)
        errs = check(ds)
        if errs:
            failures += 1
            print("self-test: good notes reported problems: %s" % errs)
        kinds = {e["type"] for e in ds.edges}
        if kinds != {"IN_LAYER", "MENTIONS"} or any(e["to"] is None for e in ds.edges):
            failures += 1
            print("self-test: good notes gave edges %r" % [(e["type"], e["to"]) for e in ds.edges])
        for name, text, want in _SELF_TEST_CASES:
            path = os.path.join(tmp, name)
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)
            errs = check(load_dataset(tmp))
            os.remove(path)
            if not any(want in e for e in errs):
                failures += 1
                print("self-test: %s: expected a problem mentioning %r, got %r" % (name, want, errs))
    print("check_dataset self-test: %s" % ("OK" if not failures else "%d failure(s)" % failures))
    return 1 if failures else 0


def main(argv):
    if "--self-test" in argv:
        return self_test()
    here = os.path.dirname(os.path.abspath(__file__))
    args = [a for a in argv[1:] if not a.startswith("--")]
    root = args[0] if args else os.path.join(here, "..", "..", "dataset", "aws-ml")
    if not os.path.isdir(root):
        print("check_dataset: no such directory: %s" % root, file=sys.stderr)
        return 2
    ds = load_dataset(root)
    errs = check(ds)
    kinds = {}
    for n in ds.nodes.values():
        for k in n["kinds"]:
            kinds[k] = kinds.get(k, 0) + 1
    rels = {}
    for e in ds.edges:
        rels[e["type"]] = rels.get(e["type"], 0) + 1
    if "--quiet" not in argv:
        print("notes: %d, nodes: %d, edges: %d" % (ds.files, len(ds.nodes), len(ds.edges)))
        print("kinds (%d): %s" % (len(kinds), ", ".join("%s %d" % kv for kv in sorted(kinds.items()))))
        print("relations (%d): %s" % (len(rels), ", ".join("%s %d" % kv for kv in sorted(rels.items()))))
    for e in errs:
        print("error: " + e, file=sys.stderr)
    if errs:
        print("check_dataset: %d problem(s)" % len(errs), file=sys.stderr)
        return 1
    print("check_dataset: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
