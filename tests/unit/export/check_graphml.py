#!/usr/bin/env python3
"""check_graphml.py GRAPHML JSON - read a kgsh GraphML export back with a
real XML parser and compare it, node by node and edge by edge, with the
JSON export of the same graph (which test_json.c compares with the graph).

What must hold: well-formed XML in the GraphML namespace; one <key> per
attribute with a GraphML type; unique node ids that edges refer to; each
value read by its key's attr.type equal to the JSON value (lists and maps
JSON-encoded in string keys; NaN/infinities, which JSON writes as null, as
NaN/INF/-INF in double keys); characters XML 1.0 cannot hold as U+FFFD.
Prints the first difference and exits 1.
"""
import json
import math
import sys
import xml.etree.ElementTree as ET

NS = '{http://graphml.graphdrawing.org/xmlns}'
TYPES = {'boolean', 'int', 'long', 'float', 'double', 'string'}
RESERVED = {'node': {'key', 'labels', 'kind', 'label'}, 'edge': {'type', 'label'}}


def xmlsafe(s):
    return ''.join('\ufffd' if (ord(c) < 0x20 and c not in '\t\n\r')
                   or c in '\ufffe\uffff' else c for c in s)


def fail(msg):
    print('check_graphml: ' + msg)
    sys.exit(1)


def read_value(text, typ):
    text = text or ''
    if typ == 'boolean':
        if text not in ('true', 'false'):
            fail('boolean %r' % text)
        return text == 'true'
    if typ in ('int', 'long'):
        v = int(text)
        lim = 2**31 if typ == 'int' else 2**63
        if not -lim <= v < lim:
            fail('%s out of range: %s' % (typ, text))
        return v
    if typ in ('float', 'double'):
        return {'NaN': math.nan, 'INF': math.inf, '-INF': -math.inf}.get(
            text, None) if text in ('NaN', 'INF', '-INF') else float(text)
    return text


def same(got, want, typ):
    """got: the GraphML value read by type; want: the JSON value."""
    if typ == 'string':
        if isinstance(want, str):
            return got == xmlsafe(want)
        return json.loads(got) == want
    if typ in ('float', 'double'):
        if want is None:
            return math.isnan(got) or math.isinf(got)
        return not isinstance(want, bool) and float(want) == got
    if typ == 'boolean':
        return want is got
    return not isinstance(want, bool) and want == got


def props_of(elem, keys, kind):
    out = {}
    for d in elem.findall(NS + 'data'):
        k = keys.get(d.get('key'))
        if k is None or k[0] != kind:
            fail('data key %r is not a %s key' % (d.get('key'), kind))
        out[k[1]] = (d.text or '', k[2])
    return out


def check_props(where, data, want, kind):
    got = {}
    for name, (text, typ) in data.items():
        if name in RESERVED[kind] and not name.startswith('prop.'):
            continue
        if name.startswith('prop.'):
            name = name[5:]
        got[name] = (read_value(text, typ), typ)
    want = {xmlsafe(k): v for k, v in want.items()}
    if set(got) != set(want):
        fail('%s: properties %s, expected %s' % (where, sorted(got), sorted(want)))
    for name, (v, typ) in got.items():
        if not same(v, want[name], typ):
            fail('%s.%s: %r (%s), expected %r' % (where, name, v, typ, want[name]))


def main():
    root = ET.parse(sys.argv[1]).getroot()
    with open(sys.argv[2], encoding='utf-8') as f:
        doc = json.load(f)
    if root.tag != NS + 'graphml':
        fail('root is %s' % root.tag)
    keys = {}
    for k in root.findall(NS + 'key'):
        if k.get('attr.type') not in TYPES or k.get('for') not in ('node', 'edge'):
            fail('bad key %r' % k.attrib)
        if k.get('id') in keys:
            fail('duplicate key id %s' % k.get('id'))
        keys[k.get('id')] = (k.get('for'), k.get('attr.name'), k.get('attr.type'))
    graph = root.find(NS + 'graph')
    if graph is None or graph.get('edgedefault') != 'directed':
        fail('no directed <graph>')
    nodes = graph.findall(NS + 'node')
    edges = graph.findall(NS + 'edge')
    if len(nodes) != len(doc['nodes']) or len(edges) != len(doc['edges']):
        fail('%d nodes, %d edges; JSON has %d, %d' % (
            len(nodes), len(edges), len(doc['nodes']), len(doc['edges'])))
    key_of = {}
    for n, want in zip(nodes, doc['nodes']):
        data = props_of(n, keys, 'node')
        key = data['key'][0]
        if n.get('id') in key_of:
            fail('duplicate node id %r' % n.get('id'))
        key_of[n.get('id')] = key
        if key != xmlsafe(want['id']):
            fail('node %r, expected %r (same order)' % (key, want['id']))
        labels = json.loads(data['labels'][0])
        if labels != want['labels']:
            fail('%s: labels %r, expected %r' % (key, labels, want['labels']))
        if labels and data['kind'][0] != xmlsafe(labels[0]):
            fail('%s: kind %r' % (key, data['kind'][0]))
        name = want['properties'].get('name')
        display = name if isinstance(name, str) else want['id']
        if data['label'][0] != xmlsafe(display):
            fail('%s: label %r, expected %r' % (key, data['label'][0], display))
        check_props(key, data, want['properties'], 'node')
    for e, want in zip(edges, doc['edges']):
        data = props_of(e, keys, 'edge')
        src, dst = key_of.get(e.get('source')), key_of.get(e.get('target'))
        where = '%s -[%s]-> %s' % (src, data['type'][0], dst)
        if (src, data['type'][0], dst) != (xmlsafe(want['source']),
                                           xmlsafe(want['type']),
                                           xmlsafe(want['target'])):
            fail('edge %s, expected %r' % (where, want))
        check_props(where, data, want['properties'], 'edge')
    print('check_graphml: %d nodes, %d edges agree' % (len(nodes), len(edges)))


main()
