/* parse_expr.c - expressions by precedence climbing.
 *
 * Binary operators go through one loop driven by the prec[] table (Lua's
 * subexpr / priority[]): an operator is taken while its left priority is
 * above the current limit, and its right operand is parsed with the right
 * priority as the new limit. Prefix operators parse their operand with a
 * fixed limit: NOT takes everything above AND, unary minus only postfix
 * expressions (so -2 ^ 2 is (-2) ^ 2, as in the openCypher grammar).
 * Comparison chains a < b < c become (a < b) AND (b < c).
 *
 * Levels, loosest first: OR, XOR, AND, NOT, comparison, string/list/null
 * predicates (IN, STARTS WITH, ENDS WITH, CONTAINS, =~, IS NULL), + -,
 * * / %, ^, unary + -, postfix (.name, [i], [a..b], :Label).
 */
#include "parse.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ORDER BINOP */
static const struct { uint8_t left, right; } prec[] = {
    {1, 1}, {2, 2}, {3, 3},                                 /* OR XOR AND */
    {5, 5}, {5, 5}, {5, 5}, {5, 5}, {5, 5}, {5, 5},         /* comparison */
    {6, 6}, {6, 6}, {6, 6}, {6, 6}, {6, 6},                 /* predicates */
    {7, 7}, {7, 7},                                         /* + -        */
    {8, 8}, {8, 8}, {8, 8},                                 /* * / %      */
    {9, 9}                                                  /* ^          */
};
#define PREC_NOT 3
#define PREC_PRED 6
#define PREC_UNARY 10

static ast_expr *subexpr(kg_parser *p, int limit);

static ast_expr *node(kg_parser *p, int kind, kg_span at)
{
    ast_expr *e = kg_ast_expr(p->arena, kind, at);
    if (!e) kg_parse__fail(p, KG_ENOMEM, at, "out of memory");
    return e;
}

static kg_span since(const kg_parser *p, uint32_t start)
{
    return (kg_span){start, p->prev.span.offset + p->prev.span.len - start};
}

static int binop_of(kg_parser *p)
{
    switch (p->tok.kind) {
    case KG_TOK_OR: return AST_OP_OR;
    case KG_TOK_XOR: return AST_OP_XOR;
    case KG_TOK_AND: return AST_OP_AND;
    case KG_TOK_EQ: return AST_OP_EQ;
    case KG_TOK_NE: return AST_OP_NE;
    case KG_TOK_LT: return AST_OP_LT;
    case KG_TOK_GT: return AST_OP_GT;
    case KG_TOK_LE: return AST_OP_LE;
    case KG_TOK_GE: return AST_OP_GE;
    case KG_TOK_IN: return AST_OP_IN;
    case KG_TOK_STARTS: return AST_OP_STARTS;
    case KG_TOK_ENDS: return AST_OP_ENDS;
    case KG_TOK_CONTAINS: return AST_OP_CONTAINS;
    case KG_TOK_REGEX: return AST_OP_REGEX;
    case KG_TOK_PLUS: return AST_OP_ADD;
    case KG_TOK_MINUS: return AST_OP_SUB;
    case KG_TOK_STAR: return AST_OP_MUL;
    case KG_TOK_SLASH: return AST_OP_DIV;
    case KG_TOK_PERCENT: return AST_OP_MOD;
    case KG_TOK_CARET: return AST_OP_POW;
    default: return -1;
    }
}

static int is_cmp(int op)
{
    return op >= AST_OP_EQ && op <= AST_OP_GE;
}

/* ---- literals ---- */

static ast_expr *number(kg_parser *p, int negate, uint32_t start)
{
    const char *s = p->text + p->tok.span.offset;
    uint32_t n = p->tok.span.len, i = 0;
    kg_span at = {start, p->tok.span.offset + n - start};
    ast_expr *e = node(p, AST_E_LIT, at);
    if (!e) return NULL;
    if (p->tok.kind == KG_TOK_FLOAT) {
        char *buf = kg_arena_strndup(p->arena, s, n);
        double d;
        if (!buf) {
            kg_parse__fail(p, KG_ENOMEM, at, "out of memory");
            return NULL;
        }
        errno = 0;
        d = strtod(buf, NULL);
        if (isinf(d)) {
            kg_parse__fail(p, KG_ESYNTAX, at,
                           "floating point literal is too large");
            return NULL;
        }
        e->val = kg_value_float(negate && d != 0 ? -d : d); /* -0.0 is 0.0 */
    } else {
        uint64_t v = 0, lim = negate ? (uint64_t)1 << 63 : ((uint64_t)1 << 63) - 1;
        unsigned base = 10;
        if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) base = 16, i = 2;
        else if (n > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'O'))
            base = 8, i = 2;
        for (; i < n; i++) {
            int c = (unsigned char)s[i];
            unsigned d = c <= '9' ? (unsigned)(c - '0')
                         : c >= 'a' ? (unsigned)(c - 'a' + 10)
                                    : (unsigned)(c - 'A' + 10);
            if (v > (lim - d) / base) {
                kg_parse__fail(p, KG_ESYNTAX, at,
                               "integer literal is too large");
                return NULL;
            }
            v = v * base + d;
        }
        e->val = kg_value_int(negate ? (int64_t)(0 - v) : (int64_t)v);
    }
    kg_parse__next(p);
    return e;
}

static ast_expr *string_lit(kg_parser *p)
{
    char *s;
    size_t n;
    ast_expr *e = node(p, AST_E_LIT, p->tok.span);
    if (!e) return NULL;
    if (kg_lex_decode(p->arena, p->text, &p->tok, &s, &n, p->err) < 0) {
        p->rc = p->err ? p->err->code : KG_ERROR;
        return NULL;
    }
    e->val = kg_value_string(s, n);
    if (e->val.type != KG_VSTRING) {
        kg_parse__fail(p, KG_ENOMEM, p->tok.span, "out of memory");
        return NULL;
    }
    if (kg_parse__keep(p, e->val) < 0) return NULL;
    kg_parse__next(p);
    return e;
}

/* Append to an arena array of pointers (doubling; old blocks stay in the
 * arena). */
static int push_ptr(kg_parser *p, void ***arr, uint32_t *n, uint32_t *cap,
                    void *v)
{
    if (*n == *cap) {
        uint32_t nc = *cap ? *cap * 2 : 4;
        void **na = kg_arena_alloc(p->arena, nc * sizeof *na);
        if (!na) return kg_parse__fail(p, KG_ENOMEM, p->tok.span, "out of memory");
        if (*n) memcpy(na, *arr, *n * sizeof *na);
        *arr = na;
        *cap = nc;
    }
    (*arr)[(*n)++] = v;
    return KG_OK;
}

/* map -> '{' [name ':' expr {',' name ':' expr}] '}' */
ast_expr *kg_parse__map_literal(kg_parser *p)
{
    uint32_t open = p->tok.span.offset, cap = 0, ncap = 0, nn = 0;
    ast_expr *e = node(p, AST_E_MAP, p->tok.span);
    if (!e || kg_parse__expect(p, KG_TOK_LBRACE, "'{'") < 0) return NULL;
    if (kg_parse__enter(p) < 0) return NULL;
    if (!kg_parse__check(p, KG_TOK_RBRACE)) {
        do {
            const char *key = kg_parse__name(p, "a property name");
            ast_expr *v;
            if (!key || kg_parse__expect(p, KG_TOK_COLON, "':'") < 0) return NULL;
            if (!(v = kg_parse__expr(p))) return NULL;
            if (push_ptr(p, (void ***)&e->names, &nn, &ncap, (void *)key) < 0 ||
                push_ptr(p, (void ***)&e->args, &e->nargs, &cap, v) < 0)
                return NULL;
        } while (kg_parse__accept(p, KG_TOK_COMMA));
    }
    e->nnames = nn;
    if (kg_parse__match(p, KG_TOK_RBRACE, KG_TOK_LBRACE, open) < 0) return NULL;
    kg_parse__leave(p);
    e->span = since(p, open);
    return e;
}

/* mapproj -> var '{' [sel {',' sel}] '}'; sel -> '.' name | '.*' | name ':' expr
 *            | name */
static ast_expr *map_projection(kg_parser *p, ast_expr *var)
{
    uint32_t open = p->tok.span.offset, cap = 0, ncap = 0, nn = 0;
    ast_expr *e = node(p, AST_E_MAPPROJ, var->span);
    if (!e) return NULL;
    e->a = var;
    kg_parse__next(p);
    if (!kg_parse__check(p, KG_TOK_RBRACE)) {
        do {
            const char *key;
            ast_expr *v = NULL;
            kg_span at = p->tok.span;
            if (kg_parse__accept(p, KG_TOK_DOT)) {
                if (kg_parse__accept(p, KG_TOK_STAR)) {
                    e->flags |= AST_F_STAR;
                    continue;
                }
                if (!(key = kg_parse__name(p, "a property name"))) return NULL;
            } else {
                if (!(key = kg_parse__name(p, "a property name"))) return NULL;
                if (kg_parse__accept(p, KG_TOK_COLON)) {
                    if (!(v = kg_parse__expr(p))) return NULL;
                } else { /* a variable selector: name: name */
                    if (!(v = node(p, AST_E_VAR, at))) return NULL;
                    v->name = key;
                }
            }
            if (push_ptr(p, (void ***)&e->names, &nn, &ncap, (void *)key) < 0 ||
                push_ptr(p, (void ***)&e->args, &e->nargs, &cap, v) < 0)
                return NULL;
        } while (kg_parse__accept(p, KG_TOK_COMMA));
    }
    e->nnames = nn;
    if (kg_parse__match(p, KG_TOK_RBRACE, KG_TOK_LBRACE, open) < 0) return NULL;
    e->span = since(p, var->span.offset);
    return e;
}

/* case -> CASE [expr] WHEN expr THEN expr {WHEN expr THEN expr} [ELSE expr] END */
static ast_expr *case_expr(kg_parser *p)
{
    uint32_t start = p->tok.span.offset, cap = 0;
    ast_expr *e = node(p, AST_E_CASE, p->tok.span);
    if (!e) return NULL;
    kg_parse__next(p);
    if (!kg_parse__check(p, KG_TOK_WHEN) && !(e->a = kg_parse__expr(p)))
        return NULL;
    if (!kg_parse__check(p, KG_TOK_WHEN)) {
        kg_parse__expect(p, KG_TOK_WHEN, "WHEN");
        return NULL;
    }
    while (kg_parse__accept(p, KG_TOK_WHEN)) {
        ast_expr *w, *t;
        if (!(w = kg_parse__expr(p))) return NULL;
        if (kg_parse__expect(p, KG_TOK_THEN, "THEN") < 0) return NULL;
        if (!(t = kg_parse__expr(p))) return NULL;
        if (push_ptr(p, (void ***)&e->args, &e->nargs, &cap, w) < 0 ||
            push_ptr(p, (void ***)&e->args, &e->nargs, &cap, t) < 0)
            return NULL;
    }
    if (kg_parse__accept(p, KG_TOK_ELSE) && !(e->b = kg_parse__expr(p)))
        return NULL;
    if (kg_parse__match(p, KG_TOK_END, KG_TOK_CASE, start) < 0) return NULL;
    e->span = since(p, start);
    return e;
}

/* filter -> name IN expr [WHERE expr]: the head of comprehensions and
 * quantifiers; fills e->name, e->a, e->b. */
static int filter_head(kg_parser *p, ast_expr *e)
{
    e->span = p->tok.span; /* the variable, for "already defined" errors */
    if (!(e->name = kg_parse__name(p, "a variable"))) return p->rc;
    if (kg_parse__expect(p, KG_TOK_IN, "IN") < 0) return p->rc;
    if (!(e->a = kg_parse__expr(p))) return p->rc;
    if (kg_parse__accept(p, KG_TOK_WHERE) && !(e->b = kg_parse__expr(p)))
        return p->rc;
    return KG_OK;
}

/* Try a pattern at the current token; on success it has a relationship.
 * On failure the position is restored and NULL returned with no error. */
static ast_path *try_path(kg_parser *p)
{
    kg_parse_mark m;
    ast_path *path;
    kg_error saved;
    if (p->err) saved = *p->err;
    kg_parse__mark(p, &m);
    path = kg_parse__path(p);
    if (path && !p->rc && path->nrels > 0) return path;
    kg_parse__rewind(p, &m);
    if (p->err) *p->err = saved;
    return NULL;
}

static ast_pattern *one_path_pattern(kg_parser *p, ast_path *path)
{
    ast_pattern *pat = kg_arena_alloc(p->arena, sizeof *pat);
    if (!pat || !(pat->paths = kg_arena_alloc(p->arena, sizeof(ast_path *)))) {
        kg_parse__fail(p, KG_ENOMEM, path->span, "out of memory");
        return NULL;
    }
    pat->paths[0] = path;
    pat->npaths = 1;
    pat->span = path->span;
    return pat;
}

/* list -> '[' name IN expr [WHERE expr] ['|' expr] ']'       (comprehension)
 *       | '[' path [WHERE expr] '|' expr ']'           (pattern comprehension)
 *       | '[' [expr {',' expr}] ']' */
static ast_expr *list_expr(kg_parser *p)
{
    uint32_t open = p->tok.span.offset, cap = 0;
    ast_expr *e;
    ast_path *path;
    kg_parse__next(p);
    if (kg_lex_is_name(&p->tok) && kg_parse__peek(p) == KG_TOK_IN) {
        if (!(e = node(p, AST_E_LISTCOMP, p->tok.span))) return NULL;
        if (filter_head(p, e) < 0) return NULL;
        if (kg_parse__accept(p, KG_TOK_PIPE) && !(e->c = kg_parse__expr(p)))
            return NULL;
    } else if ((kg_parse__check(p, KG_TOK_LPAREN) ||
                (kg_lex_is_name(&p->tok) && kg_parse__peek(p) == KG_TOK_EQ)) &&
               (path = try_path(p)) != NULL) {
        if (!(e = node(p, AST_E_PATCOMP, path->span))) return NULL;
        if (!(e->pat = one_path_pattern(p, path))) return NULL;
        if (kg_parse__accept(p, KG_TOK_WHERE) && !(e->b = kg_parse__expr(p)))
            return NULL;
        if (kg_parse__expect(p, KG_TOK_PIPE, "'|'") < 0) return NULL;
        if (!(e->c = kg_parse__expr(p))) return NULL;
    } else {
        if (!(e = node(p, AST_E_LIST, p->tok.span))) return NULL;
        if (!kg_parse__check(p, KG_TOK_RBRACKET)) {
            do {
                ast_expr *item = kg_parse__expr(p);
                if (!item ||
                    push_ptr(p, (void ***)&e->args, &e->nargs, &cap, item) < 0)
                    return NULL;
            } while (kg_parse__accept(p, KG_TOK_COMMA));
        }
    }
    if (kg_parse__match(p, KG_TOK_RBRACKET, KG_TOK_LBRACKET, open) < 0)
        return NULL;
    e->span = since(p, open);
    return e;
}

/* At '.' name '(' after a name: a namespaced function such as
 * duration.between(a, b) (a property is never called, so no clash). */
static int dotted_call(kg_parser *p)
{
    kg_lexer lx = p->lx;
    kg_token t;
    kg_error scratch;
    if (!kg_parse__check(p, KG_TOK_DOT)) return 0;
    if (kg_lex_next(&lx, &t, &scratch) < 0 || !kg_lex_is_name(&t)) return 0;
    return kg_lex_next(&lx, &t, &scratch) == KG_OK && t.kind == KG_TOK_LPAREN;
}

/* Consume '.' name and return "ns.name" (in the arena). */
static const char *dotted_name(kg_parser *p, const char *ns)
{
    const char *sub;
    char *full;
    size_t a, b;
    kg_parse__next(p); /* '.' */
    if (!(sub = kg_parse__name(p, "a function name"))) return NULL;
    a = strlen(ns);
    b = strlen(sub);
    if (!(full = kg_arena_alloc(p->arena, a + b + 2))) {
        kg_parse__fail(p, KG_ENOMEM, p->tok.span, "out of memory");
        return NULL;
    }
    memcpy(full, ns, a);
    full[a] = '.';
    memcpy(full + a + 1, sub, b + 1);
    return full;
}

/* call -> name '(' [DISTINCT] [expr {',' expr}] ')' | count '(' '*' ')'
 *       | (all|any|none|single) '(' filter ')' | reduce '(' name '=' expr ','
 *         name IN expr '|' expr ')' | exists '(' (path | expr) ')' */
static ast_expr *call_expr(kg_parser *p, const char *name, uint32_t start)
{
    static const char *const quants[] = {"all", "any", "none", "single"};
    uint32_t open = p->tok.span.offset, cap = 0, i;
    ast_expr *e = node(p, AST_E_CALL, p->tok.span);
    ast_path *path;
    if (!e) return NULL;
    e->name = name;
    kg_parse__next(p); /* '(' */
    for (i = 0; i < 4; i++)
        if (kg_strcasecmp(name, quants[i]) == 0 && kg_lex_is_name(&p->tok) &&
            kg_parse__peek(p) == KG_TOK_IN) {
            e->kind = AST_E_QUANT;
            e->op = (uint8_t)i;
            if (filter_head(p, e) < 0) return NULL;
            goto close;
        }
    if (kg_strcasecmp(name, "count") == 0 && kg_parse__check(p, KG_TOK_STAR)) {
        e->kind = AST_E_COUNTSTAR;
        kg_parse__next(p);
        goto close;
    }
    if (kg_strcasecmp(name, "reduce") == 0 && kg_lex_is_name(&p->tok) &&
        kg_parse__peek(p) == KG_TOK_EQ) {
        const char *acc;
        e->kind = AST_E_REDUCE;
        if (!(e->names = kg_arena_alloc(p->arena, sizeof *e->names))) {
            kg_parse__fail(p, KG_ENOMEM, p->tok.span, "out of memory");
            return NULL;
        }
        if (!(acc = kg_parse__name(p, "an accumulator"))) return NULL;
        e->names[0] = acc;
        kg_parse__next(p); /* '=' */
        if (!(e->a = kg_parse__expr(p))) return NULL;
        if (kg_parse__expect(p, KG_TOK_COMMA, "','") < 0) return NULL;
        if (!(e->name = kg_parse__name(p, "a variable"))) return NULL;
        if (kg_parse__expect(p, KG_TOK_IN, "IN") < 0) return NULL;
        if (!(e->b = kg_parse__expr(p))) return NULL;
        if (kg_parse__expect(p, KG_TOK_PIPE, "'|'") < 0) return NULL;
        if (!(e->c = kg_parse__expr(p))) return NULL;
        goto close;
    }
    if (kg_strcasecmp(name, "exists") == 0 &&
        kg_parse__check(p, KG_TOK_LPAREN) && (path = try_path(p)) != NULL) {
        e->kind = AST_E_PATTERN;
        e->flags |= AST_F_EXISTS;
        if (!(e->pat = one_path_pattern(p, path))) return NULL;
        goto close;
    }
    if (kg_parse__accept(p, KG_TOK_DISTINCT)) e->flags |= AST_F_DISTINCT;
    if (!kg_parse__check(p, KG_TOK_RPAREN)) {
        do {
            ast_expr *a = kg_parse__expr(p);
            if (!a || push_ptr(p, (void ***)&e->args, &e->nargs, &cap, a) < 0)
                return NULL;
        } while (kg_parse__accept(p, KG_TOK_COMMA));
    }
close:
    if (kg_parse__match(p, KG_TOK_RPAREN, KG_TOK_LPAREN, open) < 0) return NULL;
    e->span = since(p, start);
    return e;
}

/* exists_subquery -> EXISTS '{' pattern [WHERE expr] '}'
 *                  | EXISTS '{' single_query '}' */
static ast_expr *exists_subquery(kg_parser *p, uint32_t start)
{
    uint32_t open = p->tok.span.offset;
    ast_expr *e = node(p, AST_E_PATTERN, p->tok.span);
    if (!e) return NULL;
    e->flags = AST_F_EXISTS | AST_F_SUBQUERY;
    kg_parse__next(p); /* '{' */
    if (kg_parse__check(p, KG_TOK_LPAREN) ||
        (kg_lex_is_name(&p->tok) && !(p->tok.kind >= KG_TOK_KW_FIRST &&
                                      p->tok.kind <= KG_TOK_KW_LAST))) {
        if (!(e->pat = kg_parse__pattern(p))) return NULL;
        if (kg_parse__accept(p, KG_TOK_WHERE) && !(e->b = kg_parse__expr(p)))
            return NULL;
    } else if (!(e->sub = kg_parse__single(p))) {
        return NULL;
    }
    if (kg_parse__match(p, KG_TOK_RBRACE, KG_TOK_LBRACE, open) < 0) return NULL;
    e->span = since(p, start);
    return e;
}

/* atom -> literal | param | list | map | case | '(' expr ')' | pattern
 *       | call | name */
static ast_expr *atom(kg_parser *p)
{
    uint32_t start = p->tok.span.offset;
    ast_expr *e;
    ast_path *path;
    switch (p->tok.kind) {
    case KG_TOK_INT:
    case KG_TOK_FLOAT: return number(p, 0, start);
    case KG_TOK_STRING: return string_lit(p);
    case KG_TOK_TRUE:
    case KG_TOK_FALSE:
        if (!(e = node(p, AST_E_LIT, p->tok.span))) return NULL;
        e->val = kg_value_bool(p->tok.kind == KG_TOK_TRUE);
        kg_parse__next(p);
        return e;
    case KG_TOK_NULL:
        if (!(e = node(p, AST_E_LIT, p->tok.span))) return NULL;
        kg_parse__next(p);
        return e;
    case KG_TOK_PARAM: {
        char *s;
        size_t n;
        if (!(e = node(p, AST_E_PARAM, p->tok.span))) return NULL;
        if (p->text[start + 1] == '`') {
            if (kg_lex_decode(p->arena, p->text, &p->tok, &s, &n, p->err) < 0) {
                p->rc = p->err ? p->err->code : KG_ERROR;
                return NULL;
            }
        } else if (!(s = kg_arena_strndup(p->arena, p->text + start + 1,
                                          p->tok.span.len - 1))) {
            kg_parse__fail(p, KG_ENOMEM, p->tok.span, "out of memory");
            return NULL;
        }
        e->name = s;
        kg_parse__next(p);
        return e;
    }
    case KG_TOK_LBRACKET: return list_expr(p);
    case KG_TOK_LBRACE: return kg_parse__map_literal(p);
    case KG_TOK_CASE: return case_expr(p);
    case KG_TOK_LPAREN:
        if ((path = try_path(p)) != NULL) {
            if (!(e = node(p, AST_E_PATTERN, path->span))) return NULL;
            e->pat = one_path_pattern(p, path);
            return e->pat ? e : NULL;
        }
        kg_parse__next(p);
        if (!(e = kg_parse__expr(p))) return NULL;
        if (kg_parse__match(p, KG_TOK_RPAREN, KG_TOK_LPAREN, start) < 0)
            return NULL;
        /* keep the parentheses in the span: column names use the text */
        e->span = since(p, start);
        return e;
    default: break;
    }
    if (kg_lex_is_name(&p->tok)) {
        kg_span at = p->tok.span;
        const char *name = kg_parse__name(p, "an expression");
        if (!name) return NULL;
        if (dotted_call(p) && !(name = dotted_name(p, name))) return NULL;
        if (kg_parse__check(p, KG_TOK_LPAREN)) return call_expr(p, name, start);
        if (kg_parse__check(p, KG_TOK_LBRACE) && kg_strcasecmp(name, "exists") == 0)
            return exists_subquery(p, start);
        if (!(e = node(p, AST_E_VAR, at))) return NULL;
        e->name = name;
        if (kg_parse__check(p, KG_TOK_LBRACE)) return map_projection(p, e);
        return e;
    }
    kg_parse__error_near(p);
    return NULL;
}

/* postfix -> atom { '.' name | '[' expr ']' | '[' [expr] '..' [expr] ']'
 *                 | ':' name {':' name} } */
static ast_expr *postfix(kg_parser *p, ast_expr *e)
{
    uint32_t start;
    if (!e) return NULL;
    start = e->span.offset;
    while (e && !p->rc) {
        if (kg_parse__accept(p, KG_TOK_DOT)) {
            ast_expr *pe = node(p, AST_E_PROP, e->span);
            if (!pe || !(pe->name = kg_parse__name(p, "a property name")))
                return NULL;
            pe->a = e;
            pe->span = since(p, start);
            e = pe;
        } else if (kg_parse__check(p, KG_TOK_LBRACKET)) {
            uint32_t open = p->tok.span.offset;
            ast_expr *ie = node(p, AST_E_INDEX, e->span);
            if (!ie) return NULL;
            ie->a = e;
            kg_parse__next(p);
            if (!kg_parse__check(p, KG_TOK_DOTDOT) && !(ie->b = kg_parse__expr(p)))
                return NULL;
            if (kg_parse__accept(p, KG_TOK_DOTDOT)) {
                ie->kind = AST_E_SLICE;
                if (!kg_parse__check(p, KG_TOK_RBRACKET) &&
                    !(ie->c = kg_parse__expr(p)))
                    return NULL;
            }
            if (kg_parse__match(p, KG_TOK_RBRACKET, KG_TOK_LBRACKET, open) < 0)
                return NULL;
            ie->span = since(p, start);
            e = ie;
        } else if (kg_parse__check(p, KG_TOK_COLON)) {
            ast_expr *le = node(p, AST_E_HASLABEL, e->span);
            if (!le) return NULL;
            le->a = e;
            if (kg_parse__labels(p, &le->names, &le->nnames) < 0) return NULL;
            le->span = since(p, start);
            e = le;
        } else {
            break;
        }
    }
    return p->rc ? NULL : e;
}

static ast_expr *binary(kg_parser *p, int op, ast_expr *a, ast_expr *b)
{
    ast_expr *e = node(p, AST_E_BINOP, kg_ast_join(a->span, b->span));
    if (!e) return NULL;
    e->op = (uint8_t)op;
    e->a = a;
    e->b = b;
    return e;
}

/* subexpr -> (NOT subexpr | ('-' | '+') subexpr | postfix)
 *            { binop subexpr | IS [NOT] NULL } */
static ast_expr *subexpr(kg_parser *p, int limit)
{
    uint32_t start = p->tok.span.offset;
    ast_expr *e, *last_cmp = NULL;
    if (kg_parse__enter(p) < 0) return NULL;
    if (kg_parse__accept(p, KG_TOK_NOT)) {
        ast_expr *a = subexpr(p, PREC_NOT);
        if (!a || !(e = node(p, AST_E_NOT, since(p, start)))) return NULL;
        e->a = a;
    } else if (kg_parse__check(p, KG_TOK_MINUS) ||
               kg_parse__check(p, KG_TOK_PLUS)) {
        int neg = kg_parse__check(p, KG_TOK_MINUS);
        kg_parse__next(p);
        if (neg && (kg_parse__check(p, KG_TOK_INT) ||
                    kg_parse__check(p, KG_TOK_FLOAT))) {
            e = postfix(p, number(p, 1, start));
        } else {
            ast_expr *a = subexpr(p, PREC_UNARY);
            if (!a) return NULL;
            if (!(e = node(p, AST_E_NEG, since(p, start)))) return NULL;
            e->a = a;
            e->flags = (uint16_t)(neg ? 0 : AST_F_NOT); /* unary plus */
        }
    } else {
        e = postfix(p, atom(p));
    }
    while (e && !p->rc) {
        int op;
        if (kg_parse__check(p, KG_TOK_IS) && PREC_PRED > limit) {
            ast_expr *n;
            kg_parse__next(p);
            if (!(n = node(p, AST_E_ISNULL, e->span))) return NULL;
            if (kg_parse__accept(p, KG_TOK_NOT)) n->flags = AST_F_NOT;
            if (kg_parse__expect(p, KG_TOK_NULL, "NULL") < 0) return NULL;
            n->a = e;
            n->span = since(p, e->span.offset);
            e = n;
            last_cmp = NULL;
            continue;
        }
        op = binop_of(p);
        if (op < 0 || prec[op].left <= limit) break;
        kg_parse__next(p);
        if (op == AST_OP_STARTS || op == AST_OP_ENDS)
            if (kg_parse__expect(p, KG_TOK_WITH, "WITH") < 0) return NULL;
        {
            ast_expr *b = subexpr(p, prec[op].right);
            if (!b) return NULL;
            if (is_cmp(op) && last_cmp) { /* a < b < c */
                ast_expr *c = binary(p, op, last_cmp->b, b);
                if (!c || !(e = binary(p, AST_OP_AND, e, c))) return NULL;
                last_cmp = c;
            } else {
                if (!(e = binary(p, op, e, b))) return NULL;
                last_cmp = is_cmp(op) ? e : NULL;
            }
        }
    }
    kg_parse__leave(p);
    return p->rc ? NULL : e;
}

ast_expr *kg_parse__postfix(kg_parser *p)
{
    if (p->rc) return NULL;
    return postfix(p, atom(p));
}

ast_expr *kg_parse__expr(kg_parser *p)
{
    if (p->rc) return NULL;
    return subexpr(p, 0);
}
