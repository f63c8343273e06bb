/* lex.c - the query lexer.
 *
 * A hand-written scanner in the style of SQLite's sqlite3GetToken: a
 * character-class table picks the branch, each branch measures one token,
 * and the token is only a kind and a span. Nothing is allocated here; string
 * escapes are checked while scanning (so the error points at the bad escape)
 * and decoded later, into the parser's arena, by kg_lex_decode.
 *
 * Numbers: decimal, 0x hex and 0o octal integers, floats with a fraction
 * and/or exponent. "1..3" is INT DOTDOT INT, so a '.' only starts a fraction
 * when a digit follows it. The value is converted by the parser, which knows
 * whether a unary minus precedes it (-9223372036854775808 is legal).
 */
#include "lex.h"

#include <string.h>

/* ---- character classes ---- */

enum { CC_OTHER, CC_SPACE, CC_ALPHA, CC_DIGIT, CC_QUOTE, CC_BACKTICK };

static unsigned char cclass(unsigned char c)
{
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
        c == '\v')
        return CC_SPACE;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
        c >= 0x80)
        return CC_ALPHA; /* UTF-8 letters are accepted in names */
    if (c >= '0' && c <= '9') return CC_DIGIT;
    if (c == '\'' || c == '"') return CC_QUOTE;
    if (c == '`') return CC_BACKTICK;
    return CC_OTHER;
}

static int is_name_char(unsigned char c)
{
    unsigned char k = cclass(c);
    return k == CC_ALPHA || k == CC_DIGIT;
}

/* ---- keywords: ORDER TOKEN ---- */

static const char *const keywords[] = {
    "ALL", "AND", "AS", "ASC", "ASCENDING", "BY", "CALL", "CASE", "CONTAINS",
    "CREATE", "DELETE", "DESC", "DESCENDING", "DETACH", "DISTINCT", "ELSE",
    "END", "ENDS", "EXPLAIN", "FALSE", "IN", "IS", "LIMIT", "MATCH", "MERGE",
    "NOT", "NULL", "ON", "OPTIONAL", "OR", "ORDER", "PROFILE", "REMOVE",
    "RETURN", "SET", "SKIP", "STARTS", "THEN", "TRUE", "UNION", "UNWIND",
    "USE", "WHEN", "WHERE", "WITH", "XOR", "YIELD", NULL};

const char *const *kg_lex_keywords(void)
{
    return keywords;
}

static int kwcmp(const char *kw, const char *s, uint32_t n)
{
    uint32_t i;
    for (i = 0; i < n && kw[i]; i++) {
        int c = (unsigned char)s[i];
        if (c >= 'a' && c <= 'z') c -= 32;
        if (kw[i] != c) return (unsigned char)kw[i] - c;
    }
    if (i < n) return -1;
    return kw[i] ? 1 : 0;
}

static int keyword(const char *s, uint32_t n)
{
    int lo = 0, hi = KG_TOK_KW_LAST - KG_TOK_KW_FIRST;
    if (n < 2 || n > 10) return KG_TOK_IDENT;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        int c = kwcmp(keywords[mid], s, n);
        if (c == 0) return KG_TOK_KW_FIRST + mid;
        if (c < 0) lo = mid + 1;
        else hi = mid - 1;
    }
    return KG_TOK_IDENT;
}

int kg_lex_is_name(const kg_token *tok)
{
    return tok->kind == KG_TOK_IDENT ||
           (tok->kind >= KG_TOK_KW_FIRST && tok->kind <= KG_TOK_KW_LAST);
}

const char *kg_lex_kind_name(int kind)
{
    static const char *const punct[] = {
        "end of input", "a name", "a string", "an integer", "a float",
        "a parameter", "'('", "')'", "'['", "']'", "'{'", "'}'", "','", "'.'",
        "'..'", "':'", "';'", "'|'", "'+'", "'-'", "'*'", "'/'", "'%'", "'^'",
        "'='", "'<>'", "'<'", "'>'", "'<='", "'>='", "'=~'", "'+='"};
    if (kind >= KG_TOK_KW_FIRST && kind <= KG_TOK_KW_LAST)
        return keywords[kind - KG_TOK_KW_FIRST];
    if (kind >= 0 && kind < KG_TOK_KW_FIRST) return punct[kind];
    return "?";
}

void kg_lex_init(kg_lexer *lx, const char *text, uint32_t len)
{
    lx->text = text;
    lx->len = len;
    lx->pos = 0;
}

void kg_lex_where(const char *text, uint32_t offset, uint32_t *line,
                  uint32_t *col)
{
    uint32_t l = 1, c = 1, i;
    for (i = 0; i < offset; i++) {
        if (text[i] == '\n') {
            l++;
            c = 1;
        } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
            c++; /* count code points, not continuation bytes */
        }
    }
    *line = l;
    *col = c;
}

/* Length of the well-formed UTF-8 sequence at s (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF), 0 when there is none. */
static uint32_t utf8_len(const unsigned char *s, uint32_t avail)
{
    uint32_t n, i, cp;
    if (s[0] < 0x80) return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF) n = 2, cp = s[0] & 0x1F;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF) n = 3, cp = s[0] & 0x0F;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4) n = 4, cp = s[0] & 0x07;
    else return 0;
    if (avail < n) return 0;
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

int kg_lex_check_text(const char *text, uint32_t len, kg_error *err)
{
    const unsigned char *s = (const unsigned char *)text;
    uint32_t i = 0, n;
    while (i < len) {
        if (s[i] == 0)
            return kg_error_set(err, KG_ESYNTAX, "<query>", (kg_span){i, 1},
                                "NUL byte at offset %u: a query is text "
                                "(write \\u0000 inside a string)",
                                (unsigned)i);
        if ((n = utf8_len(s + i, len - i)) == 0)
            return kg_error_set(err, KG_ESYNTAX, "<query>", (kg_span){i, 1},
                                "invalid UTF-8 at offset %u (byte 0x%02x): "
                                "a query must be UTF-8 text",
                                (unsigned)i, s[i]);
        i += n;
    }
    return KG_OK;
}

static int lex_error(kg_lexer *lx, kg_error *err, uint32_t at, uint32_t n,
                     const char *what)
{
    return kg_error_set(err, KG_ESYNTAX, "<query>", (kg_span){at, n}, "%s",
                        what);
}

/* Skip spaces and comments. An unterminated block comment is incomplete
 * input: the error sits at the end of the text. */
static int skip_space(kg_lexer *lx, kg_error *err)
{
    const char *s = lx->text;
    for (;;) {
        while (lx->pos < lx->len && cclass((unsigned char)s[lx->pos]) ==
                                        CC_SPACE)
            lx->pos++;
        if (lx->pos + 1 < lx->len && s[lx->pos] == '/' &&
            s[lx->pos + 1] == '/') {
            while (lx->pos < lx->len && s[lx->pos] != '\n') lx->pos++;
            continue;
        }
        if (lx->pos + 1 < lx->len && s[lx->pos] == '/' &&
            s[lx->pos + 1] == '*') {
            const char *end = NULL;
            uint32_t i;
            for (i = lx->pos + 2; i + 1 < lx->len; i++)
                if (s[i] == '*' && s[i + 1] == '/') {
                    end = s + i;
                    break;
                }
            if (!end)
                return lex_error(lx, err, lx->len, 0,
                                 "unterminated comment: unexpected end of "
                                 "input");
            lx->pos = (uint32_t)(end - s) + 2;
            continue;
        }
        return KG_OK;
    }
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Measure a quoted string starting at lx->pos, checking its escapes. */
static int lex_string(kg_lexer *lx, kg_token *tok, kg_error *err)
{
    const char *s = lx->text;
    char q = s[lx->pos];
    uint32_t i = lx->pos + 1;
    while (i < lx->len && s[i] != q) {
        if (s[i] == '\\') {
            char e = i + 1 < lx->len ? s[i + 1] : 0;
            if (i + 1 >= lx->len) break;
            if (e == 'u' || e == 'U') {
                int n = e == 'u' ? 4 : 8, k;
                for (k = 0; k < n; k++)
                    if (i + 2 + k >= lx->len ||
                        hexval((unsigned char)s[i + 2 + k]) < 0)
                        return lex_error(lx, err, i, 2,
                                         "invalid unicode escape in string");
                i += 2 + (uint32_t)n;
                continue;
            }
            if (!strchr("\\'\"bfnrt`/", e))
                return kg_error_set(err, KG_ESYNTAX, "<query>",
                                    (kg_span){i, 2},
                                    "invalid escape '\\%c' in string", e);
            i += 2;
            continue;
        }
        i++;
    }
    if (i >= lx->len)
        return lex_error(lx, err, lx->len, 0,
                         "unterminated string: unexpected end of input");
    tok->kind = KG_TOK_STRING;
    tok->span = (kg_span){lx->pos, i + 1 - lx->pos};
    lx->pos = i + 1;
    return KG_OK;
}

static int lex_number(kg_lexer *lx, kg_token *tok, kg_error *err)
{
    const char *s = lx->text;
    uint32_t i = lx->pos, start = lx->pos;
    int isfloat = 0;
    if (s[i] == '0' && i + 1 < lx->len &&
        (s[i + 1] == 'x' || s[i + 1] == 'X' || s[i + 1] == 'o' ||
         s[i + 1] == 'O')) {
        int hex = s[i + 1] == 'x' || s[i + 1] == 'X';
        i += 2;
        while (i < lx->len && is_name_char((unsigned char)s[i])) {
            int c = (unsigned char)s[i];
            if (hex ? hexval(c) < 0 : (c < '0' || c > '7'))
                return kg_error_set(err, KG_ESYNTAX, "<query>",
                                    (kg_span){start, i + 1 - start},
                                    "invalid %s integer literal",
                                    hex ? "hexadecimal" : "octal");
            i++;
        }
        if (i == start + 2)
            return lex_error(lx, err, start, 2, "invalid integer literal");
        goto out;
    }
    while (i < lx->len && s[i] >= '0' && s[i] <= '9') i++;
    if (i + 1 < lx->len && s[i] == '.' && s[i + 1] >= '0' && s[i + 1] <= '9') {
        isfloat = 1;
        i++;
        while (i < lx->len && s[i] >= '0' && s[i] <= '9') i++;
    }
    if (i < lx->len && (s[i] == 'e' || s[i] == 'E')) {
        uint32_t j = i + 1;
        if (j < lx->len && (s[j] == '+' || s[j] == '-')) j++;
        if (j < lx->len && s[j] >= '0' && s[j] <= '9') {
            isfloat = 1;
            i = j;
            while (i < lx->len && s[i] >= '0' && s[i] <= '9') i++;
        }
    }
    if (i < lx->len && cclass((unsigned char)s[i]) == CC_ALPHA) {
        while (i < lx->len && is_name_char((unsigned char)s[i])) i++;
        return kg_error_set(err, KG_ESYNTAX, "<query>",
                            (kg_span){start, i - start},
                            "invalid number literal '%.*s'", (int)(i - start),
                            s + start);
    }
out:
    tok->kind = isfloat ? KG_TOK_FLOAT : KG_TOK_INT;
    tok->span = (kg_span){start, i - start};
    lx->pos = i;
    return KG_OK;
}

static int lex_quoted_name(kg_lexer *lx, kg_token *tok, kg_error *err)
{
    const char *s = lx->text;
    uint32_t i = lx->pos + 1;
    for (;;) {
        if (i >= lx->len)
            return lex_error(lx, err, lx->len, 0,
                             "unterminated `name`: unexpected end of input");
        if (s[i] == '`') {
            if (i + 1 < lx->len && s[i + 1] == '`') {
                i += 2; /* a doubled backtick is a literal one */
                continue;
            }
            break;
        }
        i++;
    }
    tok->kind = KG_TOK_IDENT;
    tok->flags = KG_TOKF_QUOTED;
    tok->span = (kg_span){lx->pos, i + 1 - lx->pos};
    lx->pos = i + 1;
    return KG_OK;
}

/* Two-character operators first, then single characters. */
static int lex_punct(kg_lexer *lx, kg_token *tok, kg_error *err)
{
    const char *s = lx->text;
    char c = s[lx->pos], d = lx->pos + 1 < lx->len ? s[lx->pos + 1] : 0;
    int kind = -1, n = 1;
    switch (c) {
    case '(': kind = KG_TOK_LPAREN; break;
    case ')': kind = KG_TOK_RPAREN; break;
    case '[': kind = KG_TOK_LBRACKET; break;
    case ']': kind = KG_TOK_RBRACKET; break;
    case '{': kind = KG_TOK_LBRACE; break;
    case '}': kind = KG_TOK_RBRACE; break;
    case ',': kind = KG_TOK_COMMA; break;
    case ':': kind = KG_TOK_COLON; break;
    case ';': kind = KG_TOK_SEMI; break;
    case '|': kind = KG_TOK_PIPE; break;
    case '-': kind = KG_TOK_MINUS; break;
    case '*': kind = KG_TOK_STAR; break;
    case '/': kind = KG_TOK_SLASH; break;
    case '%': kind = KG_TOK_PERCENT; break;
    case '^': kind = KG_TOK_CARET; break;
    case '.':
        if (d == '.') kind = KG_TOK_DOTDOT, n = 2;
        else kind = KG_TOK_DOT;
        break;
    case '+':
        if (d == '=') kind = KG_TOK_PLUSEQ, n = 2;
        else kind = KG_TOK_PLUS;
        break;
    case '=':
        if (d == '~') kind = KG_TOK_REGEX, n = 2;
        else kind = KG_TOK_EQ;
        break;
    case '!':
        if (d == '=') kind = KG_TOK_NE, n = 2;
        break;
    case '<':
        if (d == '>') kind = KG_TOK_NE, n = 2;
        else if (d == '=') kind = KG_TOK_LE, n = 2;
        else kind = KG_TOK_LT;
        break;
    case '>':
        if (d == '=') kind = KG_TOK_GE, n = 2;
        else kind = KG_TOK_GT;
        break;
    default: break;
    }
    if (kind < 0) {
        unsigned char u = (unsigned char)c;
        if (u < 0x20 || u == 0x7f)
            return kg_error_set(err, KG_ESYNTAX, "<query>",
                                (kg_span){lx->pos, 1},
                                "unexpected character \\x%02x", u);
        return kg_error_set(err, KG_ESYNTAX, "<query>", (kg_span){lx->pos, 1},
                            "unexpected character '%c'", c);
    }
    tok->kind = (uint16_t)kind;
    tok->span = (kg_span){lx->pos, (uint32_t)n};
    lx->pos += (uint32_t)n;
    return KG_OK;
}

int kg_lex_next(kg_lexer *lx, kg_token *tok, kg_error *err)
{
    const char *s = lx->text;
    int rc;
    tok->flags = 0;
    if ((rc = skip_space(lx, err)) < 0) return rc;
    if (lx->pos >= lx->len) {
        tok->kind = KG_TOK_EOF;
        tok->span = (kg_span){lx->len, 0};
        return KG_OK;
    }
    switch (cclass((unsigned char)s[lx->pos])) {
    case CC_ALPHA: {
        uint32_t i = lx->pos;
        while (i < lx->len && is_name_char((unsigned char)s[i])) i++;
        tok->kind = (uint16_t)keyword(s + lx->pos, i - lx->pos);
        tok->span = (kg_span){lx->pos, i - lx->pos};
        lx->pos = i;
        return KG_OK;
    }
    case CC_DIGIT: return lex_number(lx, tok, err);
    case CC_QUOTE: return lex_string(lx, tok, err);
    case CC_BACKTICK: return lex_quoted_name(lx, tok, err);
    default: break;
    }
    if (s[lx->pos] == '.' && lx->pos + 1 < lx->len && s[lx->pos + 1] >= '0' &&
        s[lx->pos + 1] <= '9' &&
        (lx->pos == 0 || !is_name_char((unsigned char)s[lx->pos - 1])))
        return lex_number(lx, tok, err); /* .5 */
    if (s[lx->pos] == '$') {
        uint32_t i = lx->pos + 1;
        if (i < lx->len && s[i] == '`') {
            kg_lexer sub = *lx;
            sub.pos = i;
            if ((rc = lex_quoted_name(&sub, tok, err)) < 0) return rc;
            tok->kind = KG_TOK_PARAM;
            tok->span = (kg_span){lx->pos, sub.pos - lx->pos};
            lx->pos = sub.pos;
            return KG_OK;
        }
        while (i < lx->len && is_name_char((unsigned char)s[i])) i++;
        if (i == lx->pos + 1)
            return lex_error(lx, err, lx->pos, 1,
                             "expected a parameter name after '$'");
        tok->kind = KG_TOK_PARAM;
        tok->span = (kg_span){lx->pos, i - lx->pos};
        lx->pos = i;
        return KG_OK;
    }
    return lex_punct(lx, tok, err);
}

/* ---- decoding ---- */

static size_t put_utf8(char *o, uint32_t cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

int kg_lex_decode(kg_arena *a, const char *text, const kg_token *tok,
                  char **out, size_t *len, kg_error *err)
{
    const char *s = text + tok->span.offset + 1;
    size_t n = tok->span.len - 2, i, o = 0;
    char *buf = kg_arena_alloc(a, n * 2 + 1); /* \uXXXX never grows */
    KG_CHECK_ALLOC(buf, err);
    if (tok->kind == KG_TOK_IDENT || tok->kind == KG_TOK_PARAM) {
        if (tok->kind == KG_TOK_PARAM) s++, n--;
        for (i = 0; i < n; i++) {
            buf[o++] = s[i];
            if (s[i] == '`') i++; /* doubled backtick */
        }
        goto done;
    }
    for (i = 0; i < n; i++) {
        char c = s[i];
        uint32_t cp = 0;
        int k, digits;
        if (c != '\\') {
            buf[o++] = c;
            continue;
        }
        c = s[++i];
        switch (c) {
        case 'b': buf[o++] = '\b'; break;
        case 'f': buf[o++] = '\f'; break;
        case 'n': buf[o++] = '\n'; break;
        case 'r': buf[o++] = '\r'; break;
        case 't': buf[o++] = '\t'; break;
        case 'u':
        case 'U':
            digits = c == 'u' ? 4 : 8;
            for (k = 0; k < digits; k++)
                cp = cp * 16 + (uint32_t)hexval((unsigned char)s[i + 1 + k]);
            i += (size_t)digits;
            if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
                return kg_error_set(
                    err, KG_ESYNTAX, "<query>",
                    (kg_span){tok->span.offset + 1 + (uint32_t)i -
                                  (uint32_t)digits - 1,
                              (uint32_t)digits + 2},
                    "invalid unicode code point in string");
            o += put_utf8(buf + o, cp);
            break;
        default: buf[o++] = c; break;
        }
    }
done:
    buf[o] = 0;
    *out = buf;
    *len = o;
    return KG_OK;
}
