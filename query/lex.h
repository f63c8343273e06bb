/* lex.h - the query lexer: tokens are a kind and a span into the text.
 *
 * The lexer is stateless apart from its position, reentrant, and never
 * allocates: a token's text is read back from the source through its span.
 * Keywords are recognised case-insensitively from a sorted table; because
 * Cypher lets most keywords serve as names (`n.count`, `:Order`), the parser
 * asks kg_lex_is_name() rather than testing for KG_TOK_IDENT alone.
 */
#ifndef KG_LEX_H
#define KG_LEX_H

#include "kg_base.h"

/* ORDER TOKEN: keywords are sorted alphabetically between KG_TOK_KW_FIRST and
 * KG_TOK_KW_LAST, in step with the table in lex.c. */
typedef enum {
    KG_TOK_EOF = 0,
    KG_TOK_IDENT,    /* name or `quoted name` (flags & KG_TOKF_QUOTED)  */
    KG_TOK_STRING,   /* 'text' or "text", escapes still in the source  */
    KG_TOK_INT,      /* decimal, 0x hex or 0o octal digits             */
    KG_TOK_FLOAT,
    KG_TOK_PARAM,    /* $name or $0; span covers the '$'               */
    KG_TOK_LPAREN, KG_TOK_RPAREN, KG_TOK_LBRACKET, KG_TOK_RBRACKET,
    KG_TOK_LBRACE, KG_TOK_RBRACE, KG_TOK_COMMA, KG_TOK_DOT, KG_TOK_DOTDOT,
    KG_TOK_COLON, KG_TOK_SEMI, KG_TOK_PIPE, KG_TOK_PLUS, KG_TOK_MINUS,
    KG_TOK_STAR, KG_TOK_SLASH, KG_TOK_PERCENT, KG_TOK_CARET, KG_TOK_EQ,
    KG_TOK_NE, KG_TOK_LT, KG_TOK_GT, KG_TOK_LE, KG_TOK_GE, KG_TOK_REGEX,
    KG_TOK_PLUSEQ,
    /* keywords */
    KG_TOK_ALL, KG_TOK_AND, KG_TOK_AS, KG_TOK_ASC, KG_TOK_ASCENDING,
    KG_TOK_BY, KG_TOK_CALL, KG_TOK_CASE, KG_TOK_CONTAINS, KG_TOK_CREATE,
    KG_TOK_DELETE, KG_TOK_DESC, KG_TOK_DESCENDING, KG_TOK_DETACH,
    KG_TOK_DISTINCT, KG_TOK_ELSE, KG_TOK_END, KG_TOK_ENDS, KG_TOK_EXPLAIN,
    KG_TOK_FALSE, KG_TOK_IN, KG_TOK_IS, KG_TOK_LIMIT, KG_TOK_MATCH,
    KG_TOK_MERGE, KG_TOK_NOT, KG_TOK_NULL, KG_TOK_ON, KG_TOK_OPTIONAL,
    KG_TOK_OR, KG_TOK_ORDER, KG_TOK_PROFILE, KG_TOK_REMOVE, KG_TOK_RETURN,
    KG_TOK_SET, KG_TOK_SKIP, KG_TOK_STARTS, KG_TOK_THEN, KG_TOK_TRUE,
    KG_TOK_UNION, KG_TOK_UNWIND, KG_TOK_USE, KG_TOK_WHEN, KG_TOK_WHERE,
    KG_TOK_WITH, KG_TOK_XOR, KG_TOK_YIELD,
    KG_TOK_COUNT_
} kg_tok_kind;

#define KG_TOK_KW_FIRST KG_TOK_ALL
#define KG_TOK_KW_LAST KG_TOK_YIELD

#define KG_TOKF_QUOTED 1   /* identifier written in backticks */

typedef struct {
    uint16_t kind;  /* kg_tok_kind */
    uint16_t flags;
    kg_span span;
} kg_token;

typedef struct {
    const char *text;
    uint32_t len;
    uint32_t pos;
} kg_lexer;

void kg_lex_init(kg_lexer *lx, const char *text, uint32_t len);
/**
 * Read the next token into *tok. Returns KG_OK, or KG_ESYNTAX with err set
 * (an unterminated string or comment is reported at the end of the text, so
 * that a REPL can treat it as incomplete input).
 */
int kg_lex_next(kg_lexer *lx, kg_token *tok, kg_error *err);
/** KG_ESYNTAX, with the offset, at the first NUL byte or invalid UTF-8
 * sequence of text: names and strings then never hold bytes that are not
 * text, and messages never echo them. The parser checks a query first. */
int kg_lex_check_text(const char *text, uint32_t len, kg_error *err);
/** 1 when tok can be used as a name: an identifier or any keyword. */
int kg_lex_is_name(const kg_token *tok);
/** Printable name of a token kind for messages: "')'", "MATCH", "a string". */
const char *kg_lex_kind_name(int kind);
/**
 * Decode a STRING or quoted IDENT token (escapes, doubled backticks) into
 * arena memory, NUL-terminated; *len gets the byte length.
 */
int kg_lex_decode(kg_arena *a, const char *text, const kg_token *tok,
                  char **out, size_t *len, kg_error *err);
/** 1-based line and column of a byte offset. */
void kg_lex_where(const char *text, uint32_t offset, uint32_t *line,
                  uint32_t *col);
/** The keyword table, for completion (NULL-ended, upper case). */
const char *const *kg_lex_keywords(void);

#endif /* KG_LEX_H */
