/* table.c - Neptune bulk-load CSV tables: nodes or edges, typed cells.
 *
 * Two header styles are read, as Amazon Neptune's loader does:
 *   openCypher  nodes  :ID,:LABEL,name:String,weight:Int,tags:String[]
 *               edges  :START_ID,:END_ID,:TYPE,[:ID],since:Date
 *   Gremlin     nodes  ~id,~label,name:String(single),alias:String
 *               edges  ~id,~from,~to,~label,weight:Double
 * The system columns decide whether a file holds nodes or edges. Types are
 * case-insensitive; system columns are case-sensitive (as in Neptune).
 * Multi-values are ';'-separated with "\;" for a literal semicolon: always
 * in :LABEL, in `Type[]` columns, and in Gremlin node columns whose
 * cardinality is set (the default there; `(single)` turns it off).
 *
 * A bad header column is reported and ignored. A bad row (wrong field
 * count, empty or duplicate id, missing endpoint) is reported and skipped.
 * A bad cell is reported with its row, column and value, and only that
 * property is dropped: losing a whole node for one typo in a weight would
 * also break every edge that points at it.
 */
#include <math.h>
#include <string.h>

#include "dataset_int.h"

typedef enum {
    C_PROP,
    C_ID,
    C_LABEL,
    C_START,
    C_END,
    C_TYPE,
    C_EDGE_ID,
    C_SKIP
} ckind;

typedef enum {
    T_STRING,
    T_BYTE,
    T_SHORT,
    T_INT,
    T_LONG,
    T_FLOAT,
    T_DOUBLE,
    T_BOOL,
    T_DATE
} ctype; /* ORDER CTYPE */

static const char *const type_names[] = {/* ORDER CTYPE */
                                         "String", "Byte", "Short",
                                         "Int",    "Long", "Float",
                                         "Double", "Bool", "Date"};

static const struct {
    const char *name;
    ctype type;
} type_words[] = {
    {"string", T_STRING}, {"char", T_STRING},  {"byte", T_BYTE},
    {"short", T_SHORT},   {"int", T_INT},      {"integer", T_INT},
    {"long", T_LONG},     {"float", T_FLOAT},  {"double", T_DOUBLE},
    {"bool", T_BOOL},     {"boolean", T_BOOL}, {"date", T_DATE},
    {"datetime", T_DATE}, {NULL, T_STRING}};

typedef struct {
    ckind kind;
    ctype type;
    int split;  /* ';' separates values                               */
    int array;  /* Type[]: always a list                              */
    int single; /* Gremlin (single) cardinality                       */
    char *name; /* property name (C_PROP; C_ID written name:ID)       */
    char *head; /* the header cell as written, for messages           */
} tcol;

typedef struct {
    kg_doc *doc;
    kg_csv csv;
    tcol *cols;
    size_t ncols;
    int edges;       /* an edge file                                */
    int sys[C_SKIP]; /* column index of each system kind, -1 none   */
    kg_strset ids;   /* node ids seen, for duplicates               */
    kg_buf part;     /* one value of a multi-value cell             */
    uint32_t row;    /* data row number, 1 = first after the header */
    kg_error *err;
} table;

/* ---- header ---- */

static int match_sys(const char *h, size_t n, const char *name, int space)
{
    size_t k = strlen(name);

    if (n < k || memcmp(h, name, k) != 0) return 0;
    if (n == k) return 1;
    /* :ID(space), :START_ID(space): the ID space is accepted and ignored */
    return space && h[k] == '(' && h[n - 1] == ')';
}

static int hdiag(table *t, size_t i, const char *what)
{
    char q[KG_QUOTE_BUF];
    return kg_doc_diag(
        t->doc, KG_SEV_ERROR, t->csv.lines[i], t->csv.cols[i],
        "column %zu '%s': %s; column ignored", i + 1,
        kg_text__quote(q, t->cols[i].head, strlen(t->cols[i].head)), what);
}

/* name:Type, name:Type[], name:Type(single|set), name:ID; '\:' is a colon
 * inside the name. Sets c->kind to C_SKIP (reported) when it cannot be read. */
static int prop_col(table *t, size_t i, const char *h, size_t n)
{
    tcol *c = &t->cols[i];
    kg_buf name = KG_BUF_INIT;
    size_t j, k, tl;
    const char *ty = NULL;
    int rc = KG_OK;

    for (j = 0; j < n; j++) {
        if (h[j] == '\\' && j + 1 < n && h[j + 1] == ':') {
            kg_buf_putc(&name, ':');
            j++;
        } else if (h[j] == ':') {
            ty = h + j + 1;
            break;
        } else {
            kg_buf_putc(&name, h[j]);
        }
    }
    kg_buf_put(&name, "", 0);
    if ((c->name = kg_buf_detach(&name)) == NULL) return KG_ENOMEM;
    c->kind = C_PROP;
    if (*c->name == '\0' || kg_text__has_ctrl(c->name, strlen(c->name))) {
        c->kind = C_SKIP;
        return hdiag(t, i,
                     "a property needs a name without control "
                     "characters");
    }
    if (ty == NULL) return KG_OK;
    tl = (size_t)(h + n - ty);
    if (match_sys(ty, tl, "ID", 1)) {
        c->kind = C_ID;
        return KG_OK;
    }
    if (tl > 8 && strncmp(ty + tl - 8, "(single)", 8) == 0) {
        c->single = 1;
        tl -= 8;
    } else if (tl > 5 && strncmp(ty + tl - 5, "(set)", 5) == 0) {
        tl -= 5;
    }
    if (tl > 2 && ty[tl - 2] == '[' && ty[tl - 1] == ']') {
        c->array = 1;
        tl -= 2;
    }
    for (k = 0; type_words[k].name; k++) {
        if (strlen(type_words[k].name) != tl) continue;
        for (j = 0; j < tl; j++)
            if ((ty[j] | 32) != type_words[k].name[j]) break;
        if (j == tl) break;
    }
    if (type_words[k].name == NULL) {
        c->kind = C_SKIP;
        rc = hdiag(t, i,
                   "unknown type (expected String, Int, Long, Short, "
                   "Byte, Float, Double, Bool or Date, with [] for "
                   "arrays)");
    }
    c->type = type_words[k].type;
    return rc;
}

static int parse_col(table *t, size_t i, int *tilde, int *colon)
{
    tcol *c = &t->cols[i];
    const char *h = c->head;
    size_t n = strlen(h);

    c->kind = C_SKIP;
    if (n == 0) return hdiag(t, i, "empty column name");
    if (h[0] == '~') {
        *tilde = 1;
        if (strcmp(h, "~id") == 0)
            c->kind = C_ID;
        else if (strcmp(h, "~label") == 0)
            c->kind = C_LABEL;
        else if (strcmp(h, "~from") == 0)
            c->kind = C_START;
        else if (strcmp(h, "~to") == 0)
            c->kind = C_END;
        else
            return hdiag(t, i,
                         "unknown system column (expected ~id, "
                         "~label, ~from or ~to)");
        return KG_OK;
    }
    if (h[0] == ':') {
        *colon = 1;
        if (match_sys(h, n, ":ID", 1))
            c->kind = C_ID;
        else if (strcmp(h, ":LABEL") == 0)
            c->kind = C_LABEL;
        else if (match_sys(h, n, ":START_ID", 1))
            c->kind = C_START;
        else if (match_sys(h, n, ":END_ID", 1))
            c->kind = C_END;
        else if (strcmp(h, ":TYPE") == 0)
            c->kind = C_TYPE;
        else if (strcmp(h, ":IGNORE") == 0)
            c->kind = C_SKIP;
        else
            return hdiag(t, i,
                         "unknown system column (expected :ID, "
                         ":LABEL, :START_ID, :END_ID or :TYPE)");
        return KG_OK;
    }
    return prop_col(t, i, h, n);
}

/* Decide nodes or edges, give Gremlin's ~label and ~id their meaning
 * there, and drop columns that do not belong. KG_OK, KG_ENOMEM, or
 * KG_ESYNTAX (reported) when the file cannot be read at all. */
static int settle(table *t, int tilde)
{
    size_t i, j;
    int rc = KG_OK;

    t->edges = 0;
    for (i = 0; i < t->ncols; i++)
        if (t->cols[i].kind == C_START || t->cols[i].kind == C_END)
            t->edges = 1;
    for (i = 0; i < C_SKIP; i++)
        t->sys[i] = -1;
    for (i = 0; i < t->ncols && rc == KG_OK; i++) {
        tcol *c = &t->cols[i];
        if (t->edges && c->kind == C_ID) c->kind = c->name ? C_PROP : C_EDGE_ID;
        if (t->edges && c->kind == C_LABEL && c->head[0] == '~')
            c->kind = C_TYPE;
        if (c->kind == C_SKIP || c->kind == C_PROP) continue;
        if ((t->edges && c->kind == C_LABEL) ||
            (!t->edges && c->kind == C_TYPE)) {
            rc = hdiag(t, i,
                       t->edges ? "labels belong in a node file"
                                : "a type belongs in an edge file");
            c->kind = C_SKIP;
        } else if (t->sys[c->kind] >= 0) {
            rc = hdiag(t, i, "this system column appears twice");
            c->kind = C_SKIP;
        } else {
            t->sys[c->kind] = (int)i;
        }
    }
    for (i = 0; i < t->ncols && rc == KG_OK; i++) {
        tcol *c = &t->cols[i];
        if (c->kind != C_PROP && !(c->kind == C_ID && c->name)) continue;
        /* Gremlin node properties hold sets unless declared (single) */
        c->split = c->array || (tilde && !t->edges && !c->single);
        for (j = 0; j < i; j++) {
            if ((t->cols[j].kind == C_PROP ||
                 (t->cols[j].kind == C_ID && t->cols[j].name)) &&
                strcmp(t->cols[j].name, c->name) == 0) {
                rc = hdiag(t, i, "a property of this name comes earlier");
                c->kind = C_SKIP;
                break;
            }
        }
    }
    if (rc < 0) return rc;
    if (t->edges &&
        (t->sys[C_START] < 0 || t->sys[C_END] < 0 || t->sys[C_TYPE] < 0))
        rc = kg_doc_diag(t->doc, KG_SEV_ERROR, t->csv.rec_line, 1,
                         "edge table needs %s columns; table ignored",
                         tilde ? "~from, ~to and ~label"
                               : ":START_ID, :END_ID and :TYPE");
    else if (!t->edges && t->sys[C_ID] < 0)
        rc = kg_doc_diag(t->doc, KG_SEV_ERROR, t->csv.rec_line, 1,
                         "header has no :ID or ~id column (a node table) "
                         "and no :START_ID/:END_ID or ~from/~to columns (an "
                         "edge table); table ignored");
    else
        return KG_OK;
    return rc < 0 ? rc : KG_ESYNTAX;
}

static int header(table *t)
{
    size_t i, n, a;
    const char *h;
    int rc, tilde = 0, colon = 0;

    if ((rc = kg_csv__next(&t->csv, t->err)) <= 0) {
        if (rc < 0 || t->csv.broken) return rc < 0 ? rc : KG_ESYNTAX;
        rc = kg_doc_diag(t->doc, KG_SEV_ERROR, 1, 1,
                         "empty table: no header line");
        return rc < 0 ? rc : KG_ESYNTAX;
    }
    if (t->csv.nseen > KG_TABLE_MAX_COLUMNS) {
        rc = kg_doc_diag(t->doc, KG_SEV_ERROR, t->csv.rec_line, 1,
                         "header has %zu columns, over the limit of %u; "
                         "table ignored",
                         t->csv.nseen, KG_TABLE_MAX_COLUMNS);
        return rc < 0 ? rc : KG_ESYNTAX;
    }
    t->ncols = t->csv.nfields;
    if ((t->cols = kg_calloc(t->ncols, sizeof *t->cols)) == NULL)
        return KG_ENOMEM;
    for (i = 0; i < t->ncols; i++) {
        h = kg_csv__field(&t->csv, i, &n);
        for (a = 0; a < n && h[a] == ' '; a++) {
        }
        while (n > a && h[n - 1] == ' ')
            n--;
        if ((t->cols[i].head = kg_strndup(h + a, n - a)) == NULL)
            return KG_ENOMEM;
        if ((rc = parse_col(t, i, &tilde, &colon)) < 0) return rc;
    }
    if (tilde && colon &&
        (rc = kg_doc_diag(t->doc, KG_SEV_WARNING, t->csv.rec_line, 1,
                          "header mixes openCypher (':') and Gremlin ('~') "
                          "system columns")) < 0)
        return rc;
    return settle(t, tilde && !colon);
}

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

/* The value of a cell: one typed value, or a list for multi-values. */
static int cell(table *t, const tcol *c, size_t f, kg_value *out)
{
    char q[KG_QUOTE_BUF];
    size_t n, i;
    const char *s = kg_csv__field(&t->csv, f, &n), *why = NULL;
    kg_value v, list = KG_NULL_VALUE;

    *out = KG_NULL_VALUE;
    if (!c->split) {
        if ((why = typed(c->type, s, n, &v)) == NULL) goto ok;
        goto bad;
    }
    if ((list = kg_value_list(0)).type != KG_VLIST) return KG_ENOMEM;
    kg_buf_reset(&t->part);
    for (i = 0; i <= n; i++) {
        if (i + 1 < n && s[i] == '\\' && s[i + 1] == ';') {
            kg_buf_putc(&t->part, ';');
            i++;
            continue;
        }
        if (i < n && s[i] != ';') {
            kg_buf_putc(&t->part, s[i]);
            continue;
        }
        if (t->part.oom) goto oom;
        if (t->part.len == 0) continue; /* "a;;b": no empty values */
        why = typed(c->type, t->part.data, t->part.len, &v);
        kg_buf_reset(&t->part);
        if (why) goto bad;
        if (v.type == KG_VNULL || kg_value_list_push(&list, v) < 0) goto oom;
    }
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
                       t->row, c->name, type_names[c->type],
                       c->array ? "[]" : "", why, kg_text__quote(q, s, n));
oom:
    kg_value_release(&list);
    return KG_ENOMEM;
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
        if (n == 0) continue; /* an empty cell is an absent property */
        if ((rc = cell(t, c, i, &v)) < 0) return rc;
        if (v.type == KG_VNULL) continue; /* reported */
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
    size_t n, ln, i, start;
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
        for (i = start = 0; i <= ln; i++) {
            if (i < ln && lab[i] != ';') continue;
            kg_buf_reset(&t->part);
            if (kg_buf_put(&t->part, lab + start, i - start) < 0)
                return KG_ENOMEM;
            start = i + 1;
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
    if ((rc = header(&t)) < 0) goto done;
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
    kg_csv__free(&t.csv);
    kg_strset__free(&t.ids);
    kg_buf_free(&t.part);
    kg_buf_free(&fixed);
    return rc == KG_ENOMEM ? rc : KG_OK;
}
