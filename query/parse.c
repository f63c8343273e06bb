/* parse.c - recursive-descent parser: statements and clauses.
 *
 * Lua's lparser.c is the model: one function per grammar rule with the rule
 * in a comment above it, check_match-style messages that point back at the
 * opening bracket, and a depth counter instead of unbounded recursion.
 * Expressions are in parse_expr.c and patterns in parse_pattern.c.
 *
 * Errors at the end of the text carry span.offset == len, which is how a
 * REPL recognises incomplete input and asks for another line.
 */
#include "parse.h"
#include "kg_query.h"

#include <stdarg.h>
#include <string.h>

/* ---- token helpers ---- */

void kg_parse_init(kg_parser *p, kg_arena *a, const char *text, uint32_t len,
                   kg_error *err)
{
    memset(p, 0, sizeof *p);
    p->text = text;
    p->len = len;
    p->arena = a;
    p->err = err;
    kg_lex_init(&p->lx, text, len);
    if ((p->rc = kg_lex_check_text(text, len, err)) < 0) {
        p->tok.kind = KG_TOK_EOF;
        p->tok.span = (kg_span){len, 0};
        return;
    }
    kg_parse__next(p);
}

void kg_parse_release(kg_parser *p)
{
    size_t i;
    for (i = 0; i < p->nlits; i++) kg_value_release(&p->lits[i]);
    kg_free(p->lits);
    p->lits = NULL;
    p->nlits = p->caplits = 0;
}

int kg_parse__keep(kg_parser *p, kg_value v)
{
    if (p->nlits == p->caplits) {
        size_t cap = p->caplits ? p->caplits * 2 : 16;
        kg_value *n = kg_realloc(p->lits, cap * sizeof *n);
        if (!n) {
            kg_value_release(&v);
            return kg_parse__fail(p, KG_ENOMEM, (kg_span){0, 0},
                                  "out of memory");
        }
        p->lits = n;
        p->caplits = cap;
    }
    p->lits[p->nlits++] = v;
    return KG_OK;
}

int kg_parse__fail(kg_parser *p, int code, kg_span at, const char *fmt, ...)
{
    va_list ap;
    if (p->rc) return p->rc; /* keep the first error */
    p->rc = code;
    if (p->err) {
        char msg[sizeof p->err->msg];
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        kg_error_set(p->err, code, "<query>", at, "%s", msg);
    }
    return code;
}

void kg_parse__next(kg_parser *p)
{
    int rc;
    p->prev = p->tok;
    if (p->rc) {
        p->tok.kind = KG_TOK_EOF;
        return;
    }
    if ((rc = kg_lex_next(&p->lx, &p->tok, p->err)) < 0) {
        p->rc = rc;
        p->tok.kind = KG_TOK_EOF;
        p->tok.span = (kg_span){p->len, 0};
    }
}

int kg_parse__check(const kg_parser *p, int kind)
{
    return p->tok.kind == kind;
}

int kg_parse__accept(kg_parser *p, int kind)
{
    if (p->tok.kind != kind) return 0;
    kg_parse__next(p);
    return 1;
}

int kg_parse__peek(kg_parser *p)
{
    kg_lexer lx = p->lx;
    kg_token t;
    kg_error scratch;
    if (p->tok.kind == KG_TOK_EOF) return KG_TOK_EOF;
    if (kg_lex_next(&lx, &t, &scratch) < 0) return KG_TOK_EOF;
    return t.kind;
}

int kg_parse__is_word(const kg_parser *p, const char *word)
{
    size_t n = strlen(word), i;
    const char *s = p->text + p->tok.span.offset;
    if (!kg_lex_is_name(&p->tok) || (p->tok.flags & KG_TOKF_QUOTED) ||
        p->tok.span.len != n)
        return 0;
    for (i = 0; i < n; i++) {
        int a = (unsigned char)s[i], b = (unsigned char)word[i];
        if (a >= 'A' && a <= 'Z') a += 32;
        if (b >= 'A' && b <= 'Z') b += 32;
        if (a != b) return 0;
    }
    return 1;
}

/* Quote the current token for a message: its text, cut and made printable. */
static const char *tok_text(kg_parser *p, char *buf, size_t cap)
{
    kg_buf b = KG_BUF_INIT;
    uint32_t n = p->tok.span.len > 40 ? 40 : p->tok.span.len;
    kg_buf_put_safe(&b, p->text + p->tok.span.offset, n);
    snprintf(buf, cap, "%s%s", b.data ? b.data : "",
             n < p->tok.span.len ? "..." : "");
    kg_buf_free(&b);
    return buf;
}

int kg_parse__error_near(kg_parser *p)
{
    char t[64];
    if (p->rc) return p->rc;
    if (p->tok.kind == KG_TOK_EOF)
        return kg_parse__fail(p, KG_ESYNTAX, (kg_span){p->len, 0},
                              "unexpected end of input");
    return kg_parse__fail(p, KG_ESYNTAX, p->tok.span, "syntax error near '%s'",
                          tok_text(p, t, sizeof t));
}

int kg_parse__expect(kg_parser *p, int kind, const char *what)
{
    char t[64];
    if (kg_parse__accept(p, kind)) return KG_OK;
    if (p->rc) return p->rc;
    if (!what) what = kg_lex_kind_name(kind);
    if (p->tok.kind == KG_TOK_EOF)
        return kg_parse__fail(p, KG_ESYNTAX, (kg_span){p->len, 0},
                              "unexpected end of input, expected %s", what);
    return kg_parse__fail(p, KG_ESYNTAX, p->tok.span, "expected %s near '%s'",
                          what, tok_text(p, t, sizeof t));
}

int kg_parse__match(kg_parser *p, int close, int open, uint32_t open_at)
{
    uint32_t line, col;
    kg_span at = p->tok.span;
    if (kg_parse__accept(p, close)) return KG_OK;
    if (p->rc) return p->rc;
    if (p->tok.kind == KG_TOK_EOF) at = (kg_span){p->len, 0};
    kg_lex_where(p->text, open_at, &line, &col);
    return kg_parse__fail(p, KG_ESYNTAX, at, "expected %s to close %s at %u:%u",
                          kg_lex_kind_name(close), kg_lex_kind_name(open), line,
                          col);
}

const char *kg_parse__name(kg_parser *p, const char *what)
{
    char *s;
    size_t n;
    if (p->rc) return NULL;
    if (!kg_lex_is_name(&p->tok)) {
        kg_parse__expect(p, KG_TOK_IDENT, what);
        return NULL;
    }
    if (p->tok.flags & KG_TOKF_QUOTED) {
        if (kg_lex_decode(p->arena, p->text, &p->tok, &s, &n, p->err) < 0) {
            p->rc = p->err ? p->err->code : KG_ERROR;
            return NULL;
        }
    } else {
        s = kg_arena_strndup(p->arena, p->text + p->tok.span.offset,
                             p->tok.span.len);
        if (!s) {
            kg_parse__fail(p, KG_ENOMEM, p->tok.span, "out of memory");
            return NULL;
        }
    }
    kg_parse__next(p);
    return s;
}

int kg_parse__enter(kg_parser *p)
{
    if (++p->depth > KG_QUERY_MAX_DEPTH)
        return kg_parse__fail(p, KG_ELIMIT, p->tok.span,
                              "query nested too deeply (limit %u)",
                              KG_QUERY_MAX_DEPTH);
    return KG_OK;
}

void kg_parse__leave(kg_parser *p)
{
    p->depth--;
}

void kg_parse__mark(const kg_parser *p, kg_parse_mark *m)
{
    m->lx = p->lx;
    m->tok = p->tok;
    m->prev = p->prev;
    m->depth = p->depth;
    m->nlits = p->nlits;
}

/* Back to a mark, forgetting any error raised since (speculation failed). */
void kg_parse__rewind(kg_parser *p, const kg_parse_mark *m)
{
    p->lx = m->lx;
    p->tok = m->tok;
    p->prev = m->prev;
    p->depth = m->depth;
    p->rc = KG_OK;
    if (p->err) kg_error_clear(p->err);
    while (p->nlits > m->nlits) kg_value_release(&p->lits[--p->nlits]);
}

/* ---- growable arena arrays ---- */

/* Append an element to an arena array that doubles in place of a realloc:
 * the old block is abandoned in the arena, which is fine at query sizes. */
static void *push(kg_parser *p, void *arr, uint32_t *n, uint32_t *cap,
                  size_t size)
{
    if (*n == *cap) {
        uint32_t nc = *cap ? *cap * 2 : 4;
        void *na = kg_arena_alloc(p->arena, nc * size);
        if (!na) {
            kg_parse__fail(p, KG_ENOMEM, p->tok.span, "out of memory");
            return NULL;
        }
        if (*n) memcpy(na, arr, *n * size);
        arr = na;
        *cap = nc;
    }
    (*n)++;
    return arr;
}

#define PUSH(p, arr, n, cap)                                                \
    ((arr) = push((p), (arr), &(n), &(cap), sizeof *(arr)))

static ast_clause *new_clause(kg_parser *p, int kind, uint32_t start)
{
    ast_clause *c = kg_arena_alloc(p->arena, sizeof *c);
    if (!c) {
        kg_parse__fail(p, KG_ENOMEM, p->tok.span, "out of memory");
        return NULL;
    }
    c->kind = (uint8_t)kind;
    c->span = (kg_span){start, 0};
    c->slot = -1;
    c->proc_id = -1;
    return c;
}

/* ---- projections ---- */

/* item -> expr [AS name] */
static int parse_item(kg_parser *p, ast_item *it)
{
    uint32_t start = p->tok.span.offset;
    it->expr = kg_parse__expr(p);
    if (!it->expr) return p->rc;
    it->slot = -1;
    if (kg_parse__accept(p, KG_TOK_AS)) {
        it->alias = kg_parse__name(p, "a name after AS");
        if (!it->alias) return p->rc;
        it->name = it->alias;
    } else {
        it->name = kg_arena_strndup(p->arena, p->text + it->expr->span.offset,
                                    it->expr->span.len);
        if (!it->name) return kg_parse__fail(p, KG_ENOMEM, it->expr->span,
                                             "out of memory");
    }
    it->span = (kg_span){start, p->prev.span.offset + p->prev.span.len - start};
    return KG_OK;
}

/* proj -> [DISTINCT] ('*' {',' item} | item {',' item})
 *         [ORDER BY sort {',' sort}] [SKIP expr] [LIMIT expr] */
static int parse_proj(kg_parser *p, ast_proj *pr)
{
    uint32_t cap = 0, ocap = 0;
    pr->distinct = (uint8_t)kg_parse__accept(p, KG_TOK_DISTINCT);
    if (kg_parse__accept(p, KG_TOK_STAR)) {
        pr->star = 1;
        if (!kg_parse__accept(p, KG_TOK_COMMA)) goto order;
    }
    do {
        if (!PUSH(p, pr->items, pr->nitems, cap)) return p->rc;
        memset(&pr->items[pr->nitems - 1], 0, sizeof *pr->items);
        if (parse_item(p, &pr->items[pr->nitems - 1]) < 0) return p->rc;
    } while (kg_parse__accept(p, KG_TOK_COMMA));
order:
    if (kg_parse__accept(p, KG_TOK_ORDER)) {
        if (kg_parse__expect(p, KG_TOK_BY, "BY after ORDER") < 0) return p->rc;
        do {
            ast_sort *s;
            if (!PUSH(p, pr->order, pr->norder, ocap)) return p->rc;
            s = &pr->order[pr->norder - 1];
            s->expr = kg_parse__expr(p);
            if (!s->expr) return p->rc;
            s->desc = 0;
            if (kg_parse__accept(p, KG_TOK_DESC) ||
                kg_parse__accept(p, KG_TOK_DESCENDING))
                s->desc = 1;
            else if (!kg_parse__accept(p, KG_TOK_ASC))
                kg_parse__accept(p, KG_TOK_ASCENDING);
        } while (kg_parse__accept(p, KG_TOK_COMMA));
    }
    if (kg_parse__accept(p, KG_TOK_SKIP) && !(pr->skip = kg_parse__expr(p)))
        return p->rc;
    if (kg_parse__accept(p, KG_TOK_LIMIT) && !(pr->limit = kg_parse__expr(p)))
        return p->rc;
    return p->rc;
}

/* ---- SET / REMOVE items ---- */

static ast_expr *var_expr(kg_parser *p)
{
    kg_span at = p->tok.span;
    const char *name = kg_parse__name(p, "a variable");
    ast_expr *e;
    if (!name) return NULL;
    e = kg_ast_expr(p->arena, AST_E_VAR, at);
    if (!e) {
        kg_parse__fail(p, KG_ENOMEM, at, "out of memory");
        return NULL;
    }
    e->name = name;
    return e;
}

/* prop_target -> var '.' name {'.' name} */
static ast_expr *prop_target(kg_parser *p, ast_expr *e)
{
    while (kg_parse__accept(p, KG_TOK_DOT)) {
        ast_expr *pe;
        kg_span at = p->tok.span;
        const char *name = kg_parse__name(p, "a property name");
        if (!name) return NULL;
        pe = kg_ast_expr(p->arena, AST_E_PROP, kg_ast_join(e->span, at));
        if (!pe) return NULL;
        pe->a = e;
        pe->name = name;
        e = pe;
    }
    return e;
}

/* set_item -> var labels | var ('=' | '+=') expr | var '.' name '=' expr
 * remove_item -> var labels | var '.' name */
static int parse_set_item(kg_parser *p, ast_set *s, int remove)
{
    uint32_t start = p->tok.span.offset;
    if (kg_parse__check(p, KG_TOK_LPAREN)) {
        /* (expr).prop = value: the target is any expression in brackets */
        s->target = kg_parse__postfix(p);
        if (!s->target) return p->rc;
        if (s->target->kind != AST_E_PROP)
            return kg_parse__fail(p, KG_ESYNTAX, s->target->span,
                                  "expected a property to %s",
                                  remove ? "remove" : "set");
        s->kind = remove ? AST_REMOVE_PROP : AST_SET_PROP;
        if (!remove) {
            if (kg_parse__expect(p, KG_TOK_EQ, "'='") < 0) return p->rc;
            if (!(s->value = kg_parse__expr(p))) return p->rc;
        }
        s->span = (kg_span){start, p->prev.span.offset + p->prev.span.len - start};
        return KG_OK;
    }
    s->target = var_expr(p);
    if (!s->target) return p->rc;
    if (kg_parse__check(p, KG_TOK_COLON)) {
        s->kind = remove ? AST_REMOVE_LABELS : AST_SET_LABELS;
        if (kg_parse__labels(p, &s->labels, &s->nlabels) < 0) return p->rc;
    } else if (kg_parse__check(p, KG_TOK_DOT)) {
        s->kind = remove ? AST_REMOVE_PROP : AST_SET_PROP;
        if (!(s->target = prop_target(p, s->target))) return p->rc;
        if (!remove) {
            if (kg_parse__expect(p, KG_TOK_EQ, "'='") < 0) return p->rc;
            if (!(s->value = kg_parse__expr(p))) return p->rc;
        }
    } else if (!remove && (kg_parse__check(p, KG_TOK_EQ) ||
                           kg_parse__check(p, KG_TOK_PLUSEQ))) {
        s->kind = kg_parse__check(p, KG_TOK_EQ) ? AST_SET_ALL : AST_SET_MERGE;
        kg_parse__next(p);
        if (!(s->value = kg_parse__expr(p))) return p->rc;
    } else {
        return kg_parse__expect(p, KG_TOK_DOT,
                                remove ? "'.' or ':'" : "'.', ':', '=' or '+='");
    }
    s->span = (kg_span){start, p->prev.span.offset + p->prev.span.len - start};
    return KG_OK;
}

static int parse_set_list(kg_parser *p, ast_set **sets, uint32_t *n,
                          uint32_t *cap, int remove)
{
    do {
        if (!(*sets = push(p, *sets, n, cap, sizeof **sets))) return p->rc;
        memset(&(*sets)[*n - 1], 0, sizeof **sets);
        if (parse_set_item(p, &(*sets)[*n - 1], remove) < 0) return p->rc;
    } while (kg_parse__accept(p, KG_TOK_COMMA));
    return KG_OK;
}

/* ---- clauses ---- */

/* call -> CALL name {'.' name} ['(' [expr {',' expr}] ')']
 *         [YIELD ('*' | yitem {',' yitem}) [WHERE expr]]
 * yitem -> name [AS name] */
static int parse_call(kg_parser *p, ast_clause *c)
{
    kg_buf name = KG_BUF_INIT;
    uint32_t cap = 0, ycap = 0;
    const char *part;
    do {
        if (!(part = kg_parse__name(p, "a procedure name"))) goto done;
        if (name.len) kg_buf_putc(&name, '.');
        kg_buf_puts(&name, part);
    } while (kg_parse__accept(p, KG_TOK_DOT));
    c->proc = kg_arena_strndup(p->arena, name.data ? name.data : "", name.len);
    if (kg_parse__check(p, KG_TOK_LPAREN)) {
        uint32_t open = p->tok.span.offset;
        kg_parse__next(p);
        c->has_args = 1;
        if (!kg_parse__check(p, KG_TOK_RPAREN)) {
            do {
                if (!PUSH(p, c->exprs, c->nexprs, cap)) goto done;
                if (!(c->exprs[c->nexprs - 1] = kg_parse__expr(p))) goto done;
            } while (kg_parse__accept(p, KG_TOK_COMMA));
        }
        if (kg_parse__match(p, KG_TOK_RPAREN, KG_TOK_LPAREN, open) < 0)
            goto done;
    }
    if (kg_parse__accept(p, KG_TOK_YIELD)) {
        if (kg_parse__accept(p, KG_TOK_STAR)) {
            c->yield_star = 1;
        } else {
            do {
                ast_yield *y;
                if (!PUSH(p, c->yields, c->nyields, ycap)) goto done;
                y = &c->yields[c->nyields - 1];
                memset(y, 0, sizeof *y);
                y->span = p->tok.span;
                y->slot = y->col = -1;
                if (!(y->name = kg_parse__name(p, "a column name"))) goto done;
                if (kg_parse__accept(p, KG_TOK_AS) &&
                    !(y->alias = kg_parse__name(p, "a name after AS")))
                    goto done;
                y->span = kg_ast_join(y->span, p->prev.span);
            } while (kg_parse__accept(p, KG_TOK_COMMA));
        }
        if (kg_parse__accept(p, KG_TOK_WHERE)) c->where = kg_parse__expr(p);
    }
done:
    kg_buf_free(&name);
    return p->rc;
}

static ast_clause *parse_clause(kg_parser *p)
{
    uint32_t start = p->tok.span.offset;
    ast_clause *c = NULL;
    uint32_t cap = 0, cap2 = 0;
    switch (p->tok.kind) {
    case KG_TOK_OPTIONAL:
    case KG_TOK_MATCH: /* match -> [OPTIONAL] MATCH pattern [WHERE expr] */
        if (!(c = new_clause(p, AST_C_MATCH, start))) return NULL;
        c->optional = (uint8_t)kg_parse__accept(p, KG_TOK_OPTIONAL);
        if (kg_parse__expect(p, KG_TOK_MATCH, "MATCH after OPTIONAL") < 0)
            return NULL;
        if (!(c->pat = kg_parse__pattern(p))) return NULL;
        if (kg_parse__accept(p, KG_TOK_WHERE)) c->where = kg_parse__expr(p);
        break;
    case KG_TOK_UNWIND: /* unwind -> UNWIND expr AS name */
        kg_parse__next(p);
        if (!(c = new_clause(p, AST_C_UNWIND, start))) return NULL;
        if (!(c->expr = kg_parse__expr(p))) return NULL;
        if (kg_parse__expect(p, KG_TOK_AS, "AS") < 0) return NULL;
        c->var_span = p->tok.span;
        c->var = kg_parse__name(p, "a variable name");
        break;
    case KG_TOK_WITH: /* with -> WITH proj [WHERE expr] */
    case KG_TOK_RETURN: /* return -> RETURN proj */
        if (!(c = new_clause(p, p->tok.kind == KG_TOK_WITH ? AST_C_WITH
                                                            : AST_C_RETURN,
                             start)))
            return NULL;
        kg_parse__next(p);
        if (parse_proj(p, &c->proj) < 0) return NULL;
        if (c->kind == AST_C_WITH && kg_parse__accept(p, KG_TOK_WHERE))
            c->proj.where = kg_parse__expr(p);
        break;
    case KG_TOK_CREATE: /* create -> CREATE pattern */
        kg_parse__next(p);
        if (!(c = new_clause(p, AST_C_CREATE, start))) return NULL;
        c->pat = kg_parse__pattern(p);
        break;
    case KG_TOK_MERGE: /* merge -> MERGE path {ON (MATCH|CREATE) SET items} */
        kg_parse__next(p);
        if (!(c = new_clause(p, AST_C_MERGE, start))) return NULL;
        if (!(c->pat = kg_arena_alloc(p->arena, sizeof *c->pat)) ||
            !(c->pat->paths = kg_arena_alloc(p->arena, sizeof(ast_path *)))) {
            kg_parse__fail(p, KG_ENOMEM, p->tok.span, "out of memory");
            return NULL;
        }
        c->pat->span = p->tok.span;
        if (!(c->pat->paths[0] = kg_parse__path(p))) return NULL;
        c->pat->npaths = 1;
        c->pat->span = c->pat->paths[0]->span;
        while (kg_parse__accept(p, KG_TOK_ON)) {
            int create = kg_parse__check(p, KG_TOK_CREATE);
            if (!create && !kg_parse__check(p, KG_TOK_MATCH)) {
                kg_parse__expect(p, KG_TOK_MATCH, "MATCH or CREATE after ON");
                return NULL;
            }
            kg_parse__next(p);
            if (kg_parse__expect(p, KG_TOK_SET, "SET") < 0) return NULL;
            if ((create ? parse_set_list(p, &c->sets2, &c->nsets2, &cap2, 0)
                        : parse_set_list(p, &c->sets, &c->nsets, &cap, 0)) < 0)
                return NULL;
        }
        break;
    case KG_TOK_SET:
    case KG_TOK_REMOVE: {
        int remove = p->tok.kind == KG_TOK_REMOVE;
        kg_parse__next(p);
        if (!(c = new_clause(p, remove ? AST_C_REMOVE : AST_C_SET, start)))
            return NULL;
        parse_set_list(p, &c->sets, &c->nsets, &cap, remove);
        break;
    }
    case KG_TOK_DETACH:
    case KG_TOK_DELETE: /* delete -> [DETACH] DELETE expr {',' expr} */
        if (!(c = new_clause(p, AST_C_DELETE, start))) return NULL;
        c->detach = (uint8_t)kg_parse__accept(p, KG_TOK_DETACH);
        if (kg_parse__expect(p, KG_TOK_DELETE, "DELETE after DETACH") < 0)
            return NULL;
        do {
            if (!PUSH(p, c->exprs, c->nexprs, cap)) return NULL;
            if (!(c->exprs[c->nexprs - 1] = kg_parse__expr(p))) return NULL;
        } while (kg_parse__accept(p, KG_TOK_COMMA));
        break;
    case KG_TOK_CALL:
        kg_parse__next(p);
        if (!(c = new_clause(p, AST_C_CALL, start))) return NULL;
        parse_call(p, c);
        break;
    default: kg_parse__error_near(p); return NULL;
    }
    if (p->rc) return NULL;
    c->span.len = p->prev.span.offset + p->prev.span.len - start;
    return c;
}

/* single_query -> clause {clause} */
ast_query *kg_parse__single(kg_parser *p)
{
    ast_query *q = kg_arena_alloc(p->arena, sizeof *q);
    ast_clause **tail;
    uint32_t start = p->tok.span.offset;
    if (!q) {
        kg_parse__fail(p, KG_ENOMEM, p->tok.span, "out of memory");
        return NULL;
    }
    tail = &q->clauses;
    do {
        ast_clause *c = parse_clause(p);
        if (!c) return NULL;
        *tail = c;
        tail = &c->next;
    } while (!p->rc && p->tok.kind != KG_TOK_UNION &&
             p->tok.kind != KG_TOK_SEMI && p->tok.kind != KG_TOK_EOF &&
             p->tok.kind != KG_TOK_RBRACE);
    q->span = (kg_span){start, p->prev.span.offset + p->prev.span.len - start};
    return p->rc ? NULL : q;
}

/* statement -> [EXPLAIN | PROFILE] [USE (string | name)]
 *              single_query {UNION [ALL] single_query} [';'] EOF */
int kg_parse_statement(ast_stmt **out, kg_parser *p)
{
    ast_stmt *s = kg_arena_alloc(p->arena, sizeof *s);
    ast_query **tail;
    *out = NULL;
    if (!s) return kg_parse__fail(p, KG_ENOMEM, p->tok.span, "out of memory");
    if (p->rc) return p->rc;
    if (kg_parse__accept(p, KG_TOK_EXPLAIN)) s->mode = AST_MODE_EXPLAIN;
    else if (kg_parse__accept(p, KG_TOK_PROFILE)) s->mode = AST_MODE_PROFILE;
    if (kg_parse__check(p, KG_TOK_USE)) {
        kg_parse__next(p);
        s->use_span = p->tok.span;
        if (p->tok.kind == KG_TOK_STRING) {
            char *str;
            size_t n;
            if (kg_lex_decode(p->arena, p->text, &p->tok, &str, &n, p->err) <
                0)
                return p->rc = p->err ? p->err->code : KG_ERROR;
            s->use = str;
            kg_parse__next(p);
        } else if (!(s->use = kg_parse__name(p, "a revision after USE"))) {
            return p->rc;
        }
    }
    if (p->tok.kind == KG_TOK_EOF) return kg_parse__error_near(p);
    tail = &s->query;
    for (;;) {
        ast_query *q = kg_parse__single(p);
        if (!q) return p->rc;
        *tail = q;
        tail = &q->next;
        if (!kg_parse__accept(p, KG_TOK_UNION)) break;
        q->union_all = (uint8_t)kg_parse__accept(p, KG_TOK_ALL);
    }
    kg_parse__accept(p, KG_TOK_SEMI);
    if (p->tok.kind != KG_TOK_EOF) return kg_parse__error_near(p);
    if (p->rc) return p->rc;
    *out = s;
    return KG_OK;
}
