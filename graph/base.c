/* base.c - errors, allocation, growable buffers and arenas.
 *
 * These are the pieces every module leans on, so they stay dependency-free
 * apart from libc and xxhash. Errors are formatted into the caller's fixed
 * kg_error buffer: reporting "out of memory" must never need memory.
 * All allocation funnels through kg_malloc & co so that tests can make the
 * Nth allocation fail (KG_FAILALLOC_AT, or kg_alloc_fail_at) and walk every
 * out-of-memory path, the way libgit2's failalloc and SQLite's OOM tests do.
 */
#include <stdlib.h>
#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "graph_int.h"

/* ---- errors ---- */

int kg_error_set(kg_error *err, int code, const char *source, kg_span at,
                 const char *fmt, ...)
{
    char msg[sizeof err->msg];
    va_list ap;

    if (err == NULL) return code;
    /* Format into a local first: callers add context with
     * kg_error_set(err, ..., "%s: %s", path, err->msg). */
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    memcpy(err->msg, msg, sizeof msg);
    err->code = code;
    err->source = source;
    err->line = err->col = 0;
    err->span = at;
    return code;
}

void kg_error_clear(kg_error *err)
{
    if (err == NULL) return;
    memset(err, 0, sizeof *err);
}

/* Where an offset is shown: clamped to the text, and the end of a text
 * that ends in '\n' is shown at the end of its last line, since "line N+1,
 * column 1" of an empty line tells a reader nothing. */
static size_t shown_offset(const kg_error *err, const char *text, size_t len)
{
    size_t off = err->span.offset < len ? err->span.offset : len;
    if (off == len && len > 0 && text[len - 1] == '\n') off--;
    return off;
}

/* Columns count characters (UTF-8 code points, an invalid byte counting as
 * one), not bytes, so that a message about a note with accents points
 * where a person would count. Lines are split on '\n' only. */
void kg_error_locate(kg_error *err, const char *text, size_t len)
{
    size_t off, i, line = 1, col = 1;

    if (err == NULL || text == NULL) return;
    off = shown_offset(err, text, len);
    for (i = 0; i < off; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '\n') {
            line++;
            col = 1;
        } else if ((c & 0xC0) != 0x80) {
            col++; /* continuation bytes do not start a column */
        }
    }
    err->line = (uint32_t)line;
    err->col = (uint32_t)col;
}

/* Write s[0..len) with control characters and invalid UTF-8 escaped; tabs
 * become one space so the caret line below stays aligned. Returns the
 * terminal width written. */
static size_t put_escaped(FILE *out, const char *s, size_t len, int tabspace)
{
    size_t i = 0, width = 0;

    while (i < len) {
        char esc[16];
        size_t adv, w, n;
        if (tabspace && s[i] == '\t') {
            fputc(' ', out);
            width++;
            i++;
            continue;
        }
        n = kg_utf8__escape(s + i, len - i, &adv, esc, &w);
        fwrite(esc, 1, n, out);
        width += w;
        i += adv;
    }
    return width;
}

/* The same walk as put_escaped, only measuring, for the caret indent. */
static size_t escaped_width(const char *s, size_t len)
{
    size_t i = 0, width = 0;

    while (i < len) {
        char esc[16];
        size_t adv, w;
        if (s[i] == '\t') {
            width++;
            i++;
            continue;
        }
        kg_utf8__escape(s + i, len - i, &adv, esc, &w);
        width += w;
        i += adv;
    }
    return width;
}

void kg_error_print(FILE *out, const kg_error *err, const char *text,
                    size_t len)
{
    kg_error e;
    size_t off, bol, eol, end, lead, n, i;

    if (out == NULL || err == NULL) return;
    e = *err;
    if (text != NULL && e.line == 0) kg_error_locate(&e, text, len);
    if (e.source != NULL) {
        put_escaped(out, e.source, strlen(e.source), 0);
        fputc(':', out);
    }
    if (e.line != 0) fprintf(out, "%u:%u:", e.line, e.col);
    if (e.source != NULL || e.line != 0) fputc(' ', out);
    fputs("error: ", out);
    put_escaped(out, e.msg, strnlen(e.msg, sizeof e.msg), 0);
    fputc('\n', out);
    if (text == NULL) return;

    off = shown_offset(&e, text, len);
    for (bol = off; bol > 0 && text[bol - 1] != '\n'; bol--) {}
    for (eol = off; eol < len && text[eol] != '\n'; eol++) {}
    fputs("    ", out);
    put_escaped(out, text + bol, eol - bol, 1);
    fputc('\n', out);
    lead = escaped_width(text + bol, off - bol);
    end = off + e.span.len;
    if (end > eol) end = eol;
    n = end > off ? escaped_width(text + off, end - off) : 0;
    if (n == 0) n = 1;
    fputs("    ", out);
    for (i = 0; i < lead; i++) fputc(' ', out);
    for (i = 0; i < n; i++) fputc('^', out);
    fputc('\n', out);
}

const char *kg_status_str(int code)
{
    switch (code) {
    case KG_OK: return "ok";
    case KG_ERROR: return "error";
    case KG_ENOTFOUND: return "not found";
    case KG_EEXISTS: return "already exists";
    case KG_ESYNTAX: return "syntax error";
    case KG_ETYPE: return "type error";
    case KG_EIO: return "I/O error";
    case KG_EGIT: return "git error";
    case KG_ESTORE: return "store error";
    case KG_ENOMEM: return "out of memory";
    case KG_ELIMIT: return "limit reached";
    case KG_EINTERRUPT: return "interrupted";
    case KG_EBUSY: return "busy";
    default: return "unknown error";
    }
}

/* ---- allocation ---- */

/* Per thread: a test that fails the Nth allocation of a sync walks the
 * same allocations whether or not the sync reads on a second thread. */
static _Thread_local unsigned long alloc_count;   /* attempts so far     */
static _Thread_local unsigned long alloc_fail_at; /* to fail, 0 = never  */
static _Thread_local int alloc_env_read;

void kg_alloc_fail_at(unsigned long nth)
{
    alloc_env_read = 1;
    alloc_fail_at = nth ? alloc_count + nth : 0;
}

unsigned long kg_alloc_count(void)
{
    return alloc_count;
}

/* One counter step per allocation; 1 when this one must fail. */
static int alloc_should_fail(void)
{
    if (!alloc_env_read) {
        const char *s = getenv("KG_FAILALLOC_AT");
        alloc_env_read = 1;
        if (s != NULL && *s != '\0') alloc_fail_at = strtoul(s, NULL, 10);
    }
    alloc_count++;
    return alloc_fail_at != 0 && alloc_count == alloc_fail_at;
}

void *kg_malloc(size_t n)
{
    if (alloc_should_fail()) return NULL;
    return malloc(n ? n : 1);
}

void *kg_calloc(size_t count, size_t n)
{
    if (alloc_should_fail()) return NULL;
    if (count == 0 || n == 0) count = n = 1;
    return calloc(count, n);
}

void *kg_realloc(void *p, size_t n)
{
    if (alloc_should_fail()) return NULL;
    return realloc(p, n ? n : 1);
}

void kg_free(void *p)
{
    free(p);
}

char *kg_strndup(const char *s, size_t n)
{
    char *d;

    if (s == NULL) return NULL;
    if (n == SIZE_MAX) return NULL;
    d = kg_malloc(n + 1);
    if (d == NULL) return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *kg_strdup(const char *s)
{
    return s ? kg_strndup(s, strlen(s)) : NULL;
}

/* ---- kg_buf ---- */

int kg_buf_grow(kg_buf *b, size_t extra)
{
    size_t need, cap;
    char *p;

    if (b->oom) return KG_ENOMEM;
    if (kg_add_overflow(&need, b->len, extra) ||
        kg_add_overflow(&need, need, 1)) {
        b->oom = 1;
        return KG_ENOMEM;
    }
    if (need <= b->cap) return KG_OK;
    cap = b->cap ? b->cap : 64;
    while (cap < need) {
        if (cap > SIZE_MAX / 2) {
            cap = need;
            break;
        }
        cap *= 2;
    }
    p = kg_realloc(b->data, cap);
    if (p == NULL) {
        b->oom = 1;
        return KG_ENOMEM;
    }
    if (b->data == NULL) p[0] = '\0';
    b->data = p;
    b->cap = cap;
    return KG_OK;
}

int kg_buf_put(kg_buf *b, const void *data, size_t len)
{
    if (kg_buf_grow(b, len) < 0) return KG_ENOMEM;
    if (len) memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return KG_OK;
}

int kg_buf_puts(kg_buf *b, const char *s)
{
    return kg_buf_put(b, s, strlen(s));
}

int kg_buf_putc(kg_buf *b, int c)
{
    char ch = (char)c;
    return kg_buf_put(b, &ch, 1);
}

int kg_buf_vprintf(kg_buf *b, const char *fmt, va_list ap)
{
    va_list cp;
    int n;

    if (kg_buf_grow(b, 64) < 0) return KG_ENOMEM;
    va_copy(cp, ap);
    n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, cp);
    va_end(cp);
    if (n < 0) return KG_ERROR;
    if ((size_t)n >= b->cap - b->len) {
        if (kg_buf_grow(b, (size_t)n) < 0) return KG_ENOMEM;
        va_copy(cp, ap);
        vsnprintf(b->data + b->len, b->cap - b->len, fmt, cp);
        va_end(cp);
    }
    b->len += (size_t)n;
    return KG_OK;
}

int kg_buf_printf(kg_buf *b, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = kg_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

char *kg_buf_detach(kg_buf *b)
{
    char *p;

    if (b->oom) {
        kg_buf_free(b);
        return NULL;
    }
    p = b->data ? b->data : kg_strdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

void kg_buf_reset(kg_buf *b)
{
    b->len = 0;
    b->oom = 0;
    if (b->data) b->data[0] = '\0';
}

void kg_buf_free(kg_buf *b)
{
    if (b == NULL) return;
    kg_free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->oom = 0;
}

/* ---- kg_arena ---- */

/* Chunks double from 4 KiB up to 1 MiB so that a tiny query costs a page
 * while a big load does not churn; a request larger than a quarter chunk
 * gets a chunk of its own, so the tail of the current one is not wasted. */
#define ARENA_FIRST 4096
#define ARENA_MAXCHUNK (1u << 20)

typedef struct arena_chunk { /* 16 bytes: the payload stays 16-aligned */
    struct arena_chunk *next;
    size_t size;
} arena_chunk;
_Static_assert(sizeof(arena_chunk) % 16 == 0, "arena payload alignment");

struct kg_arena {
    arena_chunk *chunks;
    char *cur;
    size_t left;
    size_t next_size;
};

kg_arena *kg_arena_new(void)
{
    kg_arena *a = kg_calloc(1, sizeof *a);
    if (a != NULL) a->next_size = ARENA_FIRST;
    return a;
}

void kg_arena_free(kg_arena *a)
{
    arena_chunk *c, *next;

    if (a == NULL) return;
    for (c = a->chunks; c != NULL; c = next) {
        next = c->next;
        kg_free(c);
    }
    kg_free(a);
}

void *kg_arena_alloc(kg_arena *a, size_t n)
{
    arena_chunk *c;
    size_t size, total;
    char *p;

    if (n == 0) n = 1;
    if (kg_add_overflow(&n, n, 15)) return NULL;
    n &= ~(size_t)15;
    if (n <= a->left) {
        p = a->cur;
        a->cur += n;
        a->left -= n;
        return p;
    }
    size = a->next_size;
    if (n > size / 4) size = n;
    if (kg_add_overflow(&total, size, sizeof(arena_chunk))) return NULL;
    c = kg_calloc(1, total);
    if (c == NULL) return NULL;
    c->size = size;
    c->next = a->chunks;
    a->chunks = c;
    p = (char *)(c + 1);
    if (size != n) { /* a one-off chunk leaves the bump region alone */
        a->cur = p + n;
        a->left = size - n;
    }
    if (a->next_size < ARENA_MAXCHUNK && size == a->next_size)
        a->next_size *= 2;
    return p;
}

char *kg_arena_strndup(kg_arena *a, const char *s, size_t n)
{
    char *d;

    if (n == SIZE_MAX) return NULL;
    d = kg_arena_alloc(a, n + 1);
    if (d == NULL) return NULL;
    if (n) memcpy(d, s, n);
    d[n] = '\0'; /* the arena zeroes, but be explicit */
    return d;
}

/* ---- hashing ---- */

uint64_t kg_hash(const void *data, size_t len)
{
    return XXH3_64bits(data, len);
}
