/* parse.h - parser state shared by parse.c, parse_expr.c, parse_pattern.c.
 *
 * Private to the query module. The parser stops at the first error SQLite
 * style: the first failure sets p->rc and fills p->err, every later step
 * sees p->rc and returns NULL, and the caller checks once. Nothing is freed
 * on failure because every node lives in the query's arena; the only heap
 * objects are literal string values, collected in p->lits so the query can
 * release them.
 */
#ifndef KG_PARSE_H
#define KG_PARSE_H

#include "ast.h"
#include "lex.h"

typedef struct {
    kg_lexer lx;
    const char *text;
    uint32_t len;
    kg_token tok;      /* current, not yet consumed                    */
    kg_token prev;     /* last consumed                                */
    kg_arena *arena;
    kg_error *err;
    int rc;            /* first error (sticky), KG_OK while all is well */
    uint32_t depth;    /* nesting, bounded by KG_QUERY_MAX_DEPTH        */
    kg_value *lits;    /* literal values the query must release         */
    size_t nlits, caplits;
} kg_parser;

/* Saved position for speculative parses (pattern or parenthesis?). */
typedef struct {
    kg_lexer lx;
    kg_token tok, prev;
    uint32_t depth;
    size_t nlits;
} kg_parse_mark;

int kg_parse_statement(ast_stmt **out, kg_parser *p);
void kg_parse_init(kg_parser *p, kg_arena *a, const char *text, uint32_t len,
                   kg_error *err);
/** Release literal values (when the parse result is dropped). */
void kg_parse_release(kg_parser *p);

/* ---- helpers (parse.c) ---- */
void kg_parse__next(kg_parser *p);
int kg_parse__check(const kg_parser *p, int kind);
int kg_parse__accept(kg_parser *p, int kind);
/** Fail with "expected <what> near '<token>'" unless the token is kind. */
int kg_parse__expect(kg_parser *p, int kind, const char *what);
/** Consume the closer or fail "expected ')' to close '(' at L:C". */
int kg_parse__match(kg_parser *p, int close, int open, uint32_t open_at);
/** "syntax error near '<token>'" or "unexpected end of input". */
int kg_parse__error_near(kg_parser *p);
int kg_parse__fail(kg_parser *p, int code, kg_span at, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
/** A name (identifier or keyword), decoded into the arena; NULL on error. */
const char *kg_parse__name(kg_parser *p, const char *what);
int kg_parse__enter(kg_parser *p);
void kg_parse__leave(kg_parser *p);
void kg_parse__mark(const kg_parser *p, kg_parse_mark *m);
void kg_parse__rewind(kg_parser *p, const kg_parse_mark *m);
/** Remember a heap literal; takes ownership of v. */
int kg_parse__keep(kg_parser *p, kg_value v);
/** 1 when the current token is a name equal to word (case-insensitive). */
int kg_parse__is_word(const kg_parser *p, const char *word);
/** Kind of the token after the current one (lookahead by one). */
int kg_parse__peek(kg_parser *p);

/** single_query -> clause {clause} (also the body of EXISTS { ... }) */
ast_query *kg_parse__single(kg_parser *p);

/* ---- parse_expr.c ---- */
ast_expr *kg_parse__expr(kg_parser *p);
ast_expr *kg_parse__map_literal(kg_parser *p);
/** An atom with its postfix operators (.name, [i], :Label), no binary
 * operators: the target of SET (expr).prop. */
ast_expr *kg_parse__postfix(kg_parser *p);

/* ---- parse_pattern.c ---- */
ast_pattern *kg_parse__pattern(kg_parser *p);
ast_path *kg_parse__path(kg_parser *p);
/** 1 when a relationship pattern starts at the current token. */
int kg_parse__at_rel(kg_parser *p);
/** Label list after a node variable: ':' name { ':' name }. */
int kg_parse__labels(kg_parser *p, const char ***names, uint32_t *n);

#endif /* KG_PARSE_H */
