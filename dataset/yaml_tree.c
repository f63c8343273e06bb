/* yaml_tree.c - front matter YAML as a bounded tree of typed nodes.
 *
 * libyaml's event API (or the fast reader in yaml_fast.c, which gives the
 * same events for the plain subset) feeds a small tree built in an arena,
 * freed at once. We build our own tree rather than use yaml_document_t so
 * that limits are enforced while reading: at most KG_YAML_MAX_NODES events
 * and KG_YAML_MAX_DEPTH levels. Aliases become shared pointers to the
 * anchored subtree; turning the tree into values later counts every visit
 * against the same node budget, so "billion laughs" (aliases of aliases)
 * stops after KG_YAML_MAX_NODES values instead of exhausting memory, and
 * an alias to a node that is still open (a cycle) is rejected while
 * building.
 *
 * Every libyaml error becomes a diagnostic at file:line:col (libyaml marks
 * count lines from 0 and columns in characters from 0; the front matter
 * starts on line line0 of the note). Plain scalars are typed by the YAML
 * 1.2 core schema (null, bool, int, float) plus dates written YYYY-MM-DD;
 * quoted and block scalars stay strings; the core tags (!!str, !!int ...)
 * are honoured. What the keys mean is frontmatter.c's business.
 */
#include <math.h>
#include <stdarg.h>
#include <string.h>
#include <yaml.h>

#include "dataset_int.h"

const char *kg_yaml__kind_name(const kg_ynode *n)
{
    return n->kind == KG_Y_SEQ   ? "a list"
           : n->kind == KG_Y_MAP ? "a mapping"
                                 : "a scalar";
}

int kg_yaml__diag(kg_yaml *f, int sev, uint32_t line, uint32_t col,
                  const char *fmt, ...)
{
    char msg[640];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return kg_doc_diag(f->doc, sev, line, col, "%s", msg);
}

int kg_yaml__init(kg_yaml *y, kg_doc *doc, const char *yaml, size_t len,
                  uint32_t line0, kg_error *err)
{
    memset(y, 0, sizeof *y);
    y->doc = doc;
    y->yaml = yaml;
    y->len = len;
    y->line0 = line0;
    y->err = err;
    y->arena = kg_arena_new();
    return y->arena ? KG_OK : KG_ENOMEM;
}

void kg_yaml__free(kg_yaml *y)
{
    kg_strset__free(&y->anchors);
    kg_arena_free(y->arena);
    y->arena = NULL;
    y->root = NULL;
}

/* ================================ building ============================= */

static int yaml_fail(kg_yaml *f, yaml_parser_t *p)
{
    uint32_t line, col;
    size_t off;

    if (p->error == YAML_MEMORY_ERROR) return KG_ENOMEM;
    if (p->error == YAML_READER_ERROR) {
        off = p->problem_offset < f->len ? p->problem_offset : f->len;
        kg_text__locate(f->yaml, off, f->line0, &line, &col);
        return kg_yaml__diag(f, KG_SEV_ERROR, line, col,
                             "invalid front matter: %s; front matter ignored",
                             p->problem ? p->problem : "unreadable text");
    }
    line = f->line0 + (uint32_t)p->problem_mark.line;
    col = (uint32_t)p->problem_mark.column + 1;
    if (p->context != NULL)
        return kg_yaml__diag(
            f, KG_SEV_ERROR, line, col,
            "invalid YAML in front matter: %s (%s at %u:%u); front "
            "matter ignored",
            p->problem ? p->problem : "error", p->context,
            f->line0 + (uint32_t)p->context_mark.line,
            (uint32_t)p->context_mark.column + 1);
    return kg_yaml__diag(
        f, KG_SEV_ERROR, line, col,
        "invalid YAML in front matter: %s; front matter ignored",
        p->problem ? p->problem : "error");
}

static kg_ynode *new_node(kg_yaml *f, const yaml_event_t *ev, int kind,
                          const yaml_char_t *tag)
{
    kg_ynode *n = kg_arena_alloc(f->arena, sizeof *n);

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
static int attach(kg_yaml *f, kg_ynode *n)
{
    kg_ynode *parent;
    kg_yslot *s;

    if (f->depth == 0) {
        if (f->root == NULL) f->root = n;
        return KG_OK;
    }
    parent = f->stack[f->depth - 1];
    if ((s = kg_arena_alloc(f->arena, sizeof *s)) == NULL) return KG_ENOMEM;
    s->node = n;
    if (parent->last)
        parent->last->next = s;
    else
        parent->first = s;
    parent->last = s;
    parent->n++;
    return KG_OK;
}

static int anchor(kg_yaml *f, kg_ynode *n, const yaml_char_t *name)
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

static int on_alias(kg_yaml *f, const yaml_event_t *ev)
{
    const char *name = (const char *)ev->data.alias.anchor;
    uintptr_t v;
    kg_ynode *n;
    uint32_t line = f->line0 + (uint32_t)ev->start_mark.line;
    uint32_t col = (uint32_t)ev->start_mark.column + 1;
    char q[KG_QUOTE_BUF];

    if (!kg_strset__get(&f->anchors, name, strlen(name), &v)) {
        if (kg_yaml__diag(
                f, KG_SEV_ERROR, line, col,
                "alias '*%s' refers to no anchor; front matter ignored",
                kg_text__quote(q, name, strlen(name))) < 0)
            return KG_ENOMEM;
        return KG_ESYNTAX;
    }
    n = (kg_ynode *)v;
    if (!n->done) {
        if (kg_yaml__diag(
                f, KG_SEV_ERROR, line, col,
                "alias '*%s' is inside the node it names (a cycle); front "
                "matter ignored",
                kg_text__quote(q, name, strlen(name))) < 0)
            return KG_ENOMEM;
        return KG_ESYNTAX;
    }
    return attach(f, n);
}

static int on_event(kg_yaml *f, const yaml_event_t *ev)
{
    kg_ynode *n;
    int rc;

    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (f->ndocs++ == 0) return KG_OK;
        if (kg_yaml__diag(
                f, KG_SEV_ERROR, f->line0 + (uint32_t)ev->start_mark.line,
                (uint32_t)ev->start_mark.column + 1,
                "front matter holds more than one YAML document; front "
                "matter ignored") < 0)
            return KG_ENOMEM;
        return KG_ESYNTAX;
    case YAML_ALIAS_EVENT:
        return on_alias(f, ev);
    case YAML_SCALAR_EVENT:
        n = new_node(f, ev, KG_Y_SCALAR, ev->data.scalar.tag);
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
            if (kg_yaml__diag(f, KG_SEV_ERROR,
                              f->line0 + (uint32_t)ev->start_mark.line,
                              (uint32_t)ev->start_mark.column + 1,
                              "front matter nests deeper than %u levels; front "
                              "matter ignored",
                              KG_YAML_MAX_DEPTH) < 0)
                return KG_ENOMEM;
            return KG_ELIMIT;
        }
        n = new_node(f, ev, seq ? KG_Y_SEQ : KG_Y_MAP,
                     seq ? ev->data.sequence_start.tag
                         : ev->data.mapping_start.tag);
        if (n == NULL) return KG_ENOMEM;
        n->flow =
            seq ? ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE
                : ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE;
        if ((rc = attach(f, n)) < 0) return rc;
        if ((rc = anchor(f, n,
                         seq ? ev->data.sequence_start.anchor
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
    kg_yaml *f = payload;
    f->events++;
    return on_event(f, ev);
}

/* Read the YAML into the tree, with the fast reader when the text is in
 * its subset, else with libyaml. KG_OK, KG_ENOMEM, or KG_ESYNTAX/KG_ELIMIT
 * after a diagnostic (the tree is then not to be used). use_fast: 1 try
 * the fast reader first, 0 libyaml only, 2 the fast reader only. */
int kg_yaml__build(kg_yaml *f, int use_fast)
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
            rc = kg_yaml__diag(
                f, KG_SEV_ERROR, f->line0 + (uint32_t)ev.start_mark.line,
                (uint32_t)ev.start_mark.column + 1,
                "front matter has more than %u YAML events; front "
                "matter ignored",
                KG_YAML_MAX_NODES);
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
        if (strlen(words[i]) == len && memcmp(words[i], s, len) == 0) return 1;
    return 0;
}

static const char *const null_words[] = {"~", "null", "Null", "NULL", NULL};
static const char *const true_words[] = {"true", "True", "TRUE", NULL};
static const char *const false_words[] = {"false", "False", "FALSE", NULL};

int kg_yaml__is_null(const kg_ynode *n)
{
    return n->kind == KG_Y_SCALAR && n->plain && n->tag == NULL &&
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
static int resolve_plain(kg_yaml *f, const kg_ynode *n, kg_value *out)
{
    char q[KG_QUOTE_BUF];
    int64_t i;
    double d;
    int rc;

    if (n->len == 0 || word_in(n->s, n->len, null_words)) {
        *out = KG_NULL_VALUE;
        return KG_OK;
    }
    if (word_in(n->s, n->len, true_words) ||
        word_in(n->s, n->len, false_words)) {
        *out = kg_value_bool(word_in(n->s, n->len, true_words));
        return KG_OK;
    }
    if ((rc = core_int(n->s, n->len, &i)) == 0) {
        *out = kg_value_int(i);
        return KG_OK;
    }
    if (rc == 2 &&
        kg_yaml__diag(f, KG_SEV_WARNING, n->line, n->col,
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
static int resolve_tagged(kg_yaml *f, const kg_ynode *n, const char *t,
                          kg_value *out)
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
    if (kg_yaml__diag(f, KG_SEV_WARNING, n->line, n->col,
                      "'%s' is not a valid !!%s; kept as a string",
                      kg_text__quote(q, n->s, n->len), t) < 0)
        return KG_ENOMEM;
string:
    *out = kg_value_string(n->s, n->len);
    return out->type == KG_VSTRING ? KG_OK : KG_ENOMEM;
}

int kg_yaml__scalar(kg_yaml *f, const kg_ynode *n, kg_value *out)
{
    static const char core[] = "tag:yaml.org,2002:";
    char q[KG_QUOTE_BUF];

    *out = KG_NULL_VALUE;
    if (n->tag != NULL && strcmp(n->tag, "!") != 0) {
        if (strncmp(n->tag, core, sizeof core - 1) == 0)
            return resolve_tagged(f, n, n->tag + sizeof core - 1, out);
        if (kg_yaml__diag(f, KG_SEV_WARNING, n->line, n->col,
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
static int visit(kg_yaml *f, const kg_ynode *n, unsigned depth)
{
    char q[KG_QUOTE_BUF];
    const kg_ynode *at = f->key ? f->key : n;

    if (++f->visits <= KG_YAML_MAX_NODES && depth <= KG_YAML_MAX_DEPTH)
        return KG_OK;
    if (!f->over) {
        f->over = 1;
        if (kg_yaml__diag(
                f, KG_SEV_ERROR, at->line, at->col,
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

/* A key usable as a name: a scalar, not empty, no control characters. */
int kg_yaml__key_ok(kg_yaml *f, const kg_ynode *k, const char *what)
{
    char q[KG_QUOTE_BUF];
    int rc;

    if (k->kind != KG_Y_SCALAR)
        rc = kg_yaml__diag(f, KG_SEV_ERROR, k->line, k->col,
                           "%s at %u:%u is %s, not a name; ignored", what,
                           k->line, k->col, kg_yaml__kind_name(k));
    else if (k->len == 0)
        rc = kg_yaml__diag(f, KG_SEV_ERROR, k->line, k->col,
                           "empty %s; ignored", what);
    else if (kg_text__has_ctrl(k->s, k->len))
        rc = kg_yaml__diag(f, KG_SEV_ERROR, k->line, k->col,
                           "%s '%s' has a control character; ignored", what,
                           kg_text__quote(q, k->s, k->len));
    else
        return 1;
    return rc < 0 ? rc : 0;
}

static int map_value(kg_yaml *f, const kg_ynode *n, unsigned depth,
                     kg_value *out)
{
    kg_value map = kg_value_map(), v;
    char q[KG_QUOTE_BUF];
    const kg_yslot *s;
    int rc = KG_OK;

    if (map.type != KG_VMAP) return KG_ENOMEM;
    for (s = n->first; s && s->next && rc >= 0; s = s->next->next) {
        const kg_ynode *k = s->node;
        if ((rc = kg_yaml__key_ok(f, k, "key")) <= 0) continue;
        if (kg_value_map_get(&map, k->s) != NULL) {
            rc = kg_yaml__diag(f, KG_SEV_ERROR, k->line, k->col,
                               "duplicate key '%s'; this one is ignored",
                               kg_text__quote(q, k->s, k->len));
            continue;
        }
        if ((rc = kg_yaml__value(f, s->next->node, depth + 1, &v)) < 0) break;
        rc = kg_value_map_set(&map, k->s, k->len, v);
    }
    if (rc < 0) {
        kg_value_release(&map);
        return rc;
    }
    *out = map;
    return KG_OK;
}

int kg_yaml__value(kg_yaml *f, const kg_ynode *n, unsigned depth, kg_value *out)
{
    kg_value list, item;
    const kg_yslot *s;
    uint32_t i = 0;
    int rc;

    *out = KG_NULL_VALUE;
    if ((rc = visit(f, n, depth)) < 0) return rc;
    if (n->kind == KG_Y_SCALAR) return kg_yaml__scalar(f, n, out);
    if (n->kind == KG_Y_MAP) return map_value(f, n, depth, out);
    list = kg_value_list(n->n);
    if (list.type != KG_VLIST) return KG_ENOMEM;
    for (s = n->first; s; s = s->next) {
        if ((rc = kg_yaml__value(f, s->node, depth + 1, &item)) < 0) {
            kg_value_release(&list);
            return rc;
        }
        kg_value_list_set(&list, i++, item);
    }
    *out = list;
    return KG_OK;
}

/* ================================ dump ================================= */

static void dump_node(kg_yaml *f, kg_buf *out, const kg_ynode *n,
                      unsigned depth)
{
    const kg_yslot *s;

    if (visit(f, n, depth) < 0) {
        kg_buf_puts(out, "...");
        return;
    }
    kg_buf_printf(out, "(%s@%u:%u",
                  n->kind == KG_Y_SCALAR ? "scalar"
                  : n->kind == KG_Y_SEQ  ? "seq"
                                         : "map",
                  n->line, n->col);
    if (n->tag) kg_buf_printf(out, " !%s", n->tag);
    if (n->kind == KG_Y_SCALAR) {
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

int kg_yaml__dump(kg_buf *out, const char *yaml, size_t len, int fast,
                  kg_error *err)
{
    kg_doc doc;
    kg_yaml y;
    int rc;

    if (kg_doc_init(&doc, NULL) < 0) return KG_ENOMEM;
    if (kg_yaml__init(&y, &doc, yaml, len, 1, err) < 0) {
        kg_doc_free(&doc);
        return KG_ENOMEM;
    }
    rc = kg_yaml__build(&y, fast ? 2 : 0);
    if (rc == KG_OK && y.root)
        dump_node(&y, out, y.root, 0);
    else if (rc == KG_OK)
        kg_buf_puts(out, "()");
    if (rc == KG_OK && out->oom) rc = KG_ENOMEM;
    if (rc == KG_ELIMIT) rc = KG_ESYNTAX;
    kg_yaml__free(&y);
    kg_doc_free(&doc);
    return rc;
}
