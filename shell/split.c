/* split.c - where a statement ends: ';' outside quotes and comments.
 *
 * The shell must know where a statement ends before the parser sees it: a
 * line may hold several statements, and a statement may run over several
 * lines. This is a lexical scan, not a parse: it knows Cypher's string
 * quotes ('...' and "..." with backslash escapes), back-quoted names
 * (`...`, `` inside), and comments (// to the end of the line, and
 * slash-star blocks). A ';' inside brackets still ends the statement, as
 * in sqlite3: an unclosed '(' then gets the parser's "expected ')'" with a
 * caret instead of a prompt that waits for ever. Brackets are counted only
 * to tell the person at the continuation prompt what is still open.
 */
#include <string.h>

#include "shell_int.h"

static void push(kg_split_state *st, char open, char *stack, int *depth)
{
    if (*depth < 32) stack[*depth] = open;
    (*depth)++;
    st->open = open;
}

size_t kg_split__next(const char *text, size_t len, kg_split_state *out)
{
    kg_split_state st;
    char stack[32];
    size_t i = 0;

    memset(&st, 0, sizeof st);
    while (i < len) {
        char c = text[i];
        if (st.comment) {
            if (c == '*' && i + 1 < len && text[i + 1] == '/') {
                st.comment = 0;
                i += 2;
                continue;
            }
            i++;
            continue;
        }
        if (st.quote != 0) {
            if (c == '\\' && st.quote != '`') {
                i += 2; /* the escaped byte cannot close the quote */
                continue;
            }
            if (c == st.quote) {
                if (c == '`' && i + 1 < len && text[i + 1] == '`') {
                    i += 2;
                    continue;
                }
                st.quote = 0;
            }
            i++;
            continue;
        }
        switch (c) {
        case '\'':
        case '"':
        case '`':
            st.quote = c;
            break;
        case '/':
            if (i + 1 < len && text[i + 1] == '/') {
                const char *nl = memchr(text + i, '\n', len - i);
                i = nl != NULL ? (size_t)(nl - text) : len;
                continue;
            }
            if (i + 1 < len && text[i + 1] == '*') {
                st.comment = 1;
                i += 2;
                continue;
            }
            break;
        case '(':
        case '[':
        case '{':
            push(&st, c, stack, &st.depth);
            break;
        case ')':
        case ']':
        case '}':
            if (st.depth > 0) st.depth--;
            st.open = st.depth > 0 && st.depth <= 32 ? stack[st.depth - 1] : 0;
            break;
        case ';':
            if (out != NULL) memset(out, 0, sizeof *out);
            return i + 1;
        default:
            break;
        }
        i++;
    }
    if (out != NULL) *out = st;
    return 0;
}

int kg_split__blank(const char *text, size_t len)
{
    size_t i = 0;

    while (i < len) {
        char c = text[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ';' ||
            c == '\f' || c == '\v') {
            i++;
        } else if (c == '/' && i + 1 < len && text[i + 1] == '/') {
            const char *nl = memchr(text + i, '\n', len - i);
            i = nl != NULL ? (size_t)(nl - text) : len;
        } else if (c == '/' && i + 1 < len && text[i + 1] == '*') {
            const char *end = NULL;
            size_t j;
            for (j = i + 2; j + 1 < len; j++)
                if (text[j] == '*' && text[j + 1] == '/') {
                    end = text + j;
                    break;
                }
            if (end == NULL) return 1; /* an unclosed comment holds nothing */
            i = (size_t)(end - text) + 2;
        } else {
            return 0;
        }
    }
    return 1;
}
