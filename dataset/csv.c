/* csv.c - an RFC 4180 record reader for the table parser.
 *
 * The whole file is in memory, so the reader walks it once and copies each
 * field (quotes removed, "" turned into ") into one growing buffer, with
 * the line and column where the field starts, for messages about cells.
 * Records end at LF, CRLF or a lone CR; quoted fields may hold all three
 * and commas. Blank lines between records are skipped. Whether a field was
 * quoted is kept: the table reader takes `""` for an empty string and an
 * empty unquoted field for no value.
 *
 * Where RFC 4180 is strict and files in the wild are not, the reader is
 * lenient and says so: a quote inside an unquoted field, or text after a
 * closing quote, is kept as text with a warning (at most KG_CSV_WARNINGS
 * per file). An unterminated quote swallows the rest of the file, so it
 * is an error naming the line where the quote opened, and reading stops.
 */
#include <string.h>

#include "dataset_int.h"

void kg_csv__init(kg_csv *c, kg_doc *doc, const char *text, size_t len)
{
    memset(c, 0, sizeof *c);
    c->doc = doc;
    c->text = text;
    c->len = len;
    c->line = c->col = 1;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) c->pos = 3;
}

void kg_csv__free(kg_csv *c)
{
    if (c == NULL) return;
    kg_buf_free(&c->data);
    kg_free(c->offs);
    kg_free(c->lens);
    kg_free(c->lines);
    kg_free(c->cols);
    kg_free(c->quoted);
    memset(c, 0, sizeof *c);
}

const char *kg_csv__field(const kg_csv *c, size_t i, size_t *len)
{
    if (len) *len = c->lens[i];
    return c->data.data + c->offs[i];
}

int kg_csv__quoted(const kg_csv *c, size_t i)
{
    return c->quoted[i];
}

/* Move to text[to], keeping line and column right across newlines. */
static void advance(kg_csv *c, size_t to)
{
    const char *t = c->text;

    for (; c->pos < to; c->pos++) {
        if (t[c->pos] == '\n' ||
            (t[c->pos] == '\r' &&
             (c->pos + 1 == c->len || t[c->pos + 1] != '\n'))) {
            c->line++;
            c->col = 1;
        } else if (((unsigned char)t[c->pos] & 0xC0) != 0x80 &&
                   t[c->pos] != '\r') {
            c->col++;
        }
    }
}

static size_t to_delim(const kg_csv *c, size_t from)
{
    const char *t = c->text;
    while (from < c->len && t[from] != ',' && t[from] != '\n' &&
           t[from] != '\r')
        from++;
    return from;
}

static int warn(kg_csv *c, uint32_t line, uint32_t col, const char *msg)
{
    if (c->nwarn >= KG_CSV_WARNINGS) return KG_OK;
    if (++c->nwarn == KG_CSV_WARNINGS)
        return kg_doc_diag(c->doc, KG_SEV_WARNING, line, col,
                           "%s; further quote warnings are not shown", msg);
    return kg_doc_diag(c->doc, KG_SEV_WARNING, line, col, "%s", msg);
}

/* Close the field that starts at data offset off. Fields past
 * KG_TABLE_MAX_COLUMNS are counted but not kept. */
static int push(kg_csv *c, size_t off, uint32_t line, uint32_t col, int q)
{
    size_t n = c->nfields, ncap;

    c->nseen++;
    if (n == KG_TABLE_MAX_COLUMNS) {
        c->data.len = off;
        return KG_OK;
    }
    if (n == c->cap) {
        ncap = c->cap ? c->cap * 2 : 16;
#define GROW(p)                                                                \
    do {                                                                       \
        void *np_ = kg_realloc((p), ncap * sizeof *(p));                       \
        if (np_ == NULL) return KG_ENOMEM;                                     \
        (p) = np_;                                                             \
    } while (0)
        GROW(c->offs);
        GROW(c->lens);
        GROW(c->lines);
        GROW(c->cols);
        GROW(c->quoted);
#undef GROW
        c->cap = ncap;
    }
    c->offs[n] = off;
    c->lens[n] = (uint32_t)(c->data.len - off);
    c->lines[n] = line;
    c->cols[n] = col;
    c->quoted[n] = (uint8_t)q;
    c->nfields++;
    return kg_buf_putc(&c->data, '\0');
}

/* A quoted field from text[pos] (at the opening quote). Returns 1, 0 when
 * the quote never closes (reported), KG_ENOMEM. */
static int quoted(kg_csv *c)
{
    const char *t = c->text, *q;
    uint32_t line = c->line, col = c->col;
    size_t e;

    advance(c, c->pos + 1);
    for (;;) {
        q = memchr(t + c->pos, '"', c->len - c->pos);
        if (q == NULL) {
            c->pos = c->len;
            c->broken = 1;
            if (kg_doc_diag(c->doc, KG_SEV_ERROR, line, col,
                            "quoted field opened at %u:%u is never closed; "
                            "the rest of the file is ignored",
                            line, col) < 0)
                return KG_ENOMEM;
            return 0;
        }
        if (kg_buf_put(&c->data, t + c->pos, (size_t)(q - t) - c->pos) < 0)
            return KG_ENOMEM;
        advance(c, (size_t)(q - t) + 1);
        if (c->pos < c->len && t[c->pos] == '"') {
            if (kg_buf_putc(&c->data, '"') < 0) return KG_ENOMEM;
            advance(c, c->pos + 1);
            continue;
        }
        break;
    }
    e = to_delim(c, c->pos);
    if (e > c->pos) {
        if (warn(c, c->line, c->col,
                 "text after the closing quote of a field; kept") < 0 ||
            kg_buf_put(&c->data, t + c->pos, e - c->pos) < 0)
            return KG_ENOMEM;
        advance(c, e);
    }
    return 1;
}

int kg_csv__next(kg_csv *c, kg_error *err)
{
    const char *t = c->text;
    size_t off, e;
    uint32_t line, col;
    int rc, q;

    c->nfields = c->nseen = 0;
    kg_buf_reset(&c->data);
    while (c->pos < c->len && (t[c->pos] == '\n' || t[c->pos] == '\r'))
        advance(c, c->pos + 1);
    if (c->pos >= c->len) return 0;
    c->rec_line = c->line;
    for (;;) {
        off = c->data.len;
        line = c->line;
        col = c->col;
        q = c->pos < c->len && t[c->pos] == '"';
        if (q) {
            if ((rc = quoted(c)) <= 0) goto fail;
        } else {
            e = to_delim(c, c->pos);
            if (memchr(t + c->pos, '"', e - c->pos) != NULL &&
                warn(c, line, col,
                     "quote inside an unquoted field; kept as text") < 0) {
                rc = KG_ENOMEM;
                goto fail;
            }
            if (kg_buf_put(&c->data, t + c->pos, e - c->pos) < 0) {
                rc = KG_ENOMEM;
                goto fail;
            }
            c->col += kg_text__cols(t + c->pos, e - c->pos);
            c->pos = e;
        }
        if ((rc = push(c, off, line, col, q)) < 0) goto fail;
        if (c->pos < c->len && t[c->pos] == ',') {
            advance(c, c->pos + 1);
            continue;
        }
        /* end of the record: one LF, CRLF or CR */
        if (c->pos < c->len && t[c->pos] == '\r') {
            advance(c, c->pos + 1);
            if (c->pos < c->len && t[c->pos] == '\n') advance(c, c->pos + 1);
        } else if (c->pos < c->len && t[c->pos] == '\n') {
            advance(c, c->pos + 1);
        }
        return 1;
    }
fail:
    if (rc == KG_ENOMEM)
        kg_error_set(err, KG_ENOMEM, c->doc->path, (kg_span){0, 0},
                     "out of memory while reading the table");
    return rc;
}
