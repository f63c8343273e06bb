/* parse_pattern.c - graph patterns: (a:L {k: v})-[r:T*1..3]->(b).
 *
 * Arrows are not tokens: "-->" is MINUS MINUS GT and "<-[" is LT MINUS
 * LBRACKET, so the same lexer serves expressions and patterns. The parser
 * is also used speculatively by parse_expr.c to tell a pattern predicate
 * "(a)-->(b)" from a parenthesised expression "(a)".
 */
#include "parse.h"
#include "kg_query.h"

#include <string.h>

static void *alloc(kg_parser *p, size_t n)
{
    void *v = kg_arena_alloc(p->arena, n);
    if (!v) kg_parse__fail(p, KG_ENOMEM, p->tok.span, "out of memory");
    return v;
}

static int grow(kg_parser *p, void **arr, uint32_t n, uint32_t *cap,
                size_t size)
{
    if (n < *cap) return KG_OK;
    {
        uint32_t nc = *cap ? *cap * 2 : 4;
        void *na = alloc(p, nc * size);
        if (!na) return p->rc;
        if (n) memcpy(na, *arr, n * size);
        *arr = na;
        *cap = nc;
    }
    return KG_OK;
}

/* labels -> ':' name {':' name} */
int kg_parse__labels(kg_parser *p, const char ***names, uint32_t *n)
{
    uint32_t cap = 0;
    *n = 0;
    while (kg_parse__accept(p, KG_TOK_COLON)) {
        const char *name = kg_parse__name(p, "a label name");
        if (!name) return p->rc;
        if (grow(p, (void **)names, *n, &cap, sizeof **names) < 0) return p->rc;
        (*names)[(*n)++] = name;
    }
    return p->rc;
}

/* props -> map | param */
static ast_expr *props(kg_parser *p)
{
    if (kg_parse__check(p, KG_TOK_LBRACE)) return kg_parse__map_literal(p);
    if (kg_parse__check(p, KG_TOK_PARAM)) return kg_parse__expr(p);
    return NULL;
}

/* node -> '(' [name] [labels] [props] ')' */
static ast_node_pat *node_pat(kg_parser *p)
{
    uint32_t open = p->tok.span.offset;
    ast_node_pat *n = alloc(p, sizeof *n);
    if (!n) return NULL;
    n->slot = -1;
    if (kg_parse__expect(p, KG_TOK_LPAREN, "'('") < 0) return NULL;
    if (kg_lex_is_name(&p->tok) && !kg_parse__check(p, KG_TOK_WHERE) &&
        !(n->var = kg_parse__name(p, "a variable")))
        return NULL;
    if (kg_parse__check(p, KG_TOK_COLON) &&
        kg_parse__labels(p, &n->labels, &n->nlabels) < 0)
        return NULL;
    if ((kg_parse__check(p, KG_TOK_LBRACE) || kg_parse__check(p, KG_TOK_PARAM)) &&
        !(n->props = props(p)))
        return NULL;
    if (kg_parse__match(p, KG_TOK_RPAREN, KG_TOK_LPAREN, open) < 0) return NULL;
    n->span = (kg_span){open, p->prev.span.offset + p->prev.span.len - open};
    return n;
}

static int hop_count(kg_parser *p, uint32_t *out)
{
    const char *s = p->text + p->tok.span.offset;
    uint32_t i;
    uint64_t v = 0;
    for (i = 0; i < p->tok.span.len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return kg_parse__fail(p, KG_ESYNTAX, p->tok.span,
                                  "expected a decimal hop count");
        v = v * 10 + (uint64_t)(s[i] - '0');
        if (v > 0xFFFFFFF)
            return kg_parse__fail(p, KG_ELIMIT, p->tok.span,
                                  "hop count is too large");
    }
    *out = (uint32_t)v;
    kg_parse__next(p);
    return KG_OK;
}

/* range -> '*' [INT] ['..' [INT]] */
static int range(kg_parser *p, ast_rel_pat *r)
{
    r->varlen = 1;
    r->min = 1;
    r->max = UINT32_MAX;
    kg_parse__next(p); /* '*' */
    if (kg_parse__check(p, KG_TOK_INT)) {
        if (hop_count(p, &r->min) < 0) return p->rc;
        r->max = r->min;
    }
    if (kg_parse__accept(p, KG_TOK_DOTDOT)) {
        r->max = UINT32_MAX;
        if (kg_parse__check(p, KG_TOK_INT) && hop_count(p, &r->max) < 0)
            return p->rc;
    }
    return KG_OK; /* an empty range (*3..1) is legal and matches nothing */
}

/* detail -> '[' [name] [':' name {'|' [':'] name}] [range] [props] ']' */
static int rel_detail(kg_parser *p, ast_rel_pat *r)
{
    uint32_t open = p->tok.span.offset, cap = 0;
    kg_parse__next(p);
    if (kg_lex_is_name(&p->tok) && !(r->var = kg_parse__name(p, "a variable")))
        return p->rc;
    if (kg_parse__accept(p, KG_TOK_COLON)) {
        do {
            const char *t;
            kg_parse__accept(p, KG_TOK_COLON);
            if (!(t = kg_parse__name(p, "a relationship type"))) return p->rc;
            if (grow(p, (void **)&r->types, r->ntypes, &cap, sizeof *r->types) <
                0)
                return p->rc;
            r->types[r->ntypes++] = t;
        } while (kg_parse__accept(p, KG_TOK_PIPE));
    }
    if (kg_parse__check(p, KG_TOK_STAR) && range(p, r) < 0) return p->rc;
    if ((kg_parse__check(p, KG_TOK_LBRACE) || kg_parse__check(p, KG_TOK_PARAM)) &&
        !(r->props = props(p)))
        return p->rc;
    return kg_parse__match(p, KG_TOK_RBRACKET, KG_TOK_LBRACKET, open);
}

int kg_parse__at_rel(kg_parser *p)
{
    if (kg_parse__check(p, KG_TOK_MINUS)) return 1;
    return kg_parse__check(p, KG_TOK_LT) && kg_parse__peek(p) == KG_TOK_MINUS;
}

/* rel -> ('<' '-' | '-') [detail] ('-' '>' | '-') */
static ast_rel_pat *rel_pat(kg_parser *p)
{
    uint32_t start = p->tok.span.offset;
    int left = 0, right = 0;
    ast_rel_pat *r = alloc(p, sizeof *r);
    if (!r) return NULL;
    r->slot = -1;
    if (kg_parse__accept(p, KG_TOK_LT)) left = 1;
    if (kg_parse__expect(p, KG_TOK_MINUS, "'-'") < 0) return NULL;
    if (kg_parse__check(p, KG_TOK_LBRACKET) && rel_detail(p, r) < 0) return NULL;
    if (kg_parse__expect(p, KG_TOK_MINUS, "'-' to end the relationship") < 0)
        return NULL;
    if (kg_parse__accept(p, KG_TOK_GT)) right = 1;
    r->dir = (uint8_t)(left == right ? AST_DIR_BOTH
                                     : left ? AST_DIR_IN : AST_DIR_OUT);
    r->span = (kg_span){start, p->prev.span.offset + p->prev.span.len - start};
    return r;
}

/* chain -> node {rel node} */
static int chain(kg_parser *p, ast_path *path)
{
    uint32_t ncap = 0, rcap = 0, nn = 0;
    ast_node_pat *n = node_pat(p);
    if (!n) return p->rc;
    if (grow(p, (void **)&path->nodes, nn, &ncap, sizeof *path->nodes) < 0)
        return p->rc;
    path->nodes[nn++] = n;
    while (!p->rc && kg_parse__at_rel(p)) {
        ast_rel_pat *r;

        if (!(r = rel_pat(p)) || !(n = node_pat(p))) return p->rc;
        if (grow(p, (void **)&path->rels, path->nrels, &rcap,
                 sizeof *path->rels) < 0 ||
            grow(p, (void **)&path->nodes, nn, &ncap, sizeof *path->nodes) < 0)
            return p->rc;
        path->rels[path->nrels++] = r;
        path->nodes[nn++] = n;
    }
    return p->rc;
}

/* path -> [name '='] ((shortestPath | allShortestPaths) '(' chain ')' | chain) */
ast_path *kg_parse__path(kg_parser *p)
{
    uint32_t start = p->tok.span.offset;
    ast_path *path = alloc(p, sizeof *path);
    if (!path) return NULL;
    path->slot = -1;
    if (kg_lex_is_name(&p->tok) && kg_parse__peek(p) == KG_TOK_EQ) {
        if (!(path->var = kg_parse__name(p, "a path variable"))) return NULL;
        kg_parse__next(p); /* '=' */
    }
    if (kg_parse__is_word(p, "shortestPath") ||
        kg_parse__is_word(p, "allShortestPaths")) {
        uint32_t open;
        path->shortest = kg_parse__is_word(p, "shortestPath") ? 1 : 2;
        kg_parse__next(p);
        open = p->tok.span.offset;
        if (kg_parse__expect(p, KG_TOK_LPAREN, "'('") < 0) return NULL;
        if (chain(p, path) < 0) return NULL;
        if (kg_parse__match(p, KG_TOK_RPAREN, KG_TOK_LPAREN, open) < 0)
            return NULL;
    } else if (chain(p, path) < 0) {
        return NULL;
    }
    path->span = (kg_span){start, p->prev.span.offset + p->prev.span.len - start};
    return path;
}

/* pattern -> path {',' path} */
ast_pattern *kg_parse__pattern(kg_parser *p)
{
    uint32_t cap = 0, start = p->tok.span.offset;
    ast_pattern *pat = alloc(p, sizeof *pat);
    if (!pat) return NULL;
    do {
        ast_path *path = kg_parse__path(p);
        if (!path) return NULL;
        if (grow(p, (void **)&pat->paths, pat->npaths, &cap,
                 sizeof *pat->paths) < 0)
            return NULL;
        pat->paths[pat->npaths++] = path;
    } while (kg_parse__accept(p, KG_TOK_COMMA));
    pat->span = (kg_span){start, p->prev.span.offset + p->prev.span.len - start};
    return pat;
}
