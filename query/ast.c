/* ast.c - syntax tree constructors, S-expression dump, structural equality.
 *
 * The dump is the parser's test oracle: test_parse.c compares the dump of a
 * parsed query with a string, so the shape printed here is part of the
 * tests' contract. It prints what the parser built, before binding.
 */
#include "ast.h"

#include <string.h>

ast_expr *kg_ast_expr(kg_arena *a, int kind, kg_span span)
{
    ast_expr *e = kg_arena_alloc(a, sizeof *e);
    if (!e) return NULL;
    e->kind = (uint8_t)kind;
    e->span = span;
    e->slot = -1;
    e->slot2 = -1;
    e->atom = KG_NONE;
    e->val = KG_NULL_VALUE;
    return e;
}

kg_span kg_ast_join(kg_span a, kg_span b)
{
    uint32_t end = b.offset + b.len;
    if (a.offset + a.len > end) end = a.offset + a.len;
    return (kg_span){a.offset, end - a.offset};
}

/* ORDER BINOP */
static const char *const binop_names[] = {
    "OR", "XOR", "AND", "=", "<>", "<", ">", "<=", ">=", "IN",
    "STARTS WITH", "ENDS WITH", "CONTAINS", "=~", "+", "-", "*", "/", "%",
    "^"};

const char *kg_ast_binop_name(int op)
{
    return op >= 0 && op < AST_OP_COUNT_ ? binop_names[op] : "?";
}

/* ---- dump ---- */

static void dump_lit(kg_buf *out, const kg_value *v)
{
    switch (v->type) {
    case KG_VNULL: kg_buf_puts(out, "null"); break;
    case KG_VBOOL: kg_buf_puts(out, v->u.b ? "true" : "false"); break;
    case KG_VINT: kg_buf_printf(out, "%lld", (long long)v->u.i); break;
    case KG_VFLOAT: kg_buf_printf(out, "%g", v->u.f); break;
    case KG_VSTRING:
        kg_buf_putc(out, '\'');
        kg_buf_put_safe(out, v->u.str->s, v->u.str->len);
        kg_buf_putc(out, '\'');
        break;
    default: kg_buf_puts(out, "?"); break;
    }
}

static void dump_list(kg_buf *out, ast_expr *const *args, uint32_t n)
{
    uint32_t i;
    for (i = 0; i < n; i++) {
        kg_buf_putc(out, ' ');
        kg_ast_dump_expr(out, args[i]);
    }
}

static void dump_names(kg_buf *out, const char *const *names, uint32_t n,
                       char sep)
{
    uint32_t i;
    for (i = 0; i < n; i++) {
        kg_buf_putc(out, sep);
        kg_buf_puts(out, names[i]);
    }
}

int kg_ast_dump_expr(kg_buf *out, const ast_expr *e)
{
    static const char *const quant[] = {"all", "any", "none", "single"};
    uint32_t i;
    if (!e) return kg_buf_puts(out, "nil");
    switch (e->kind) {
    case AST_E_LIT: dump_lit(out, &e->val); break;
    case AST_E_PARAM: kg_buf_printf(out, "$%s", e->name); break;
    case AST_E_VAR: kg_buf_puts(out, e->name); break;
    case AST_E_PROP:
        kg_buf_puts(out, "(. ");
        kg_ast_dump_expr(out, e->a);
        kg_buf_printf(out, " %s)", e->name);
        break;
    case AST_E_INDEX:
        kg_buf_puts(out, "(index ");
        kg_ast_dump_expr(out, e->a);
        kg_buf_putc(out, ' ');
        kg_ast_dump_expr(out, e->b);
        kg_buf_putc(out, ')');
        break;
    case AST_E_SLICE:
        kg_buf_puts(out, "(slice ");
        kg_ast_dump_expr(out, e->a);
        kg_buf_putc(out, ' ');
        kg_ast_dump_expr(out, e->b);
        kg_buf_putc(out, ' ');
        kg_ast_dump_expr(out, e->c);
        kg_buf_putc(out, ')');
        break;
    case AST_E_BINOP:
        kg_buf_printf(out, "(%s ", kg_ast_binop_name(e->op));
        kg_ast_dump_expr(out, e->a);
        kg_buf_putc(out, ' ');
        kg_ast_dump_expr(out, e->b);
        kg_buf_putc(out, ')');
        break;
    case AST_E_NOT:
    case AST_E_NEG:
        kg_buf_puts(out, e->kind == AST_E_NOT ? "(not " : "(neg ");
        kg_ast_dump_expr(out, e->a);
        kg_buf_putc(out, ')');
        break;
    case AST_E_ISNULL:
        kg_buf_puts(out, e->flags & AST_F_NOT ? "(notnull " : "(isnull ");
        kg_ast_dump_expr(out, e->a);
        kg_buf_putc(out, ')');
        break;
    case AST_E_HASLABEL:
        kg_buf_puts(out, "(labels ");
        kg_ast_dump_expr(out, e->a);
        dump_names(out, e->names, e->nnames, ':');
        kg_buf_putc(out, ')');
        break;
    case AST_E_LIST:
        kg_buf_puts(out, "(list");
        dump_list(out, e->args, e->nargs);
        kg_buf_putc(out, ')');
        break;
    case AST_E_MAP:
    case AST_E_MAPPROJ:
        kg_buf_puts(out, e->kind == AST_E_MAP ? "(map" : "(mapproj ");
        if (e->kind == AST_E_MAPPROJ) kg_ast_dump_expr(out, e->a);
        for (i = 0; i < e->nargs; i++) {
            kg_buf_printf(out, " %s:", e->names[i]);
            kg_ast_dump_expr(out, e->args[i]);
        }
        if (e->flags & AST_F_STAR) kg_buf_puts(out, " .*");
        kg_buf_putc(out, ')');
        break;
    case AST_E_CASE:
        kg_buf_puts(out, "(case ");
        kg_ast_dump_expr(out, e->a);
        dump_list(out, e->args, e->nargs);
        kg_buf_puts(out, " else ");
        kg_ast_dump_expr(out, e->b);
        kg_buf_putc(out, ')');
        break;
    case AST_E_CALL:
        kg_buf_printf(out, "(call %s%s", e->name,
                      e->flags & AST_F_DISTINCT ? " distinct" : "");
        dump_list(out, e->args, e->nargs);
        kg_buf_putc(out, ')');
        break;
    case AST_E_COUNTSTAR: kg_buf_puts(out, "(count *)"); break;
    case AST_E_LISTCOMP:
    case AST_E_QUANT:
        kg_buf_printf(out, "(%s %s ",
                      e->kind == AST_E_QUANT ? quant[e->op] : "comp", e->name);
        kg_ast_dump_expr(out, e->a);
        kg_buf_putc(out, ' ');
        kg_ast_dump_expr(out, e->b);
        if (e->kind == AST_E_LISTCOMP) {
            kg_buf_putc(out, ' ');
            kg_ast_dump_expr(out, e->c);
        }
        kg_buf_putc(out, ')');
        break;
    case AST_E_REDUCE:
        kg_buf_printf(out, "(reduce %s ", e->names[0]);
        kg_ast_dump_expr(out, e->a);
        kg_buf_printf(out, " %s ", e->name);
        kg_ast_dump_expr(out, e->b);
        kg_buf_putc(out, ' ');
        kg_ast_dump_expr(out, e->c);
        kg_buf_putc(out, ')');
        break;
    case AST_E_PATTERN:
    case AST_E_PATCOMP:
        kg_buf_puts(out, e->kind == AST_E_PATTERN ? "(pattern " : "(patcomp ");
        if (e->sub) kg_buf_puts(out, "{subquery}");
        kg_ast_dump_pattern(out, e->pat);
        if (e->kind == AST_E_PATTERN && e->b) {
            kg_buf_puts(out, " where ");
            kg_ast_dump_expr(out, e->b);
        }
        if (e->kind == AST_E_PATCOMP) {
            kg_buf_putc(out, ' ');
            kg_ast_dump_expr(out, e->b);
            kg_buf_putc(out, ' ');
            kg_ast_dump_expr(out, e->c);
        }
        kg_buf_putc(out, ')');
        break;
    default: kg_buf_puts(out, "(?)"); break;
    }
    return out->oom ? KG_ENOMEM : KG_OK;
}

static void dump_node(kg_buf *out, const ast_node_pat *n)
{
    kg_buf_putc(out, '(');
    if (n->var) kg_buf_puts(out, n->var);
    dump_names(out, n->labels, n->nlabels, ':');
    if (n->props) {
        kg_buf_putc(out, ' ');
        kg_ast_dump_expr(out, n->props);
    }
    kg_buf_putc(out, ')');
}

static void dump_rel(kg_buf *out, const ast_rel_pat *r)
{
    kg_buf_puts(out, r->dir == AST_DIR_IN ? "<-[" : "-[");
    if (r->var) kg_buf_puts(out, r->var);
    for (uint32_t i = 0; i < r->ntypes; i++)
        kg_buf_printf(out, "%c%s", i ? '|' : ':', r->types[i]);
    if (r->varlen) {
        kg_buf_printf(out, "*%u..", r->min);
        if (r->max != UINT32_MAX) kg_buf_printf(out, "%u", r->max);
    }
    if (r->props) {
        kg_buf_putc(out, ' ');
        kg_ast_dump_expr(out, r->props);
    }
    kg_buf_puts(out, r->dir == AST_DIR_OUT ? "]->" : "]-");
}

int kg_ast_dump_pattern(kg_buf *out, const ast_pattern *p)
{
    uint32_t i, j;
    for (i = 0; p && i < p->npaths; i++) {
        const ast_path *path = p->paths[i];
        if (i) kg_buf_puts(out, ", ");
        if (path->var) kg_buf_printf(out, "%s = ", path->var);
        if (path->shortest)
            kg_buf_puts(out, path->shortest == 1 ? "shortestPath "
                                                 : "allShortestPaths ");
        dump_node(out, path->nodes[0]);
        for (j = 0; j < path->nrels; j++) {
            dump_rel(out, path->rels[j]);
            dump_node(out, path->nodes[j + 1]);
        }
    }
    return out->oom ? KG_ENOMEM : KG_OK;
}

/* ORDER CLAUSE */
static const char *const clause_names[] = {
    "MATCH", "UNWIND", "WITH", "RETURN", "CREATE", "MERGE", "SET", "REMOVE",
    "DELETE", "CALL"};

static void dump_proj(kg_buf *out, const ast_proj *p)
{
    uint32_t i;
    if (p->distinct) kg_buf_puts(out, " DISTINCT");
    if (p->star) kg_buf_puts(out, " *");
    for (i = 0; i < p->nitems; i++) {
        kg_buf_putc(out, ' ');
        kg_ast_dump_expr(out, p->items[i].expr);
        if (p->items[i].alias) kg_buf_printf(out, " AS %s", p->items[i].alias);
    }
    for (i = 0; i < p->norder; i++) {
        kg_buf_puts(out, i ? ", " : " ORDER BY ");
        kg_ast_dump_expr(out, p->order[i].expr);
        if (p->order[i].desc) kg_buf_puts(out, " DESC");
    }
    if (p->skip) {
        kg_buf_puts(out, " SKIP ");
        kg_ast_dump_expr(out, p->skip);
    }
    if (p->limit) {
        kg_buf_puts(out, " LIMIT ");
        kg_ast_dump_expr(out, p->limit);
    }
    if (p->where) {
        kg_buf_puts(out, " WHERE ");
        kg_ast_dump_expr(out, p->where);
    }
}

static void dump_sets(kg_buf *out, const ast_set *s, uint32_t n)
{
    uint32_t i;
    for (i = 0; i < n; i++) {
        kg_buf_putc(out, ' ');
        kg_ast_dump_expr(out, s[i].target);
        switch (s[i].kind) {
        case AST_SET_PROP: kg_buf_puts(out, " = "); break;
        case AST_SET_ALL: kg_buf_puts(out, " = "); break;
        case AST_SET_MERGE: kg_buf_puts(out, " += "); break;
        default: break;
        }
        dump_names(out, s[i].labels, s[i].nlabels, ':');
        if (s[i].value) kg_ast_dump_expr(out, s[i].value);
    }
}

static void dump_clause(kg_buf *out, const ast_clause *c)
{
    uint32_t i;
    if (c->optional) kg_buf_puts(out, "OPTIONAL ");
    if (c->detach) kg_buf_puts(out, "DETACH ");
    kg_buf_puts(out, clause_names[c->kind]);
    if (c->pat) {
        kg_buf_putc(out, ' ');
        kg_ast_dump_pattern(out, c->pat);
    }
    switch (c->kind) {
    case AST_C_WITH:
    case AST_C_RETURN: dump_proj(out, &c->proj); break;
    case AST_C_UNWIND:
        kg_buf_putc(out, ' ');
        kg_ast_dump_expr(out, c->expr);
        kg_buf_printf(out, " AS %s", c->var);
        break;
    case AST_C_MERGE:
        if (c->nsets2) kg_buf_puts(out, " ON CREATE SET");
        dump_sets(out, c->sets2, c->nsets2);
        if (c->nsets) kg_buf_puts(out, " ON MATCH SET");
        dump_sets(out, c->sets, c->nsets);
        break;
    case AST_C_SET:
    case AST_C_REMOVE: dump_sets(out, c->sets, c->nsets); break;
    case AST_C_CALL:
        kg_buf_printf(out, " %s", c->proc);
        dump_list(out, c->exprs, c->nexprs);
        for (i = 0; i < c->nyields; i++)
            kg_buf_printf(out, "%s%s", i ? ", " : " YIELD ",
                          c->yields[i].name);
        break;
    case AST_C_DELETE: dump_list(out, c->exprs, c->nexprs); break;
    default: break;
    }
    if (c->where) {
        kg_buf_puts(out, " WHERE ");
        kg_ast_dump_expr(out, c->where);
    }
}

int kg_ast_dump(kg_buf *out, const ast_stmt *s)
{
    const ast_query *q;
    const ast_clause *c;
    if (s->mode == AST_MODE_EXPLAIN) kg_buf_puts(out, "EXPLAIN ");
    if (s->mode == AST_MODE_PROFILE) kg_buf_puts(out, "PROFILE ");
    if (s->use) kg_buf_printf(out, "USE '%s' ", s->use);
    for (q = s->query; q; q = q->next) {
        for (c = q->clauses; c; c = c->next) {
            dump_clause(out, c);
            if (c->next) kg_buf_puts(out, " | ");
        }
        if (q->next) kg_buf_puts(out, q->union_all ? " UNION ALL " : " UNION ");
    }
    return out->oom ? KG_ENOMEM : KG_OK;
}

/* ---- structural equality ---- */

static int same_str(const char *a, const char *b)
{
    if (!a || !b) return a == b;
    return strcmp(a, b) == 0;
}

int kg_ast_expr_same(const ast_expr *a, const ast_expr *b)
{
    uint32_t i;
    if (!a || !b) return a == b;
    if (a->kind != b->kind || a->op != b->op || a->flags != b->flags ||
        a->nargs != b->nargs || a->nnames != b->nnames)
        return 0;
    if (a->kind == AST_E_CALL || a->kind == AST_E_PROP ||
        a->kind == AST_E_VAR || a->kind == AST_E_PARAM) {
        if (a->kind == AST_E_CALL ? kg_strcasecmp(a->name, b->name) != 0
                                  : !same_str(a->name, b->name))
            return 0;
    } else if (!same_str(a->name, b->name)) {
        return 0;
    }
    if (a->kind == AST_E_LIT) {
        if (a->val.type != b->val.type) return 0;
        if (a->val.type == KG_VSTRING)
            return a->val.u.str->len == b->val.u.str->len &&
                   memcmp(a->val.u.str->s, b->val.u.str->s,
                          a->val.u.str->len) == 0;
        if (a->val.type == KG_VINT) return a->val.u.i == b->val.u.i;
        if (a->val.type == KG_VFLOAT) return a->val.u.f == b->val.u.f;
        if (a->val.type == KG_VBOOL) return a->val.u.b == b->val.u.b;
        return 1;
    }
    if (a->pat || b->pat || a->sub || b->sub)
        return 0; /* patterns are never rewritten */
    for (i = 0; i < a->nnames; i++)
        if (!same_str(a->names[i], b->names[i])) return 0;
    for (i = 0; i < a->nargs; i++)
        if (!kg_ast_expr_same(a->args[i], b->args[i])) return 0;
    return kg_ast_expr_same(a->a, b->a) && kg_ast_expr_same(a->b, b->b) &&
           kg_ast_expr_same(a->c, b->c);
}
