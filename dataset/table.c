/* table.c - Neptune bulk-load CSV tables: nodes or edges, typed cells.
 *
 * Two header styles are read, as Amazon Neptune's loader does:
 *   openCypher  nodes  :ID,:LABEL,name:String,weight:Int,tags:String[]
 *               edges  :START_ID,:END_ID,:TYPE,[:ID],since:Date
 *   Gremlin     nodes  ~id,~label,name:String(single),alias:String
 *               edges  ~id,~from,~to,~label,weight:Double
 * The system columns decide whether a file holds nodes or edges. Types are
 * case-insensitive; system columns are case-sensitive (as in Neptune).
 * Multi-values are ';'-separated with "\;" for a literal semicolon and
 * "\\" for a backslash (any other backslash is itself): always in :LABEL,
 * in `Type[]` columns, and in Gremlin node columns whose cardinality is
 * set (the default there; `(single)` turns it off).
 *
 * An empty field is no property; a quoted empty field `""` is the empty
 * string in a String column and the empty list in a Type[] column. Columns
 * kgsh's exporter writes for one property with values of several types,
 * `w:Int,w@String:String`, are read as one property: NAME@TYPE:TYPE (the
 * same type twice, any case) names NAME, and NAME@Json:String holds typed
 * JSON text (kg_json_parse) for values no CSV type can hold. In a name,
 * "\@" is an '@' that is not such a suffix, "\:" a colon, and "\~",
 * "\ ", "\\" a tilde, space or backslash (so " x" and "~x" can be
 * names: a header cell is trimmed, and '~' starts a system column). A
 * property may thus have several columns of distinct types; a row fills
 * at most one of them.
 *
 * A bad header column is reported and ignored. A bad row (wrong field
 * count, empty or duplicate id, missing endpoint) is reported and skipped.
 * A bad cell is reported with its row, column and value, and only that
 * property is dropped: losing a whole node for one typo in a weight would
 * also break every edge that points at it.
 */
#include <math.h>
#include <string.h>

#include "table_int.h"

static const char *const type_names[] = {/* ORDER CTYPE */
                                         "String", "Byte", "Short",
                                         "Int",    "Long", "Float",
                                         "Double", "Bool", "Date"};

/* ---- cells ---- */

static int is_datetime(const char *s, size_t n)
{
    size_t i = 16;

    if (n < 16 || !kg_text__is_date(s, 10) || (s[10] != 'T' && s[10] != ' '))
        return 0;
    if (s[13] != ':' || s[11] < '0' || s[11] > '2' || s[12] < '0' ||
        s[12] > '9' || s[14] < '0' || s[14] > '5' || s[15] < '0' || s[15] > '9')
        return 0;
    if (i + 2 < n && s[i] == ':') {
        if (s[i + 1] < '0' || s[i + 1] > '6' || s[i + 2] < '0' ||
            s[i + 2] > '9')
            return 0;
        i += 3;
        if (i < n && s[i] == '.')
            for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
            }
    }
    if (i < n && s[i] == 'Z') return i + 1 == n;
    if (i < n && (s[i] == '+' || s[i] == '-')) {
        for (i++; i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == ':');)
            i++;
    }
    return i == n;
}

static int word_ci(const char *s, size_t n, const char *w)
{
    size_t i;
    if (strlen(w) != n) return 0;
    for (i = 0; i < n; i++)
        if ((s[i] | 32) != w[i]) return 0;
    return 1;
}

/* One value of type ty from s[0..n); NULL on success, else what is wrong. */
static const char *typed(ctype ty, const char *s, size_t n, kg_value *out)
{
    static const int64_t lo[] = {0, -128, -32768, INT32_MIN, INT64_MIN};
    static const int64_t hi[] = {0, 127, 32767, INT32_MAX, INT64_MAX};
    int64_t i;
    double d;
    int r;

    *out = KG_NULL_VALUE;
    if (ty == T_STRING) {
        *out = kg_value_string(s, n);
        return NULL;
    }
    while (n > 0 && s[0] == ' ')
        s++, n--;
    while (n > 0 && s[n - 1] == ' ')
        n--;
    switch (ty) {
    case T_BYTE:
    case T_SHORT:
    case T_INT:
    case T_LONG:
        if ((r = kg_text__parse_int(s, n, 10, &i)) == 1)
            return "not an integer";
        if (r == 2 || i < lo[ty] || i > hi[ty]) return "out of range";
        *out = kg_value_int(i);
        return NULL;
    case T_FLOAT:
    case T_DOUBLE:
        if (word_ci(s, n, "nan"))
            d = NAN;
        else if (word_ci(s, n, "infinity") || word_ci(s, n, "+infinity") ||
                 word_ci(s, n, "inf"))
            d = INFINITY;
        else if (word_ci(s, n, "-infinity") || word_ci(s, n, "-inf"))
            d = -INFINITY;
        else if (kg_text__parse_double(s, n, &d) != 0)
            return "not a number";
        *out = kg_value_float(d);
        return NULL;
    case T_BOOL:
        if (word_ci(s, n, "true"))
            *out = kg_value_bool(1);
        else if (word_ci(s, n, "false"))
            *out = kg_value_bool(0);
        else
            return "not true or false";
        return NULL;
    case T_DATE:
        if (kg_text__is_date(s, n))
            *out = kg_value_date(s, n);
        else if (is_datetime(s, n))
            *out = kg_value_string(s, n);
        else
            return "not a date (YYYY-MM-DD or YYYY-MM-DDThh:mm:ss)";
        return NULL;
    default:
        return "unknown type";
    }
}

/* The next item of multi-value cell s[0..n) from *pos into t->part, with
 * "\;" and "\\" undone. Returns 1 with an item (maybe empty), 0 past the
 * end, KG_ENOMEM. */
static int split_next(table *t, const char *s, size_t n, size_t *pos)
{
    size_t i = *pos, run;

    if (i > n) return 0;
    kg_buf_reset(&t->part);
    while (i < n && s[i] != ';') {
        for (run = i; run < n && s[run] != ';' && s[run] != '\\'; run++) {
        }
        if (run > i && kg_buf_put(&t->part, s + i, run - i) < 0)
            return KG_ENOMEM;
        i = run;
        if (i < n && s[i] == '\\') {
            if (i + 1 < n && (s[i + 1] == ';' || s[i + 1] == '\\')) i++;
            if (kg_buf_putc(&t->part, s[i]) < 0) return KG_ENOMEM;
            i++;
        }
    }
    *pos = i + 1;
    return 1;
}

/* The value of a cell: one typed value, or a list for multi-values. */
static int cell(table *t, const tcol *c, size_t f, kg_value *out)
{
    char q[KG_QUOTE_BUF];
    size_t n, pos = 0;
    const char *s = kg_csv__field(&t->csv, f, &n), *why = NULL;
    kg_value v, list = KG_NULL_VALUE;
    kg_error jerr;
    int rc;

    *out = KG_NULL_VALUE;
    if (c->json) {
        if ((rc = kg_json_parse(&v, s, n, 1, &jerr)) == KG_OK) goto ok;
        if (rc == KG_ENOMEM) return KG_ENOMEM;
        why = "not JSON";
        goto bad;
    }
    if (!c->split) {
        if ((why = typed(c->type, s, n, &v)) == NULL) goto ok;
        goto bad;
    }
    if ((list = kg_value_list(0)).type != KG_VLIST) return KG_ENOMEM;
    while ((rc = split_next(t, s, n, &pos)) == 1) {
        if (t->part.len == 0) continue; /* "a;;b": no empty values */
        why = typed(c->type, t->part.data, t->part.len, &v);
        if (why) goto bad;
        if (v.type == KG_VNULL || kg_value_list_push(&list, v) < 0) goto oom;
    }
    if (rc < 0) goto oom;
    if (!c->array && list.u.list->len == 1) { /* a set of one is a value */
        v = kg_value_retain(&list.u.list->items[0]);
        kg_value_release(&list);
    } else {
        v = list;
    }
    list = KG_NULL_VALUE;
ok:
    if (v.type == KG_VNULL) goto oom;
    *out = v;
    return KG_OK;
bad:
    kg_value_release(&list);
    kg_buf_reset(&t->part);
    return kg_doc_diag(t->doc, KG_SEV_ERROR, t->csv.lines[f], t->csv.cols[f],
                       "row %u, column '%s' (%s%s): %s '%s'; value ignored",
                       t->row, c->name, c->json ? "JSON" : type_names[c->type],
                       c->array ? "[]" : "", why, kg_text__quote(q, s, n));
oom:
    kg_value_release(&list);
    return KG_ENOMEM;
}

/* A row may fill one of the columns of a shared property: returns 1 for
 * the first, 0 (reported) for another, KG_ENOMEM. */
static int claim(table *t, const tcol *c, size_t f)
{
    char q[KG_QUOTE_BUF];
    uint32_t k = (uint32_t)c->first;

    if (t->filled[k] != t->row) {
        t->filled[k] = t->row;
        t->filled_by[k] = (uint32_t)f;
        return 1;
    }
    return kg_doc_diag(t->doc, KG_SEV_ERROR, t->csv.lines[f], t->csv.cols[f],
                       "row %u: property '%s' has a value in column '%s' "
                       "and in column '%s'; the second ignored",
                       t->row, kg_text__quote(q, c->name, strlen(c->name)),
                       t->cols[t->filled_by[k]].head, c->head);
}

/* The value of an empty cell: none (null), unless it was quoted (`""`)
 * in a column that can hold an empty value. KG_OK or KG_ENOMEM. */
static int empty_cell(const table *t, const tcol *c, size_t f, kg_value *v)
{
    *v = KG_NULL_VALUE;
    if (!kg_csv__quoted(&t->csv, f) || c->json) return KG_OK;
    if (c->array) *v = kg_value_list(0);
    else if (c->type == T_STRING) *v = kg_value_string("", 0);
    else return KG_OK;
    return v->type == KG_VNULL ? KG_ENOMEM : KG_OK;
}

/* Every property cell of the row into the node or edge record. */
static int props(table *t, kg_node_rec *node, kg_edge_rec *edge)
{
    size_t i, n;
    kg_value v;
    int rc;

    for (i = 0; i < t->ncols; i++) {
        const tcol *c = &t->cols[i];
        if (!(c->kind == C_PROP || (c->kind == C_ID && c->name))) continue;
        kg_csv__field(&t->csv, i, &n);
        if (n == 0) { /* an empty cell is an absent property */
            if ((rc = empty_cell(t, c, i, &v)) < 0) return rc;
            if (v.type == KG_VNULL) continue;
        } else if ((rc = cell(t, c, i, &v)) < 0) {
            return rc;
        }
        if (v.type == KG_VNULL) continue; /* reported */
        if (c->shared && (rc = claim(t, c, i)) != 1) {
            kg_value_release(&v);
            if (rc < 0) return rc;
            continue;
        }
        rc = node ? kg_doc_node_prop(node, c->name, v)
                  : kg_doc_edge_prop(edge, c->name, v);
        if (rc < 0) return rc;
    }
    return KG_OK;
}

/* ---- rows ---- */

/* The text of system column k in this row, or NULL after a diagnostic. */
static const char *sys_cell(table *t, ckind k, size_t *n, int *rc)
{
    size_t i = (size_t)t->sys[k];
    const char *s = kg_csv__field(&t->csv, i, n);

    *rc = KG_OK;
    if (*n > 0 && !kg_text__has_ctrl(s, *n)) return s;
    *rc = kg_doc_diag(t->doc, KG_SEV_ERROR, t->csv.lines[i], t->csv.cols[i],
                      "row %u, column '%s': %s; row skipped", t->row,
                      t->cols[i].head,
                      *n ? "control character in" : "empty value");
    return NULL;
}

static int node_row(table *t)
{
    char q[KG_QUOTE_BUF];
    kg_node_rec *node;
    const char *id, *lab;
    size_t n, ln, pos = 0;
    uintptr_t first;
    int rc;

    if ((id = sys_cell(t, C_ID, &n, &rc)) == NULL) return rc;
    if (kg_strset__get(&t->ids, id, n, &first))
        return kg_doc_diag(t->doc, KG_SEV_ERROR, t->csv.rec_line, 1,
                           "row %u: duplicate id '%s' (first at row %u); "
                           "row skipped",
                           t->row, kg_text__quote(q, id, n), (unsigned)first);
    if ((node = kg_doc_node(t->doc, id, t->csv.rec_line)) == NULL)
        return KG_ENOMEM;
    if (kg_strset__add(&t->ids, node->key, n, t->row, NULL) < 0)
        return KG_ENOMEM;
    if (t->sys[C_LABEL] >= 0) {
        lab = kg_csv__field(&t->csv, (size_t)t->sys[C_LABEL], &ln);
        while ((rc = split_next(t, lab, ln, &pos)) == 1) {
            if (t->part.len == 0) continue;
            if (kg_text__has_ctrl(t->part.data, t->part.len)) {
                rc = kg_doc_diag(t->doc, KG_SEV_ERROR, t->csv.rec_line, 1,
                                 "row %u: label with a control character; "
                                 "ignored",
                                 t->row);
            } else {
                rc = kg_doc_node_label(node, t->part.data);
            }
            if (rc < 0) return rc;
        }
        if (rc < 0) return rc;
    }
    return props(t, node, NULL);
}

static int edge_row(table *t)
{
    char q[KG_QUOTE_BUF];
    const char *src, *dst, *type;
    size_t ns, nd, nt;
    kg_edge_rec *e;
    char *rt, *s, *d;
    int rc;

    if ((src = sys_cell(t, C_START, &ns, &rc)) == NULL ||
        (dst = sys_cell(t, C_END, &nd, &rc)) == NULL ||
        (type = sys_cell(t, C_TYPE, &nt, &rc)) == NULL)
        return rc;
    if ((rt = kg_dataset__rel_type_n(type, nt)) == NULL) return KG_ENOMEM;
    if (*rt == '\0') {
        kg_free(rt);
        return kg_doc_diag(t->doc, KG_SEV_ERROR, t->csv.rec_line, 1,
                           "row %u: type '%s' has no letters or digits; row "
                           "skipped",
                           t->row, kg_text__quote(q, type, nt));
    }
    s = kg_strndup(src, ns);
    d = kg_strndup(dst, nd);
    e = s && d ? kg_doc_edge(t->doc, s, rt, d, t->csv.rec_line, 1) : NULL;
    kg_free(s);
    kg_free(d);
    kg_free(rt);
    if (e == NULL) return KG_ENOMEM;
    return props(t, NULL, e);
}

int kg_table_parse(kg_doc *doc, const char *text, size_t len, kg_error *err)
{
    table t;
    kg_buf fixed = KG_BUF_INIT;
    size_t i;
    int rc, skip;

    memset(&t, 0, sizeof t);
    t.doc = doc;
    t.err = err;
    if (text == NULL) len = 0;
    rc = kg_text__check(doc, text ? text : "", len, &fixed, &skip, "table");
    if (rc < 0 || skip) goto done;
    if (fixed.data != NULL) {
        text = fixed.data;
        len = fixed.len;
    }
    kg_csv__init(&t.csv, doc, text ? text : "", len);
    if ((rc = kg_table__header(&t)) < 0) goto done;
    while ((rc = kg_csv__next(&t.csv, err)) == 1) {
        t.row++;
        if (t.csv.nseen != t.ncols)
            rc = kg_doc_diag(doc, KG_SEV_ERROR, t.csv.rec_line, 1,
                             "row %u has %zu fields but the header has %zu; "
                             "row skipped",
                             t.row, t.csv.nseen, t.ncols);
        else
            rc = t.edges ? edge_row(&t) : node_row(&t);
        if (rc < 0) goto done;
    }
done:
    if (rc == KG_ENOMEM)
        kg_error_set(err, KG_ENOMEM, doc->path, (kg_span){0, 0},
                     "out of memory while reading the table");
    for (i = 0; i < t.ncols; i++) {
        kg_free(t.cols[i].name);
        kg_free(t.cols[i].head);
    }
    kg_free(t.cols);
    kg_free(t.filled);
    kg_free(t.filled_by);
    kg_csv__free(&t.csv);
    kg_strset__free(&t.ids);
    kg_buf_free(&t.part);
    kg_buf_free(&fixed);
    return rc == KG_ENOMEM ? rc : KG_OK;
}
