/* frontmatter.c - a note's YAML front matter: its node, properties, links.
 *
 * libyaml's event API feeds a small tree built in an arena (one per note,
 * freed at once). We build our own tree rather than use yaml_document_t so
 * that limits are enforced while reading: at most KG_YAML_MAX_NODES events
 * and KG_YAML_MAX_DEPTH levels. Aliases become shared pointers to the
 * anchored subtree; walking the tree later counts every visit against the
 * same node budget, so "billion laughs" (aliases of aliases) stops after
 * KG_YAML_MAX_NODES values instead of exhausting memory, and an alias to a
 * node that is still open (a cycle) is rejected while building.
 *
 * Every libyaml error becomes a diagnostic at file:line:col (libyaml marks
 * count lines from 0 and columns in characters from 0; the front matter
 * starts on line line0 of the note), and the whole front matter is then
 * ignored: the note keeps its default key, name and label. Semantic
 * problems (a duplicate key, a bad id or kind, links that are not a map)
 * are reported and only the offending entry is dropped.
 *
 * Plain scalars are typed by the YAML 1.2 core schema (null, bool, int,
 * float) plus dates written YYYY-MM-DD; quoted and block scalars stay
 * strings; the core tags (!!str, !!int ...) are honoured.
 */
#include <math.h>
#include <stdarg.h>
#include <string.h>
#include <yaml.h>

#include "dataset_int.h"

enum { Y_SCALAR, Y_SEQ, Y_MAP };

typedef struct ynode ynode;
typedef struct yslot {
    ynode *node;
    struct yslot *next;
} yslot;

struct ynode {
    uint8_t kind;   /* Y_SCALAR, Y_SEQ, Y_MAP                          */
    uint8_t plain;  /* plain scalar: its type comes from the schema    */
    uint8_t done;   /* closed: an alias may refer to it                 */
    uint8_t flow;   /* [ ] or { } style                                 */
    const char *tag;
    const char *s;  /* scalar bytes, NUL-ended ("\0" escapes allowed)  */
    size_t len;
    uint32_t line, col;
    uint32_t n;     /* children (a map holds key, value, key, value)   */
    yslot *first, *last;
};

typedef struct {
    kg_note_ctx *c;
    kg_arena *arena;
    const char *yaml;
    size_t len;
    uint32_t line0;
    ynode *stack[KG_YAML_MAX_DEPTH];
    unsigned depth;
    ynode *root;
    kg_strset anchors;
    size_t events, visits;
    int ndocs;
    int over;       /* the budget diagnostic was given */
    const ynode *key; /* the top-level key being read, for messages */
    kg_error *err;
} fm;

static const char *kind_name(const ynode *n)
{
    return n->kind == Y_SEQ ? "a list" : n->kind == Y_MAP ? "a mapping"
                                                          : "a scalar";
}

static int diag(fm *f, int sev, uint32_t line, uint32_t col, const char *fmt,
                ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

static int diag(fm *f, int sev, uint32_t line, uint32_t col, const char *fmt,
                ...)
{
    char msg[640];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return kg_doc_diag(f->c->doc, sev, line, col, "%s", msg);
}

/* ================================ building ============================= */

static int yaml_fail(fm *f, yaml_parser_t *p)
{
    uint32_t line, col;
    size_t off;

    if (p->error == YAML_MEMORY_ERROR) return KG_ENOMEM;
    if (p->error == YAML_READER_ERROR) {
        off = p->problem_offset < f->len ? p->problem_offset : f->len;
        kg_text__locate(f->yaml, off, f->line0, &line, &col);
        return diag(f, KG_SEV_ERROR, line, col,
                    "invalid front matter: %s; front matter ignored",
                    p->problem ? p->problem : "unreadable text");
    }
    line = f->line0 + (uint32_t)p->problem_mark.line;
    col = (uint32_t)p->problem_mark.column + 1;
    if (p->context != NULL)
        return diag(f, KG_SEV_ERROR, line, col,
                    "invalid YAML in front matter: %s (%s at %u:%u); front "
                    "matter ignored", p->problem ? p->problem : "error",
                    p->context, f->line0 + (uint32_t)p->context_mark.line,
                    (uint32_t)p->context_mark.column + 1);
    return diag(f, KG_SEV_ERROR, line, col,
                "invalid YAML in front matter: %s; front matter ignored",
                p->problem ? p->problem : "error");
}

static ynode *new_node(fm *f, const yaml_event_t *ev, int kind,
                       const yaml_char_t *tag)
{
    ynode *n = kg_arena_alloc(f->arena, sizeof *n);

    if (n == NULL) return NULL;
    n->kind = (uint8_t)kind;
    n->line = f->line0 + (uint32_t)ev->start_mark.line;
    n->col = (uint32_t)ev->start_mark.column + 1;
    if (tag != NULL) {
        n->tag = kg_arena_strndup(f->arena, (const char *)tag,
                                  strlen((const char *)tag));
        if (n->tag == NULL) return NULL;
    }
    return n;
}

/* Hang n under the open collection (or make it the root). */
static int attach(fm *f, ynode *n)
{
    ynode *parent;
    yslot *s;

    if (f->depth == 0) {
        if (f->root == NULL) f->root = n;
        return KG_OK;
    }
    parent = f->stack[f->depth - 1];
    if ((s = kg_arena_alloc(f->arena, sizeof *s)) == NULL) return KG_ENOMEM;
    s->node = n;
    if (parent->last) parent->last->next = s;
    else parent->first = s;
    parent->last = s;
    parent->n++;
    return KG_OK;
}

static int anchor(fm *f, ynode *n, const yaml_char_t *name)
{
    const char *a;
    size_t len;

    if (name == NULL) return KG_OK;
    len = strlen((const char *)name);
    if ((a = kg_arena_strndup(f->arena, (const char *)name, len)) == NULL)
        return KG_ENOMEM;
    /* a later anchor of the same name replaces the earlier (YAML 1.2) */
    return kg_strset__put(&f->anchors, a, len, (uintptr_t)n);
}

static int on_alias(fm *f, const yaml_event_t *ev)
{
    const char *name = (const char *)ev->data.alias.anchor;
    uintptr_t v;
    ynode *n;
    uint32_t line = f->line0 + (uint32_t)ev->start_mark.line;
    uint32_t col = (uint32_t)ev->start_mark.column + 1;
    char q[KG_QUOTE_BUF];

    if (!kg_strset__get(&f->anchors, name, strlen(name), &v)) {
        if (diag(f, KG_SEV_ERROR, line, col,
                 "alias '*%s' refers to no anchor; front matter ignored",
                 kg_text__quote(q, name, strlen(name))) < 0)
            return KG_ENOMEM;
        return KG_ESYNTAX;
    }
    n = (ynode *)v;
    if (!n->done) {
        if (diag(f, KG_SEV_ERROR, line, col,
                 "alias '*%s' is inside the node it names (a cycle); front "
                 "matter ignored", kg_text__quote(q, name, strlen(name))) < 0)
            return KG_ENOMEM;
        return KG_ESYNTAX;
    }
    return attach(f, n);
}

static int on_event(fm *f, const yaml_event_t *ev)
{
    ynode *n;
    int rc;

    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (f->ndocs++ == 0) return KG_OK;
        if (diag(f, KG_SEV_ERROR, f->line0 + (uint32_t)ev->start_mark.line,
                 (uint32_t)ev->start_mark.column + 1,
                 "front matter holds more than one YAML document; front "
                 "matter ignored") < 0)
            return KG_ENOMEM;
        return KG_ESYNTAX;
    case YAML_ALIAS_EVENT:
        return on_alias(f, ev);
    case YAML_SCALAR_EVENT:
        n = new_node(f, ev, Y_SCALAR, ev->data.scalar.tag);
        if (n == NULL) return KG_ENOMEM;
        n->s = kg_arena_strndup(f->arena, (const char *)ev->data.scalar.value,
                                ev->data.scalar.length);
        if (n->s == NULL) return KG_ENOMEM;
        n->len = ev->data.scalar.length;
        n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        n->done = 1;
        if ((rc = attach(f, n)) < 0) return rc;
        return anchor(f, n, ev->data.scalar.anchor);
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
        int seq = ev->type == YAML_SEQUENCE_START_EVENT;
        if (f->depth == KG_YAML_MAX_DEPTH) {
            if (diag(f, KG_SEV_ERROR,
                     f->line0 + (uint32_t)ev->start_mark.line,
                     (uint32_t)ev->start_mark.column + 1,
                     "front matter nests deeper than %u levels; front "
                     "matter ignored", KG_YAML_MAX_DEPTH) < 0)
                return KG_ENOMEM;
            return KG_ELIMIT;
        }
        n = new_node(f, ev, seq ? Y_SEQ : Y_MAP,
                     seq ? ev->data.sequence_start.tag
                         : ev->data.mapping_start.tag);
        if (n == NULL) return KG_ENOMEM;
        n->flow = seq ? ev->data.sequence_start.style ==
                            YAML_FLOW_SEQUENCE_STYLE
                      : ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE;
        if ((rc = attach(f, n)) < 0) return rc;
        if ((rc = anchor(f, n, seq ? ev->data.sequence_start.anchor
                                   : ev->data.mapping_start.anchor)) < 0)
            return rc;
        f->stack[f->depth++] = n;
        return KG_OK;
    }
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        if (f->depth > 0) f->stack[--f->depth]->done = 1;
        return KG_OK;
    default:
        return KG_OK;
    }
}

static int fast_event(void *payload, const struct yaml_event_s *ev)
{
    fm *f = payload;
    f->events++;
    return on_event(f, ev);
}

/* Read the YAML into the tree, with the fast reader when the text is in
 * its subset, else with libyaml. KG_OK, KG_ENOMEM, or KG_ESYNTAX/KG_ELIMIT
 * after a diagnostic (the tree is then not to be used). use_fast: 1 try
 * the fast reader first, 0 libyaml only, 2 the fast reader only. */
static int build(fm *f, int use_fast)
{
    yaml_parser_t p;
    yaml_event_t ev;
    int rc = KG_OK, end = 0;

    if (use_fast) {
        rc = kg_yaml__fast(f->yaml, f->len, fast_event, f);
        if (rc != KG_ENOTFOUND || use_fast == 2) return rc;
        /* declined: forget its partial tree (it made no anchors) */
        f->root = NULL;
        f->depth = 0;
        f->ndocs = 0;
        f->events = 0;
        rc = KG_OK;
    }
    if (!yaml_parser_initialize(&p)) return KG_ENOMEM;
    yaml_parser_set_input_string(&p, (const unsigned char *)f->yaml, f->len);
    yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
    while (!end && rc == KG_OK) {
        if (!yaml_parser_parse(&p, &ev)) {
            rc = yaml_fail(f, &p);
            if (rc == KG_OK) rc = KG_ESYNTAX;
            break;
        }
        if (++f->events > KG_YAML_MAX_NODES) {
            rc = diag(f, KG_SEV_ERROR,
                      f->line0 + (uint32_t)ev.start_mark.line,
                      (uint32_t)ev.start_mark.column + 1,
                      "front matter has more than %u YAML events; front "
                      "matter ignored", KG_YAML_MAX_NODES);
            if (rc == KG_OK) rc = KG_ELIMIT;
        } else {
            end = ev.type == YAML_STREAM_END_EVENT;
            rc = on_event(f, &ev);
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p);
    return rc;
}

/* ============================== scalar types =========================== */

static int word_in(const char *s, size_t len, const char *const *words)
{
    size_t i;
    for (i = 0; words[i]; i++)
        if (strlen(words[i]) == len && memcmp(words[i], s, len) == 0)
            return 1;
    return 0;
}

static const char *const null_words[] = {"~", "null", "Null", "NULL", NULL};
static const char *const true_words[] = {"true", "True", "TRUE", NULL};
static const char *const false_words[] = {"false", "False", "FALSE", NULL};

static int is_null(const ynode *n)
{
    return n->kind == Y_SCALAR && n->plain && n->tag == NULL &&
           (n->len == 0 || word_in(n->s, n->len, null_words));
}

/* YAML 1.2 core int: [-+]?[0-9]+ | 0o[0-7]+ | 0x[0-9a-fA-F]+ */
static int core_int(const char *s, size_t len, int64_t *out)
{
    if (len > 2 && s[0] == '0' && s[1] == 'o')
        return kg_text__parse_int(s + 2, len - 2, 8, out);
    if (len > 2 && s[0] == '0' && s[1] == 'x')
        return kg_text__parse_int(s + 2, len - 2, 16, out);
    return kg_text__parse_int(s, len, 10, out);
}

/* YAML 1.2 core float, including .inf and .nan spellings */
static int core_float(const char *s, size_t len, double *out)
{
    static const char *const inf[] = {".inf", ".Inf", ".INF", NULL};
    static const char *const nan[] = {".nan", ".NaN", ".NAN", NULL};
    size_t sign = len > 0 && (s[0] == '-' || s[0] == '+');

    if (word_in(s + sign, len - sign, inf)) {
        *out = s[0] == '-' ? -INFINITY : INFINITY;
        return 0;
    }
    if (word_in(s, len, nan)) {
        *out = NAN;
        return 0;
    }
    return kg_text__parse_double(s, len, out);
}

/* The typed value of a plain scalar under the core schema plus dates. */
static int resolve_plain(fm *f, const ynode *n, kg_value *out)
{
    char q[KG_QUOTE_BUF];
    int64_t i;
    double d;
    int rc;

    if (n->len == 0 || word_in(n->s, n->len, null_words)) {
        *out = KG_NULL_VALUE;
        return KG_OK;
    }
    if (word_in(n->s, n->len, true_words) || word_in(n->s, n->len, false_words)) {
        *out = kg_value_bool(word_in(n->s, n->len, true_words));
        return KG_OK;
    }
    if ((rc = core_int(n->s, n->len, &i)) == 0) {
        *out = kg_value_int(i);
        return KG_OK;
    }
    if (rc == 2 &&
        diag(f, KG_SEV_WARNING, n->line, n->col,
             "integer '%s' does not fit in 64 bits; kept as a string",
             kg_text__quote(q, n->s, n->len)) < 0)
        return KG_ENOMEM;
    if (rc != 2 && core_float(n->s, n->len, &d) == 0) {
        *out = kg_value_float(d);
        return KG_OK;
    }
    if (kg_text__is_date(n->s, n->len)) {
        *out = kg_value_date(n->s, n->len);
        return out->type == KG_VDATE ? KG_OK : KG_ENOMEM;
    }
    *out = kg_value_string(n->s, n->len);
    return out->type == KG_VSTRING ? KG_OK : KG_ENOMEM;
}

/* A scalar with an explicit core tag: the tag decides, and text that does
 * not fit the tag is reported and kept as a string. */
static int resolve_tagged(fm *f, const ynode *n, const char *t, kg_value *out)
{
    char q[KG_QUOTE_BUF];
    int64_t i;
    double d;

    *out = KG_NULL_VALUE;
    if (strcmp(t, "str") == 0 || strcmp(t, "binary") == 0) goto string;
    if (strcmp(t, "null") == 0) {
        if (n->len == 0 || word_in(n->s, n->len, null_words)) return KG_OK;
    } else if (strcmp(t, "bool") == 0) {
        if (word_in(n->s, n->len, true_words) ||
            word_in(n->s, n->len, false_words)) {
            *out = kg_value_bool(word_in(n->s, n->len, true_words));
            return KG_OK;
        }
    } else if (strcmp(t, "int") == 0) {
        if (core_int(n->s, n->len, &i) == 0) {
            *out = kg_value_int(i);
            return KG_OK;
        }
    } else if (strcmp(t, "float") == 0) {
        if (core_float(n->s, n->len, &d) == 0 ||
            (core_int(n->s, n->len, &i) == 0 && ((d = (double)i), 1))) {
            *out = kg_value_float(d);
            return KG_OK;
        }
    } else if (strcmp(t, "timestamp") == 0) {
        if (!kg_text__is_date(n->s, n->len)) goto string; /* date-times */
        *out = kg_value_date(n->s, n->len);
        return out->type == KG_VDATE ? KG_OK : KG_ENOMEM;
    }
    if (diag(f, KG_SEV_WARNING, n->line, n->col,
             "'%s' is not a valid !!%s; kept as a string",
             kg_text__quote(q, n->s, n->len), t) < 0)
        return KG_ENOMEM;
string:
    *out = kg_value_string(n->s, n->len);
    return out->type == KG_VSTRING ? KG_OK : KG_ENOMEM;
}

static int scalar_value(fm *f, const ynode *n, kg_value *out)
{
    static const char core[] = "tag:yaml.org,2002:";
    char q[KG_QUOTE_BUF];

    *out = KG_NULL_VALUE;
    if (n->tag != NULL && strcmp(n->tag, "!") != 0) {
        if (strncmp(n->tag, core, sizeof core - 1) == 0)
            return resolve_tagged(f, n, n->tag + sizeof core - 1, out);
        if (diag(f, KG_SEV_WARNING, n->line, n->col,
                 "unknown tag '%s'; the value is read as if untagged",
                 kg_text__quote(q, n->tag, strlen(n->tag))) < 0)
            return KG_ENOMEM;
    }
    if (n->plain && (n->tag == NULL || strcmp(n->tag, "!") != 0))
        return resolve_plain(f, n, out);
    *out = kg_value_string(n->s, n->len);
    return out->type == KG_VSTRING ? KG_OK : KG_ENOMEM;
}

/* ============================ values from the tree ===================== */

/* Count one visit; beyond the budget or depth give one diagnostic and
 * KG_ELIMIT, so alias chains cannot blow up time, memory or the stack. */
static int visit(fm *f, const ynode *n, unsigned depth)
{
    char q[KG_QUOTE_BUF];
    const ynode *at = f->key ? f->key : n;

    if (++f->visits <= KG_YAML_MAX_NODES && depth <= KG_YAML_MAX_DEPTH)
        return KG_OK;
    if (!f->over) {
        f->over = 1;
        if (diag(f, KG_SEV_ERROR, at->line, at->col,
                 depth > KG_YAML_MAX_DEPTH
                     ? "value of '%s' nests deeper than %u levels through "
                       "aliases; it and the keys after it are ignored"
                     : "value of '%s' takes the front matter past %u values "
                       "through aliases; it and the keys after it are "
                       "ignored",
                 f->key ? kg_text__quote(q, f->key->s, f->key->len) : "?",
                 depth > KG_YAML_MAX_DEPTH ? KG_YAML_MAX_DEPTH
                                           : KG_YAML_MAX_NODES) < 0)
            return KG_ENOMEM;
    }
    return KG_ELIMIT;
}

static int value_of(fm *f, const ynode *n, unsigned depth, kg_value *out);

/* A key usable as a name: a scalar, not empty, no control characters. */
static int key_ok(fm *f, const ynode *k, const char *what)
{
    char q[KG_QUOTE_BUF];
    int rc;

    if (k->kind != Y_SCALAR)
        rc = diag(f, KG_SEV_ERROR, k->line, k->col,
                  "%s at %u:%u is %s, not a name; ignored", what, k->line,
                  k->col, kind_name(k));
    else if (k->len == 0)
        rc = diag(f, KG_SEV_ERROR, k->line, k->col, "empty %s; ignored", what);
    else if (kg_text__has_ctrl(k->s, k->len))
        rc = diag(f, KG_SEV_ERROR, k->line, k->col,
                  "%s '%s' has a control character; ignored", what,
                  kg_text__quote(q, k->s, k->len));
    else
        return 1;
    return rc < 0 ? rc : 0;
}

static int map_value(fm *f, const ynode *n, unsigned depth, kg_value *out)
{
    kg_value map = kg_value_map(), v;
    char q[KG_QUOTE_BUF];
    const yslot *s;
    int rc = KG_OK;

    if (map.type != KG_VMAP) return KG_ENOMEM;
    for (s = n->first; s && s->next && rc >= 0; s = s->next->next) {
        const ynode *k = s->node;
        if ((rc = key_ok(f, k, "key")) <= 0) continue;
        if (kg_value_map_get(&map, k->s) != NULL) {
            rc = diag(f, KG_SEV_ERROR, k->line, k->col,
                      "duplicate key '%s'; this one is ignored",
                      kg_text__quote(q, k->s, k->len));
            continue;
        }
        if ((rc = value_of(f, s->next->node, depth + 1, &v)) < 0) break;
        rc = kg_value_map_set(&map, k->s, k->len, v);
    }
    if (rc < 0) {
        kg_value_release(&map);
        return rc;
    }
    *out = map;
    return KG_OK;
}

static int value_of(fm *f, const ynode *n, unsigned depth, kg_value *out)
{
    kg_value list, item;
    const yslot *s;
    uint32_t i = 0;
    int rc;

    *out = KG_NULL_VALUE;
    if ((rc = visit(f, n, depth)) < 0) return rc;
    if (n->kind == Y_SCALAR) return scalar_value(f, n, out);
    if (n->kind == Y_MAP) return map_value(f, n, depth, out);
    list = kg_value_list(n->n);
    if (list.type != KG_VLIST) return KG_ENOMEM;
    for (s = n->first; s; s = s->next) {
        if ((rc = value_of(f, s->node, depth + 1, &item)) < 0) {
            kg_value_release(&list);
            return rc;
        }
        kg_value_list_set(&list, i++, item);
    }
    *out = list;
    return KG_OK;
}

/* ================================= links =============================== */

/* When scalar n is exactly one "[[target]]", the target slice. */
static int as_link(const ynode *n, const char **t, size_t *tlen)
{
    const char *s = n->s;
    size_t a = 0, b = n->len, off;

    if (n->kind != Y_SCALAR || n->plain) return 0;
    while (a < b && (s[a] == ' ' || s[a] == '\t')) a++;
    while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t')) b--;
    if (b - a < 4 || memcmp(s + a, "[[", 2) != 0 ||
        memcmp(s + b - 2, "]]", 2) != 0)
        return 0;
    a += 2;
    b -= 2;
    if (memchr(s + a, '[', b - a) || memchr(s + a, ']', b - a)) return 0;
    kg_note__link_target(s + a, b - a, &off, tlen);
    *t = s + a + off;
    return 1;
}

/* The target text of scalar n: the inside of "[[...]]", or the whole
 * text trimmed (a bare name keeps '#' and '|': "C#" is a name). */
static void target_text(const ynode *n, const char **t, size_t *tlen)
{
    if (as_link(n, t, tlen)) return;
    *t = n->s;
    *tlen = is_null(n) ? 0 : n->len;
    while (*tlen > 0 && (**t == ' ' || **t == '\t')) (*t)++, (*tlen)--;
    while (*tlen > 0 && ((*t)[*tlen - 1] == ' ' || (*t)[*tlen - 1] == '\t'))
        (*tlen)--;
}

/* Add an edge of type to the target of scalar n; *out (may be NULL) is
 * the edge, or NULL when the target was rejected or over the limit. */
static int link_to(fm *f, const char *type, const ynode *n, kg_edge_rec **out)
{
    char q[KG_QUOTE_BUF];
    const char *t;
    size_t tlen;

    if (out) *out = NULL;
    target_text(n, &t, &tlen);
    if (tlen == 0)
        return diag(f, KG_SEV_ERROR, n->line, n->col,
                    "empty target for relation %s; ignored", type);
    if (kg_text__has_ctrl(t, tlen))
        return diag(f, KG_SEV_ERROR, n->line, n->col,
                    "target '%s' has a control character; ignored",
                    kg_text__quote(q, t, tlen));
    return kg_note__edge(f->c, type, t, tlen, n->line, n->col, out);
}

/* One target under links: a name (possibly "[[name]]") or a map
 * {to: name, other: edge property...}. */
static int links_target(fm *f, const char *type, const ynode *n)
{
    const yslot *s;
    const ynode *to = NULL;
    kg_edge_rec *e;
    kg_value v;
    kg_strset keys = {0};
    uintptr_t owner;
    char q[KG_QUOTE_BUF];
    int rc = KG_OK;

    if (n->kind == Y_SCALAR) return link_to(f, type, n, NULL);
    if (n->kind == Y_SEQ)
        return diag(f, KG_SEV_ERROR, n->line, n->col,
                    "target of %s is a list inside a list; ignored", type);
    for (s = n->first; s && s->next && rc >= 0; s = s->next->next) {
        const ynode *k = s->node;
        if ((rc = key_ok(f, k, "key")) <= 0) continue;
        rc = kg_strset__add(&keys, k->s, k->len, (uintptr_t)k, NULL);
        if (rc == 0)
            rc = diag(f, KG_SEV_ERROR, k->line, k->col,
                      "duplicate key '%s'; this one is ignored",
                      kg_text__quote(q, k->s, k->len));
        else if (rc > 0 && strcmp(k->s, "to") == 0)
            to = s->next->node;
    }
    if (rc < 0) goto done;
    if (to == NULL || to->kind != Y_SCALAR) {
        rc = diag(f, KG_SEV_ERROR, n->line, n->col,
                  to ? "'to' of %s is not a name; link ignored"
                     : "target of %s has no 'to' key; link ignored", type);
        goto done;
    }
    if ((rc = link_to(f, type, to, &e)) < 0 || e == NULL) goto done;
    /* value_of adds no edge, so e stays valid while properties are added */
    for (s = n->first; s && s->next && rc >= 0; s = s->next->next) {
        const ynode *k = s->node;
        if (k->kind != Y_SCALAR || s->next->node == to ||
            !kg_strset__get(&keys, k->s, k->len, &owner) ||
            owner != (uintptr_t)k)
            continue;
        if ((rc = value_of(f, s->next->node, 1, &v)) < 0) break;
        if (v.type != KG_VNULL) rc = kg_doc_edge_prop(e, k->s, v);
    }
done:
    kg_strset__free(&keys);
    return rc == KG_ELIMIT ? KG_OK : rc;
}

/* links: {relation: target | [targets]} */
static int links_apply(fm *f, const ynode *links)
{
    const yslot *s, *t;
    kg_strset seen = {0};
    char q[KG_QUOTE_BUF];
    char *type = NULL;
    int rc = KG_OK;

    if (is_null(links)) return KG_OK;
    if (links->kind != Y_MAP)
        return diag(f, KG_SEV_ERROR, links->line, links->col,
                    "links must be a mapping of relation: target(s), not "
                    "%s; ignored", kind_name(links));
    for (s = links->first; s && s->next && rc >= 0; s = s->next->next) {
        const ynode *k = s->node, *v = s->next->node;
        if ((rc = key_ok(f, k, "relation")) <= 0) continue;
        if ((rc = kg_strset__add(&seen, k->s, k->len, 0, NULL)) == 0) {
            rc = diag(f, KG_SEV_ERROR, k->line, k->col,
                      "duplicate relation '%s' in links; this one is "
                      "ignored", kg_text__quote(q, k->s, k->len));
            continue;
        }
        if (rc < 0) break;
        kg_free(type);
        if ((type = kg_dataset__rel_type_n(k->s, k->len)) == NULL) {
            rc = KG_ENOMEM;
            break;
        }
        if (*type == '\0') {
            rc = diag(f, KG_SEV_ERROR, k->line, k->col,
                      "relation '%s' has no letters or digits; ignored",
                      kg_text__quote(q, k->s, k->len));
            continue;
        }
        if (v->kind != Y_SEQ) {
            rc = links_target(f, type, v);
            continue;
        }
        for (t = v->first; t && rc >= 0; t = t->next)
            rc = links_target(f, type, t->node);
    }
    kg_free(type);
    kg_strset__free(&seen);
    return rc;
}

/* =============================== the node ============================== */

typedef struct {
    const ynode *k, *v;
} ypair;

/* A property whose value is "[[x]]" (or a list holding such strings) is
 * a link of type KEY; other list items stay as the property. */
static int prop_apply(fm *f, const ynode *k, const ynode *v)
{
    kg_node_rec *node = &f->c->doc->nodes[f->c->node];
    kg_value val = KG_NULL_VALUE, item;
    const yslot *s;
    const char *t;
    size_t tlen, nlinks = 0;
    char *type = NULL;
    int rc = KG_OK;

    if (v->kind == Y_SCALAR && as_link(v, &t, &tlen)) nlinks = 1;
    for (s = v->kind == Y_SEQ ? v->first : NULL; s; s = s->next)
        if (as_link(s->node, &t, &tlen)) nlinks++;
    /* `rel: [[x]]` unquoted is YAML for a list in a list: take it as meant */
    if (v->kind == Y_SEQ && v->flow && v->n == 1 &&
        v->first->node->kind == Y_SEQ && v->first->node->flow &&
        v->first->node->n == 1 && v->first->node->first->node->plain &&
        v->first->node->first->node->kind == Y_SCALAR &&
        !is_null(v->first->node->first->node))
        nlinks = SIZE_MAX;
    if (nlinks == 0) {
        if ((rc = value_of(f, v, 1, &val)) < 0) return rc;
        return val.type == KG_VNULL ? KG_OK : kg_doc_node_prop(node, k->s, val);
    }
    if ((type = kg_dataset__rel_type_n(k->s, k->len)) == NULL) return KG_ENOMEM;
    if (*type == '\0') {
        rc = diag(f, KG_SEV_ERROR, k->line, k->col,
                  "property '%s' holds a link but its name has no letters "
                  "or digits; ignored", k->s);
        goto done;
    }
    if (nlinks == SIZE_MAX) {
        rc = diag(f, KG_SEV_WARNING, v->line, v->col,
                  "unquoted [[...]] is a list in a list in YAML; read as a "
                  "link, but write it \"[[...]]\"");
        if (rc == KG_OK) rc = link_to(f, type, v->first->node->first->node,
                                      NULL);
        goto done;
    }
    if (v->kind == Y_SCALAR) {
        rc = link_to(f, type, v, NULL);
        goto done;
    }
    val = kg_value_list(0);
    if (val.type != KG_VLIST) {
        rc = KG_ENOMEM;
        goto done;
    }
    for (s = v->first; s && rc >= 0; s = s->next) {
        if (as_link(s->node, &t, &tlen)) {
            rc = link_to(f, type, s->node, NULL);
        } else if ((rc = value_of(f, s->node, 2, &item)) == KG_OK) {
            rc = kg_value_list_push(&val, item);
        }
    }
    if (rc == KG_OK && val.u.list->len > 0) {
        rc = kg_doc_node_prop(&f->c->doc->nodes[f->c->node], k->s, val);
        val = KG_NULL_VALUE;
    }
done:
    kg_value_release(&val);
    kg_free(type);
    return rc;
}

/* aliases: a string or a list of strings */
static int aliases_apply(fm *f, const ynode *v)
{
    kg_value list;
    const yslot *s;
    const ynode *one[1];
    size_t i, n;
    int rc = KG_OK;

    if (is_null(v)) return KG_OK;
    if (v->kind == Y_MAP)
        return diag(f, KG_SEV_ERROR, v->line, v->col,
                    "aliases must be a list of strings, not a mapping; "
                    "ignored");
    list = kg_value_list(0);
    if (list.type != KG_VLIST) return KG_ENOMEM;
    one[0] = v;
    s = v->kind == Y_SEQ ? v->first : NULL;
    n = v->kind == Y_SEQ ? v->n : 1;
    for (i = 0; i < n && rc >= 0; i++, s = s ? s->next : NULL) {
        const ynode *a = s ? s->node : one[0];
        kg_value str;
        if (a->kind != Y_SCALAR || is_null(a) || a->len == 0 ||
            kg_text__has_ctrl(a->s, a->len)) {
            rc = diag(f, KG_SEV_ERROR, a->line, a->col,
                      "alias at %u:%u is %s, not a name; ignored", a->line,
                      a->col, a->kind != Y_SCALAR ? kind_name(a)
                              : a->len && !is_null(a)
                                  ? "text with a control character"
                                  : "empty");
            continue;
        }
        str = kg_value_string(a->s, a->len);
        if (str.type != KG_VSTRING) rc = KG_ENOMEM;
        else rc = kg_value_list_push(&list, str);
    }
    if (rc == KG_OK && list.u.list->len > 0)
        return kg_doc_node_prop(&f->c->doc->nodes[f->c->node], "aliases",
                                list);
    kg_value_release(&list);
    return rc;
}

/* kind: one label or a list of them; each must be a string. */
static int label_add(fm *f, const ynode *n)
{
    char q[KG_QUOTE_BUF];
    kg_value v;
    int rc;

    if (n->kind != Y_SCALAR)
        return diag(f, KG_SEV_ERROR, n->line, n->col,
                    "kind must be a string or a list of strings; %s at "
                    "%u:%u ignored", kind_name(n), n->line, n->col);
    if (is_null(n))
        return diag(f, KG_SEV_WARNING, n->line, n->col,
                    "kind is empty; ignored");
    if ((rc = scalar_value(f, n, &v)) < 0) return rc;
    rc = v.type;
    kg_value_release(&v);
    if (rc != KG_VSTRING)
        return diag(f, KG_SEV_ERROR, n->line, n->col,
                    "kind must be a string, not %s '%s'; ignored",
                    kg_value_type_name(rc), kg_text__quote(q, n->s, n->len));
    if (n->len == 0 || kg_text__has_ctrl(n->s, n->len))
        return diag(f, KG_SEV_ERROR, n->line, n->col,
                    "kind '%s' is empty or has a control character; ignored",
                    kg_text__quote(q, n->s, n->len));
    return kg_doc_node_label(&f->c->doc->nodes[f->c->node], n->s);
}

static int kind_apply(fm *f, const ynode *kind)
{
    const yslot *s;
    int rc = KG_OK;

    if (kind != NULL && kind->kind == Y_SEQ) {
        for (s = kind->first; s && rc >= 0; s = s->next)
            rc = label_add(f, s->node);
    } else if (kind != NULL) {
        rc = label_add(f, kind);
    }
    if (rc == KG_OK && f->c->doc->nodes[f->c->node].nlabels == 0)
        rc = kg_doc_node_label(&f->c->doc->nodes[f->c->node], "Note");
    return rc;
}

/* The node's key: a valid id from the front matter, else the default. */
static int key_of(fm *f, const ynode *id, const char **key)
{
    char q[KG_QUOTE_BUF];
    const char *why = NULL;

    *key = f->c->def_key;
    if (id == NULL) return KG_OK;
    if (id->kind != Y_SCALAR) why = "is not a string";
    else if (is_null(id) || id->len == 0) why = "is empty";
    else if (kg_text__has_ctrl(id->s, id->len)) why = "has a control character";
    if (why == NULL) {
        *key = id->s;
        return KG_OK;
    }
    if (id->kind == Y_SCALAR && id->len > 0 && !is_null(id))
        return diag(f, KG_SEV_ERROR, id->line, id->col,
                    "id %s: '%s'; the key '%s' from the file name is used",
                    why, kg_text__quote(q, id->s, id->len), f->c->def_key);
    return diag(f, KG_SEV_ERROR, id->line, id->col,
                "id %s; the key '%s' from the file name is used", why,
                f->c->def_key);
}

static int name_apply(fm *f, const ynode *name)
{
    kg_node_rec *node = &f->c->doc->nodes[f->c->node];
    const char *s = f->c->def_name;
    size_t len = strlen(s);
    kg_value v;
    int rc = KG_OK;

    if (name != NULL && (name->kind != Y_SCALAR || is_null(name) ||
                         name->len == 0 ||
                         kg_text__has_ctrl(name->s, name->len))) {
        rc = diag(f, KG_SEV_ERROR, name->line, name->col,
                  "name must be a non-empty string without control "
                  "characters; the file name is used");
    } else if (name != NULL) {
        s = name->s;
        len = name->len;
    }
    if (rc < 0) return rc;
    v = kg_value_string(s, len);
    if (v.type != KG_VSTRING) return KG_ENOMEM;
    return kg_doc_node_prop(node, "name", v);
}

/* Sort the top-level pairs: id, kind and name are needed before anything
 * else (the key is every edge's source); duplicates are dropped here. */
static int collect(fm *f, kg_strset *keys, ypair *pairs, size_t *np,
                   const ynode **id, const ynode **kind, const ynode **name)
{
    const yslot *s;
    char q[KG_QUOTE_BUF];
    uintptr_t first;
    int rc = KG_OK;

    for (s = f->root->first; s && s->next && rc >= 0; s = s->next->next) {
        const ynode *k = s->node, *v = s->next->node, *fk;
        if ((rc = key_ok(f, k, "key")) <= 0) continue;
        if ((rc = kg_strset__add(keys, k->s, k->len, (uintptr_t)k, &first))
            == 0) {
            fk = (const ynode *)first;
            rc = diag(f, KG_SEV_ERROR, k->line, k->col,
                      "duplicate key '%s' (first at %u:%u); this one is "
                      "ignored", kg_text__quote(q, k->s, k->len), fk->line,
                      fk->col);
            continue;
        }
        if (rc < 0) break;
        rc = KG_OK;
        if (strcmp(k->s, "id") == 0) *id = v;
        else if (strcmp(k->s, "kind") == 0) *kind = v;
        else if (strcmp(k->s, "name") == 0) *name = v;
        else {
            pairs[*np].k = k;
            pairs[(*np)++].v = v;
        }
    }
    return rc;
}

static int apply(fm *f)
{
    kg_doc *doc = f->c->doc;
    const ynode *id = NULL, *kind = NULL, *name = NULL;
    kg_strset keys = {0};
    ypair *pairs = NULL;
    size_t np = 0, i;
    const char *key;
    int rc = KG_OK;

    if (f->root != NULL && f->root->kind == Y_MAP) {
        pairs = kg_arena_alloc(f->arena, (f->root->n / 2 + 1) * sizeof *pairs);
        if (pairs == NULL) return KG_ENOMEM;
        rc = collect(f, &keys, pairs, &np, &id, &kind, &name);
    } else if (f->root != NULL && !is_null(f->root)) {
        rc = diag(f, KG_SEV_ERROR, f->root->line, f->root->col,
                  "front matter is %s, expected 'key: value' lines; "
                  "ignored", kind_name(f->root));
    }
    if (rc < 0 || (rc = key_of(f, id, &key)) < 0) goto done;
    if (kg_doc_node(doc, key, 1) == NULL) {
        rc = KG_ENOMEM;
        goto done;
    }
    f->c->node = doc->nnodes - 1;
    if ((rc = kind_apply(f, kind)) < 0 || (rc = name_apply(f, name)) < 0)
        goto done;
    for (i = 0; i < np && rc >= 0; i++) {
        const ypair *p = &pairs[i];
        f->key = p->k;
        if (strcmp(p->k->s, "aliases") == 0) rc = aliases_apply(f, p->v);
        else if (strcmp(p->k->s, "links") == 0) rc = links_apply(f, p->v);
        else rc = prop_apply(f, p->k, p->v);
        if (rc == KG_ELIMIT) rc = KG_OK; /* reported; go on with the rest */
    }
done:
    kg_strset__free(&keys);
    return rc < 0 ? rc : KG_OK;
}

int kg_frontmatter__parse(kg_note_ctx *c, const char *yaml, size_t len,
                          uint32_t line0, kg_error *err)
{
    fm f;
    int rc = KG_OK;

    memset(&f, 0, sizeof f);
    f.c = c;
    f.yaml = yaml;
    f.len = len;
    f.line0 = line0;
    f.err = err;
    if ((f.arena = kg_arena_new()) == NULL) return KG_ENOMEM;
    if (yaml != NULL) {
        rc = build(&f, 1);
        if (rc != KG_OK) f.root = NULL; /* broken: use the defaults */
    }
    if (rc == KG_OK || rc == KG_ESYNTAX || rc == KG_ELIMIT) rc = apply(&f);
    kg_strset__free(&f.anchors);
    kg_arena_free(f.arena);
    if (rc == KG_ENOMEM)
        kg_error_set(err, KG_ENOMEM, c->doc->path, (kg_span){0, 0},
                     "out of memory while reading the front matter");
    return rc;
}

/* ================================ dump ================================= */

static void dump_node(fm *f, kg_buf *out, const ynode *n, unsigned depth)
{
    const yslot *s;

    if (visit(f, n, depth) < 0) {
        kg_buf_puts(out, "...");
        return;
    }
    kg_buf_printf(out, "(%s@%u:%u", n->kind == Y_SCALAR ? "scalar"
                                    : n->kind == Y_SEQ  ? "seq" : "map",
                  n->line, n->col);
    if (n->tag) kg_buf_printf(out, " !%s", n->tag);
    if (n->kind == Y_SCALAR) {
        kg_buf_puts(out, n->plain ? " plain \"" : " quoted \"");
        kg_buf_put_safe(out, n->s, n->len);
        kg_buf_putc(out, '"');
    } else if (n->flow) {
        kg_buf_puts(out, " flow");
    }
    for (s = n->first; s; s = s->next) {
        kg_buf_putc(out, ' ');
        dump_node(f, out, s->node, depth + 1);
    }
    kg_buf_putc(out, ')');
}

int kg_frontmatter__dump(kg_buf *out, const char *yaml, size_t len, int fast,
                         kg_error *err)
{
    kg_doc doc;
    kg_note_ctx c;
    fm f;
    int rc;

    memset(&c, 0, sizeof c);
    memset(&f, 0, sizeof f);
    if (kg_doc_init(&doc, NULL) < 0) return KG_ENOMEM;
    c.doc = &doc;
    f.c = &c;
    f.yaml = yaml;
    f.len = len;
    f.line0 = 1;
    f.err = err;
    if ((f.arena = kg_arena_new()) == NULL) {
        rc = KG_ENOMEM;
        goto done;
    }
    rc = build(&f, fast ? 2 : 0);
    if (rc == KG_OK && f.root) dump_node(&f, out, f.root, 0);
    else if (rc == KG_OK) kg_buf_puts(out, "()");
    if (rc == KG_OK && out->oom) rc = KG_ENOMEM;
    if (rc == KG_ELIMIT) rc = KG_ESYNTAX;
done:
    kg_strset__free(&f.anchors);
    kg_arena_free(f.arena);
    kg_doc_free(&doc);
    return rc;
}
