/* export_fixture.h - graphs and helpers shared by the export tests.
 *
 * The hostile graph holds names built to break naive exporters: quotes,
 * backslashes (a trailing one too), newlines, CR, < > &, DOT keywords in
 * several cases, ids like us-east-1 and arn:aws:s3:::b, non-ASCII, invalid
 * UTF-8, an embedded NUL, a 5000-byte name. It can be built in two orders
 * (with tombstones in the second) so tests can check that exports depend on
 * the data only. Helpers are static inline so each test binary takes what
 * it uses without unused-function warnings.
 */
#ifndef EXPORT_FIXTURE_H
#define EXPORT_FIXTURE_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "kg_graph.h"

typedef struct {
    const char *s;
    size_t len; /* 0 = strlen */
} fx_text;

/* ORDER matters only for readability; every entry is one node. */
static const fx_text fx_names[] = {
    {"He said \"hi\"", 0},
    {"back\\slash", 0},
    {"trailing\\", 0},
    {"line1\nline2", 0},
    {"cr\rhere", 0},
    {"<b>bold</b> & <i>", 0},
    {"node", 0},
    {"EDGE", 0},
    {"Graph", 0},
    {"digraph", 0},
    {"SubGraph", 0},
    {"strict", 0},
    {"us-east-1", 0},
    {"arn:aws:s3:::b", 0},
    {"3tier", 0},
    {"a;b", 0},
    {"a,b", 0},
    {"\xC3\x9Cn\xC3\xAF" "c\xC3\xB6" "d\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80", 0},
    {"bad \xFF\xFE utf8 \xC3\x28", 0},
    {"nul\0inside", 10},
    {"\\N \\G \\L \\l \\n", 0},
    {"{}[]=;", 0},
    {"-> -- /* c */ // x #", 0},
    {"  spaced  ", 0},
    {"tab\there", 0},
    {"]]> <![CDATA[", 0},
    {"ctl \x01\x1B[31m \xC2\x85 \xEF\xBF\xBE", 0},
    {"' OR 1=1 --", 0},
    {"`tick`", 0},
    {"", 0},
    {"&amp; &#0; &lt;", 0},
};
#define FX_NNAMES (sizeof fx_names / sizeof fx_names[0])

static const char *const fx_labels[] = {
    "Service", "node", "EDGE", "Kind \"Q\" <x>", "\xE6\x97\xA5\xE6\x9C\xAC",
    "back\\slash\\", "bad\xFF", "a;b"
};
#define FX_NLABELS (sizeof fx_labels / sizeof fx_labels[0])

static const char *const fx_types[] = {
    "IN_LAYER", "edge", "REL \"x\"", "a-b", "trailing\\", "bad\xC3\x28", "STRICT"
};
#define FX_NTYPES (sizeof fx_types / sizeof fx_types[0])

static inline kg_atom fx_atom(kg_graph *g, const char *s)
{
    return kg_graph_atom(g, s, strlen(s));
}

/* Set a property, taking ownership of v. */
static inline void fx_set(kg_graph *g, kg_elem kind, kg_id id,
                          const char *name, kg_value v)
{
    kg_graph_prop_set(g, kind, id, fx_atom(g, name), &v);
    kg_value_release(&v);
}

static inline kg_value fx_str(const char *s)
{
    return kg_value_string(s, strlen(s));
}

static inline size_t fx_len(const fx_text *t)
{
    return t->len ? t->len : strlen(t->s);
}

/* Node i's key: the name up to any NUL, made unique with "#i". */
static inline void fx_key(char *buf, size_t cap, size_t i)
{
    snprintf(buf, cap, "%s#%lu", fx_names[i].s, (unsigned long)i);
}

/* The hostile graph. reverse: insert everything in the opposite order,
 * interning atoms differently and leaving a deleted node and edge. */
static inline kg_graph *fx_hostile(int reverse)
{
    kg_graph *g = kg_graph_new();
    kg_id ids[FX_NNAMES + 1];
    char key[128], *longname = malloc(5001);
    size_t k, i, j;

    memset(longname, 'L', 5000);
    longname[5000] = '\0';
    if (reverse) {
        kg_id junk;
        fx_atom(g, "zzz");
        for (k = FX_NTYPES; k-- > 0;) fx_atom(g, fx_types[k]);
        junk = kg_graph_node_add(g, "junk", NULL);
        kg_graph_edge_add(g, junk, junk, fx_atom(g, "X"), NULL);
        kg_graph_node_delete(g, junk, 1, NULL);
    }
    for (k = 0; k <= FX_NNAMES; k++) {
        i = reverse ? FX_NNAMES - k : k;
        if (i == FX_NNAMES) {
            ids[i] = kg_graph_node_add(g, longname, NULL);
            fx_set(g, KG_NODE, ids[i], "name", fx_str(longname));
            continue;
        }
        fx_key(key, sizeof key, i);
        ids[i] = kg_graph_node_add(g, key, NULL);
        fx_set(g, KG_NODE, ids[i], "name",
               kg_value_string(fx_names[i].s, fx_len(&fx_names[i])));
        if (i % 9 != 8) /* some nodes have no label */
            kg_graph_label_add(g, ids[i], fx_atom(g, fx_labels[i % FX_NLABELS]));
        if (i % 4 == 1)
            kg_graph_label_add(g, ids[i], fx_atom(g, fx_labels[(i + 3) % FX_NLABELS]));
        fx_set(g, KG_NODE, ids[i], "rank", kg_value_int((int64_t)i));
        fx_set(g, KG_NODE, ids[i], "zone", fx_str(i % 3 ? "us-east-1" : "eu \"west\""));
        kg_graph_origin_set(g, KG_NODE, ids[i], i % 2 ? "notes/a \"b\"\\.md" : "t.csv",
                            (uint32_t)i + 1);
    }
    for (k = 0; k < FX_NNAMES; k++) {
        i = reverse ? FX_NNAMES - 1 - k : k;
        for (j = 1; j <= 3; j++) {
            size_t d = (i * 7 + j * 5) % (FX_NNAMES + 1);
            kg_id e = kg_graph_edge_add(g, ids[i], ids[d],
                                        fx_atom(g, fx_types[(i + j) % FX_NTYPES]),
                                        NULL);
            if (j == 2)
                fx_set(g, KG_EDGE, e, "note",
                       fx_str(d < FX_NNAMES ? fx_names[d].s : "long"));
        }
    }
    /* parallel edges differing only by a property, added in both orders */
    for (k = 0; k < 2; k++) {
        kg_id e = kg_graph_edge_add(g, ids[0], ids[1], fx_atom(g, "PAR"), NULL);
        fx_set(g, KG_EDGE, e, "w", kg_value_int(reverse ? (int64_t)k : 1 - (int64_t)k));
    }
    free(longname);
    return g;
}

static inline kg_value fx_list(int n, ...)
{
    kg_value l = kg_value_list(0);
    va_list ap;
    int i;
    va_start(ap, n);
    for (i = 0; i < n; i++) kg_value_list_push(&l, va_arg(ap, kg_value));
    va_end(ap);
    return l;
}

static inline kg_value fx_date(const char *s)
{
    return kg_value_date(s, strlen(s));
}

/* A graph with a property of every type. full 1 adds properties whose
 * values differ in type from node to node; full 2 also the values the CSV
 * formats cannot carry exactly (empty strings, empty, nested and mixed
 * lists, a list item ending in a backslash, maps). */
static inline kg_graph *fx_typed(int full)
{
    kg_graph *g = kg_graph_new();
    kg_id a = kg_graph_node_add(g, "svc-1", NULL);
    kg_id b = kg_graph_node_add(g, "svc-2", NULL);
    kg_id l = kg_graph_node_add(g, "layer:ml", NULL);
    kg_id u = kg_graph_node_add(g, "node-no-label", NULL);
    kg_id e;

    kg_graph_label_add(g, a, fx_atom(g, "Service"));
    kg_graph_label_add(g, a, fx_atom(g, "Managed"));
    kg_graph_label_add(g, b, fx_atom(g, "Service"));
    kg_graph_label_add(g, l, fx_atom(g, "Layer"));
    fx_set(g, KG_NODE, a, "name", fx_str("SageMaker, \"Studio\""));
    fx_set(g, KG_NODE, a, "tier", kg_value_int(1));
    fx_set(g, KG_NODE, a, "big", kg_value_int(5000000000LL));
    fx_set(g, KG_NODE, a, "min", kg_value_int(INT64_MIN));
    fx_set(g, KG_NODE, a, "max", kg_value_int(INT64_MAX));
    fx_set(g, KG_NODE, a, "ratio", kg_value_float(0.1));
    fx_set(g, KG_NODE, a, "three", kg_value_float(3.0));
    fx_set(g, KG_NODE, a, "huge", kg_value_float(1e300));
    fx_set(g, KG_NODE, a, "negz", kg_value_float(-0.0));
    fx_set(g, KG_NODE, a, "ok", kg_value_bool(1));
    fx_set(g, KG_NODE, a, "since", fx_date("2021-08-24"));
    fx_set(g, KG_NODE, a, "tags", fx_list(3, fx_str("a b"), fx_str("c,d"),
                                          fx_str("\xC3\xA9\"q\"")));
    fx_set(g, KG_NODE, a, "nums", fx_list(3, kg_value_int(1), kg_value_int(-2),
                                          kg_value_int(3000000000LL)));
    fx_set(g, KG_NODE, a, "flts", fx_list(2, kg_value_float(1.5),
                                          kg_value_float(2.0)));
    fx_set(g, KG_NODE, a, "flags", fx_list(2, kg_value_bool(1), kg_value_bool(0)));
    fx_set(g, KG_NODE, a, "dates", fx_list(2, fx_date("2020-01-01"),
                                           fx_date("1999-12-31")));
    fx_set(g, KG_NODE, a, "text", fx_str("line1\nline2\r\nx;y \\ 'z' `w`"));
    fx_set(g, KG_NODE, a, "spaced", fx_str("  pad  "));
    fx_set(g, KG_NODE, a, "weird name, \"q\"", fx_str("v"));
    fx_set(g, KG_NODE, b, "name", fx_str("Beta"));
    fx_set(g, KG_NODE, b, "ok", kg_value_bool(0));
    fx_set(g, KG_NODE, b, "nan", kg_value_float(NAN));
    fx_set(g, KG_NODE, b, "inf", kg_value_float(-INFINITY));
    fx_set(g, KG_NODE, b, "semi", fx_list(3, fx_str("a;b"), fx_str("d\\;e"),
                                          fx_str("c\\")));
    fx_set(g, KG_NODE, l, "name", fx_str("ML; Layer"));
    fx_set(g, KG_NODE, u, "name", fx_str("x"));
    if (full) { /* mixed types: one CSV column per type */
        fx_set(g, KG_NODE, b, "tier", kg_value_float(2.5));
        fx_set(g, KG_NODE, b, "tags", fx_str("just a string"));
    }
    if (full > 1) {
        fx_set(g, KG_NODE, b, "empty", fx_str(""));
        fx_set(g, KG_NODE, b, "nolist", kg_value_list(0));
        fx_set(g, KG_NODE, b, "nested", fx_list(2, fx_list(1, kg_value_int(1)),
                                                fx_list(0)));
        fx_set(g, KG_NODE, b, "semi2", fx_list(2, fx_str("a\\"), fx_str("c")));
        fx_set(g, KG_NODE, b, "mixed", fx_list(2, kg_value_int(1), fx_str("a")));
        {
            kg_value m = kg_value_map();
            kg_value_map_set(&m, "k", 1, kg_value_int(1));
            kg_value_map_set(&m, "s p", 3, fx_str("\x01"));
            fx_set(g, KG_NODE, b, "map", m);
        }
    }
    e = kg_graph_edge_add(g, a, l, fx_atom(g, "IN_LAYER"), NULL);
    fx_set(g, KG_EDGE, e, "since", fx_date("2022-02-02"));
    fx_set(g, KG_EDGE, e, "weight", kg_value_float(0.5));
    kg_graph_edge_add(g, b, l, fx_atom(g, "IN_LAYER"), NULL);
    e = kg_graph_edge_add(g, a, b, fx_atom(g, "USES"), NULL);
    fx_set(g, KG_EDGE, e, "n", kg_value_int(2));
    e = kg_graph_edge_add(g, a, b, fx_atom(g, "USES"), NULL);
    fx_set(g, KG_EDGE, e, "n", kg_value_int(1));
    e = kg_graph_edge_add(g, u, u, fx_atom(g, "REL"), NULL);
    fx_set(g, KG_EDGE, e, "note", fx_str("a,\"b\";c"));
    return g;
}

/* A copy of g without what a text format must change: nodes whose key,
 * labels whose name and edges whose type is not valid UTF-8 are left out
 * (exporters write U+FFFD there). */
static inline kg_graph *fx_valid_copy(const kg_graph *g)
{
    kg_graph *c = kg_graph_new();
    size_t i, j, cap = kg_graph_cap(g, KG_NODE);
    kg_id *map = malloc((cap + 1) * sizeof *map);

    for (i = 0; i < cap; i++) {
        const char *key = kg_graph_node_key(g, (kg_id)i);
        const kg_atom *la;
        size_t nl, np;
        map[i] = KG_NONE;
        if (!kg_graph_alive(g, KG_NODE, (kg_id)i) || !kg_utf8_valid(key, strlen(key)))
            continue;
        map[i] = kg_graph_node_add(c, key, NULL);
        la = kg_graph_labels(g, (kg_id)i, &nl);
        for (j = 0; j < nl; j++) {
            const char *l = kg_graph_atom_str(g, la[j]);
            if (kg_utf8_valid(l, strlen(l))) kg_graph_label_add(c, map[i], fx_atom(c, l));
        }
        np = kg_graph_prop_count(g, KG_NODE, (kg_id)i);
        for (j = 0; j < np; j++) {
            kg_atom a;
            const kg_value *v = kg_graph_prop_at(g, KG_NODE, (kg_id)i, j, &a);
            kg_graph_prop_set(c, KG_NODE, map[i], fx_atom(c, kg_graph_atom_str(g, a)), v);
        }
    }
    cap = kg_graph_cap(g, KG_EDGE);
    for (i = 0; i < cap; i++) {
        kg_id s, d, e;
        const char *t;
        size_t np;
        if (!kg_graph_alive(g, KG_EDGE, (kg_id)i)) continue;
        s = map[kg_graph_edge_src(g, (kg_id)i)];
        d = map[kg_graph_edge_dst(g, (kg_id)i)];
        t = kg_graph_atom_str(g, kg_graph_edge_type(g, (kg_id)i));
        if (s == KG_NONE || d == KG_NONE || !kg_utf8_valid(t, strlen(t))) continue;
        e = kg_graph_edge_add(c, s, d, fx_atom(c, t), NULL);
        np = kg_graph_prop_count(g, KG_EDGE, (kg_id)i);
        for (j = 0; j < np; j++) {
            kg_atom a;
            const kg_value *v = kg_graph_prop_at(g, KG_EDGE, (kg_id)i, j, &a);
            kg_graph_prop_set(c, KG_EDGE, e, fx_atom(c, kg_graph_atom_str(g, a)), v);
        }
    }
    free(map);
    return c;
}

/* ---- files and processes ---- */

static inline const char *fx_path(const char *name)
{
    static char buf[4][1024];
    static int n;
    char *p = buf[n++ % 4];
    snprintf(p, 1024, "%s/%s", KG_TEST_TMPDIR, name);
    return p;
}

static inline int fx_write(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    size_t n;
    if (f == NULL) return -1;
    n = fwrite(data, 1, len, f);
    return fclose(f) == 0 && n == len ? 0 : -1;
}

/* Read a whole file (NUL-terminated, caller frees); NULL if unreadable. */
static inline char *fx_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0, r;

    if (f == NULL) return NULL;
    do {
        if (n + 4096 + 1 > cap) {
            cap = (n + 4096 + 1) * 2;
            buf = realloc(buf, cap);
        }
        r = fread(buf + n, 1, 4096, f);
        n += r;
    } while (r > 0);
    fclose(f);
    buf[n] = '\0';
    if (len) *len = n;
    return buf;
}

/* Run a shell command; its exit status, or -1. */
static inline int fx_run(const char *cmd)
{
    int st = system(cmd);
    if (st == -1 || !WIFEXITED(st)) return -1;
    return WEXITSTATUS(st);
}

/* The directory of this test's sources (for the helper scripts). */
static inline const char *fx_srcdir(void)
{
    static char dir[1024];
    char *slash;
    snprintf(dir, sizeof dir, "%s", __FILE__);
    slash = strrchr(dir, '/');
    if (slash) *slash = '\0';
    else snprintf(dir, sizeof dir, ".");
    return dir;
}

#endif /* EXPORT_FIXTURE_H */
