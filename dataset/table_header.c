/* table_header.c - the header row of a Neptune CSV table: system columns
 * (:ID, ~from, ...), property columns NAME:TYPE, Type[] and (single), the
 * NAME@TYPE columns of one property with several types, and escapes in
 * names. See table.c for the whole format. */
#include <string.h>

#include "table_int.h"

static const struct {
    const char *name;
    ctype type;
} type_words[] = {
    {"string", T_STRING}, {"char", T_STRING},  {"byte", T_BYTE},
    {"short", T_SHORT},   {"int", T_INT},      {"integer", T_INT},
    {"long", T_LONG},     {"float", T_FLOAT},  {"double", T_DOUBLE},
    {"bool", T_BOOL},     {"boolean", T_BOOL}, {"date", T_DATE},
    {"datetime", T_DATE}, {NULL, T_STRING}};

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

/* 1 when s[0..n) is w[0..m), ASCII case-insensitively. */
static int same_ci(const char *s, size_t n, const char *w, size_t m)
{
    size_t i;

    if (n != m) return 0;
    for (i = 0; i < n; i++)
        if ((s[i] | 32) != (w[i] | 32)) return 0;
    return 1;
}

/* name:Type, name:Type[], name:Type(single|set), name:ID; '\:', '\@',
 * '\~', '\ ' and '\\' are those characters inside the name (not syntax);
 * NAME@TYPE:TYPE and NAME@Json:String name NAME. Sets c->kind to C_SKIP
 * (reported) when it cannot be read. */
static int prop_col(table *t, size_t i, const char *h, size_t n)
{
    tcol *c = &t->cols[i];
    kg_buf name = KG_BUF_INIT;
    size_t j, k, tl, tb, at = SIZE_MAX;
    const char *ty = NULL;
    int rc = KG_OK;

    for (j = 0; j < n; j++) {
        if (h[j] == '\\' && j + 1 < n && h[j + 1] != '\0' &&
            strchr(":@~ \\", h[j + 1]) != NULL) {
            kg_buf_putc(&name, h[j + 1]);
            j++;
        } else if (h[j] == ':') {
            ty = h + j + 1;
            break;
        } else {
            if (h[j] == '@') at = name.len;
            kg_buf_putc(&name, h[j]);
        }
    }
    kg_buf_put(&name, "", 0);
    if ((c->name = kg_buf_detach(&name)) == NULL) return KG_ENOMEM;
    c->kind = C_PROP;
    if (ty == NULL) at = SIZE_MAX;
    tl = ty ? (size_t)(h + n - ty) : 0;
    if (ty != NULL && match_sys(ty, tl, "ID", 1)) {
        c->kind = C_ID;
        at = SIZE_MAX;
    }
    if (c->kind == C_PROP && ty != NULL) {
        if (tl > 8 && strncmp(ty + tl - 8, "(single)", 8) == 0) {
            c->single = 1;
            tl -= 8;
        } else if (tl > 5 && strncmp(ty + tl - 5, "(set)", 5) == 0) {
            tl -= 5;
        }
        tb = tl; /* the type as written, [] included */
        if (tl > 2 && ty[tl - 2] == '[' && ty[tl - 1] == ']') {
            c->array = 1;
            tl -= 2;
        }
        for (k = 0; type_words[k].name; k++)
            if (same_ci(ty, tl, type_words[k].name,
                        strlen(type_words[k].name)))
                break;
        if (type_words[k].name == NULL) {
            c->kind = C_SKIP;
            at = SIZE_MAX;
            rc = hdiag(t, i,
                       "unknown type (expected String, Int, Long, Short, "
                       "Byte, Float, Double, Bool or Date, with [] for "
                       "arrays)");
        }
        c->type = type_words[k].type;
        if (at != SIZE_MAX) {
            const char *sfx = c->name + at + 1;
            size_t sl = strlen(sfx);
            if (same_ci(sfx, sl, ty, tb))
                c->name[at] = '\0';
            else if (same_ci(sfx, sl, "Json", 4) && c->type == T_STRING &&
                     !c->array)
                c->name[at] = '\0', c->json = 1;
        }
    }
    if (c->kind != C_SKIP &&
        (*c->name == '\0' || kg_text__has_ctrl(c->name, strlen(c->name)))) {
        c->kind = C_SKIP;
        return hdiag(t, i,
                     "a property needs a name without control "
                     "characters");
    }
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
        c->first = (int)i;
        for (j = 0; j < i; j++) {
            tcol *o = &t->cols[j];
            if ((o->kind != C_PROP && !(o->kind == C_ID && o->name)) ||
                strcmp(o->name, c->name) != 0)
                continue;
            /* Columns of distinct types for one property (the
             * exporter's answer to mixed types) are one property. */
            if (o->kind == C_PROP && c->kind == C_PROP &&
                (o->type != c->type || o->array != c->array ||
                 o->json != c->json)) {
                if (c->first == (int)i) c->first = o->first;
                c->shared = o->shared = 1;
                continue;
            }
            rc = hdiag(t, i, "a property of this name and type comes "
                             "earlier");
            c->kind = C_SKIP;
            break;
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

int kg_table__header(table *t)
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
    if ((rc = settle(t, tilde && !colon)) < 0) return rc;
    t->filled = kg_calloc(t->ncols ? t->ncols : 1, sizeof *t->filled);
    t->filled_by = kg_calloc(t->ncols ? t->ncols : 1, sizeof *t->filled_by);
    return t->filled && t->filled_by ? KG_OK : KG_ENOMEM;
}
