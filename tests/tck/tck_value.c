/* tck_value.c - canonical text for TCK value literals.
 *
 * Expected cells in the TCK and the engine's own formatted values are both
 * parsed by this one grammar and printed back in a single canonical form:
 * node labels sorted, map keys sorted, numbers reprinted from their parsed
 * value, strings re-escaped, and (on request) list elements sorted. Equal
 * canonical strings mean equal values.
 *
 *   value -> null | true | false | number | string | list | map
 *          | node | rel | path
 *   node  -> '(' { ':' name } [ map ] ')'
 *   rel   -> '[' ':' name [ map ] ']'
 *   path  -> '<' node { ( '-' rel '->' | '<-' rel '-' ) node } '>'
 */
#include "tck.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *p;
    int unordered;
    int bad;
} cursor;

static void ws(cursor *c)
{
    while (isspace((unsigned char)*c->p)) c->p++;
}

static int eat(cursor *c, char ch)
{
    ws(c);
    if (*c->p != ch) return 0;
    c->p++;
    return 1;
}

static int value(cursor *c, kg_buf *out);

static int name(cursor *c, kg_buf *out)
{
    ws(c);
    if (*c->p == '`') {
        const char *s = ++c->p;
        while (*c->p && *c->p != '`') c->p++;
        if (*c->p != '`') return 0;
        kg_buf_put(out, s, (size_t)(c->p - s));
        c->p++;
        return 1;
    }
    if (!(isalnum((unsigned char)*c->p) || *c->p == '_')) return 0;
    while (isalnum((unsigned char)*c->p) || *c->p == '_') kg_buf_putc(out, *c->p++);
    return 1;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collect items into a sorted (or kept) list joined by sep. */
static void join(kg_buf *out, char **items, int n, int sort, const char *sep)
{
    if (sort && n > 1) qsort(items, (size_t)n, sizeof(char *), cmp_str);
    for (int i = 0; i < n; i++) {
        if (i) kg_buf_puts(out, sep);
        kg_buf_puts(out, items[i]);
        kg_free(items[i]);
    }
    kg_free(items);
}

static void push(char ***items, int *n, kg_buf *b)
{
    *items = kg_realloc(*items, sizeof(char *) * (size_t)(*n + 1));
    (*items)[(*n)++] = kg_buf_detach(b);
}

/* map -> '{' [ name ':' value { ',' name ':' value } ] '}' (after '{') */
static int map_body(cursor *c, kg_buf *out)
{
    char **items = NULL;
    int n = 0;
    if (!eat(c, '}')) {
        do {
            kg_buf e = KG_BUF_INIT;
            if (!name(c, &e) || !eat(c, ':')) goto fail_e;
            kg_buf_puts(&e, ": ");
            if (!value(c, &e)) goto fail_e;
            push(&items, &n, &e);
            continue;
        fail_e:
            kg_buf_free(&e);
            {
                kg_buf tmp = KG_BUF_INIT;
                join(&tmp, items, n, 0, "");
                kg_buf_free(&tmp);
            }
            return 0;
        } while (eat(c, ','));
        if (!eat(c, '}')) {
            kg_buf tmp = KG_BUF_INIT;
            join(&tmp, items, n, 0, "");
            kg_buf_free(&tmp);
            return 0;
        }
    }
    kg_buf_putc(out, '{');
    {
        kg_buf tmp = KG_BUF_INIT;
        join(&tmp, items, n, 1, ", ");
        if (tmp.data) kg_buf_puts(out, tmp.data);
        kg_buf_free(&tmp);
    }
    kg_buf_putc(out, '}');
    return 1;
}

static int node(cursor *c, kg_buf *out)
{
    char **labels = NULL;
    int n = 0;
    kg_buf tmp = KG_BUF_INIT;
    while (eat(c, ':')) {
        kg_buf l = KG_BUF_INIT;
        kg_buf_putc(&l, ':');
        if (!name(c, &l)) { kg_buf_free(&l); goto fail; }
        push(&labels, &n, &l);
    }
    kg_buf_putc(out, '(');
    join(&tmp, labels, n, 1, "");
    labels = NULL;
    if (tmp.data) kg_buf_puts(out, tmp.data);
    kg_buf_free(&tmp);
    if (eat(c, '{')) {
        kg_buf_putc(out, ' ');
        if (!map_body(c, out)) return 0;
        if (out->len > 3 && strcmp(out->data + out->len - 3, " {}") == 0)
            out->len -= 3, out->data[out->len] = '\0';
    }
    return eat(c, ')') ? (kg_buf_putc(out, ')'), 1) : 0;
fail:
    join(&tmp, labels, n, 0, "");
    kg_buf_free(&tmp);
    return 0;
}

static int rel(cursor *c, kg_buf *out)
{
    kg_buf_puts(out, "[");
    if (eat(c, ':')) {
        kg_buf_putc(out, ':');
        if (!name(c, out)) return 0;
    }
    if (eat(c, '{')) {
        kg_buf_putc(out, ' ');
        if (!map_body(c, out)) return 0;
        if (out->len > 3 && strcmp(out->data + out->len - 3, " {}") == 0)
            out->len -= 3, out->data[out->len] = '\0';
    }
    if (!eat(c, ']')) return 0;
    kg_buf_putc(out, ']');
    return 1;
}

static int path(cursor *c, kg_buf *out)
{
    kg_buf_putc(out, '<');
    if (!eat(c, '(') || !node(c, out)) return 0;
    for (;;) {
        ws(c);
        if (c->p[0] == '-' && c->p[1] == '[') {
            c->p += 2;
            kg_buf_putc(out, '-');
            if (!rel(c, out)) return 0;
            if (strncmp(c->p, "->", 2) != 0) return 0;
            c->p += 2;
            kg_buf_puts(out, "->");
        } else if (c->p[0] == '<' && c->p[1] == '-' && c->p[2] == '[') {
            c->p += 3;
            kg_buf_puts(out, "<-");
            if (!rel(c, out)) return 0;
            if (*c->p != '-') return 0;
            c->p++;
            kg_buf_putc(out, '-');
        } else {
            break;
        }
        if (!eat(c, '(') || !node(c, out)) return 0;
    }
    if (!eat(c, '>')) return 0;
    kg_buf_putc(out, '>');
    return 1;
}

static int string(cursor *c, kg_buf *out, char q)
{
    c->p++;
    kg_buf_putc(out, '\'');
    while (*c->p && *c->p != q) {
        char ch = *c->p++;
        if (ch == '\\' && *c->p) {
            ch = *c->p++;
            switch (ch) {
            case 'n': ch = '\n'; break;
            case 't': ch = '\t'; break;
            case 'r': ch = '\r'; break;
            default: break;
            }
        }
        if (ch == '\'' || ch == '\\') kg_buf_putc(out, '\\');
        kg_buf_putc(out, ch);
    }
    if (*c->p != q) return 0;
    c->p++;
    kg_buf_putc(out, '\'');
    return 1;
}

static int number(cursor *c, kg_buf *out)
{
    const char *s = c->p;
    char *end;
    int isfloat = 0;
    if (*s == '-' || *s == '+') s++;
    if (strncmp(s, "NaN", 3) == 0) {
        c->p = s + 3;
        kg_buf_puts(out, "NaN");
        return 1;
    }
    if (strncmp(s, "Infinity", 8) == 0 || strncmp(s, "Inf", 3) == 0) {
        int neg = *c->p == '-';
        c->p = s + (s[3] == 'i' ? 8 : 3);
        kg_buf_puts(out, neg ? "-Infinity" : "Infinity");
        return 1;
    }
    for (const char *q = s; isalnum((unsigned char)*q) || *q == '.'; q++)
        if (*q == '.' || *q == 'e' || *q == 'E') isfloat = 1;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) isfloat = 0;
    if (isfloat) {
        double d = strtod(c->p, &end);
        if (end == c->p) return 0;
        c->p = end;
        if (d == 0) d = 0; /* -0.0 prints as 0.0 */
        kg_buf_printf(out, "%.15g", d);
        if (!strpbrk(out->data + out->len - 1, "0123456789")) return 1;
        if (isfinite(d) && fabs(d) < 1e15 && d == floor(d))
            kg_buf_puts(out, ".0");
        return 1;
    } else {
        long long v = strtoll(c->p, &end, 0);
        if (end == c->p) return 0;
        c->p = end;
        kg_buf_printf(out, "%lld", v);
        return 1;
    }
}

static int value(cursor *c, kg_buf *out)
{
    ws(c);
    switch (*c->p) {
    case '\'': case '"':
        return string(c, out, *c->p);
    case '(':
        c->p++;
        return node(c, out);
    case '[': {
        const char *save = c->p;
        char **items = NULL;
        int n = 0;
        kg_buf tmp = KG_BUF_INIT;
        c->p++;
        ws(c);
        if (*c->p == ':') {
            return rel(c, out);
        }
        if (!eat(c, ']')) {
            do {
                kg_buf e = KG_BUF_INIT;
                if (!value(c, &e)) {
                    kg_buf_free(&e);
                    join(&tmp, items, n, 0, "");
                    kg_buf_free(&tmp);
                    c->p = save;
                    return 0;
                }
                push(&items, &n, &e);
            } while (eat(c, ','));
            if (!eat(c, ']')) {
                join(&tmp, items, n, 0, "");
                kg_buf_free(&tmp);
                return 0;
            }
        }
        kg_buf_putc(out, '[');
        join(&tmp, items, n, c->unordered, ", ");
        if (tmp.data) kg_buf_puts(out, tmp.data);
        kg_buf_free(&tmp);
        kg_buf_putc(out, ']');
        return 1;
    }
    case '{':
        c->p++;
        return map_body(c, out);
    case '<':
        c->p++;
        return path(c, out);
    default:
        break;
    }
    if (strncmp(c->p, "null", 4) == 0) { c->p += 4; kg_buf_puts(out, "null"); return 1; }
    if (strncmp(c->p, "true", 4) == 0) { c->p += 4; kg_buf_puts(out, "true"); return 1; }
    if (strncmp(c->p, "false", 5) == 0) { c->p += 5; kg_buf_puts(out, "false"); return 1; }
    return number(c, out);
}

char *tck_value_canon(const char *text, int unordered_lists, const char **bad)
{
    cursor c = {text, unordered_lists, 0};
    kg_buf out = KG_BUF_INIT;
    if (!value(&c, &out)) goto fail;
    ws(&c);
    if (*c.p) goto fail;
    if (out.data == NULL) kg_buf_puts(&out, "");
    return kg_buf_detach(&out);
fail:
    if (bad) *bad = c.p;
    kg_buf_free(&out);
    return NULL;
}
