/* kg_base.h - status codes, errors, spans, buffers and arenas for every module.
 *
 * This is the one header every kgsh module may include. It holds what all of
 * them need to report failure the same way (kg_status, kg_error) and the two
 * small memory helpers the parsers and writers share (kg_buf, kg_arena).
 * Errors live in a caller-provided struct with a fixed buffer, so reporting
 * an out-of-memory condition never needs memory.
 */
#ifndef KG_BASE_H
#define KG_BASE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define KG_VERSION "0.1.0"

typedef enum {
    KG_OK = 0,
    KG_ERROR = -1,
    KG_ENOTFOUND = -2,
    KG_EEXISTS = -3,
    KG_ESYNTAX = -4,   /* note/query/table text is malformed              */
    KG_ETYPE = -5,     /* well-formed but meaningless (unknown label, ...) */
    KG_EIO = -6,
    KG_EGIT = -7,
    KG_ESTORE = -8,
    KG_ENOMEM = -9,
    KG_ELIMIT = -10,   /* a documented limit was reached                  */
    KG_EINTERRUPT = -11,
    KG_EBUSY = -12     /* another process holds the store for writing     */
} kg_status;

/* A range of bytes in some source text (a query, a note). */
typedef struct {
    uint32_t offset, len;
} kg_span;

typedef struct kg_error {
    int code;           /* kg_status                                       */
    const char *source; /* "<query>", a note path, "<stdin>" (borrowed)    */
    uint32_t line, col; /* 1-based; 0 = unknown                            */
    kg_span span;       /* what to underline, bytes into the source text   */
    char msg[256];      /* fixed: reporting OOM must not allocate          */
} kg_error;

/**
 * Fill err (which may be NULL) and return code, so that
 * `return kg_error_set(err, KG_ESYNTAX, ...)` is one line.
 * line and col are computed later from span by kg_error_locate.
 */
int kg_error_set(kg_error *err, int code, const char *source, kg_span at,
                 const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
/** Set err->line and err->col from err->span over text. */
void kg_error_locate(kg_error *err, const char *text, size_t len);
/** Reset err to "no error". */
void kg_error_clear(kg_error *err);
/**
 * Print `source:line:col: error: msg`, then, when text is given, the source
 * line and a caret run under the span. Control characters are escaped.
 */
void kg_error_print(FILE *out, const kg_error *err, const char *text,
                    size_t len);
/** A short constant name for a status code ("syntax error", ...). */
const char *kg_status_str(int code);

/* ---- allocation ---- */

/* Every allocation in kgsh goes through these, so that a debug build can
 * fail the Nth allocation (KG_FAILALLOC_AT in the environment) to test the
 * out-of-memory paths. */
void *kg_malloc(size_t n);
void *kg_calloc(size_t count, size_t n);
void *kg_realloc(void *p, size_t n);
void kg_free(void *p);
char *kg_strdup(const char *s);
char *kg_strndup(const char *s, size_t n);
/**
 * Test hook: make the nth allocation from now fail (1 = the next one);
 * 0 disables. Only that one allocation fails. Overrides KG_FAILALLOC_AT,
 * which is read once, at the first allocation, with the same meaning.
 * Both count the calling thread's allocations only.
 */
void kg_alloc_fail_at(unsigned long nth);
/** Allocations attempted through kg_malloc & co by this thread so far. */
unsigned long kg_alloc_count(void);

/* Overflow-checked size arithmetic for lengths that come from input.
 * Return 1 on overflow and leave *out unchanged. */
static inline int kg_add_overflow(size_t *out, size_t a, size_t b)
{
    if (a > SIZE_MAX - b) return 1;
    *out = a + b;
    return 0;
}
static inline int kg_mul_overflow(size_t *out, size_t a, size_t b)
{
    if (b != 0 && a > SIZE_MAX / b) return 1;
    *out = a * b;
    return 0;
}

#define KG_CHECK_ALLOC(p, err)                                              \
    do {                                                                    \
        if ((p) == NULL)                                                    \
            return kg_error_set((err), KG_ENOMEM, NULL, (kg_span){0, 0},   \
                                "out of memory");                          \
    } while (0)

/* ---- growable byte buffer (always NUL-terminated when data != NULL) ---- */

typedef struct {
    char *data;
    size_t len, cap;
    int oom; /* sticky: set once an append failed; later appends are no-ops */
} kg_buf;

#define KG_BUF_INIT {NULL, 0, 0, 0}

int kg_buf_grow(kg_buf *b, size_t extra);
int kg_buf_put(kg_buf *b, const void *data, size_t len);
int kg_buf_puts(kg_buf *b, const char *s);
int kg_buf_putc(kg_buf *b, int c);
int kg_buf_printf(kg_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
int kg_buf_vprintf(kg_buf *b, const char *fmt, va_list ap);
/** Take the buffer's memory (caller frees with kg_free); b is reset. */
char *kg_buf_detach(kg_buf *b);
void kg_buf_reset(kg_buf *b); /* len = 0, memory kept */
void kg_buf_free(kg_buf *b);

/* ---- arena: many small allocations freed at once ---- */

typedef struct kg_arena kg_arena;

kg_arena *kg_arena_new(void);
void kg_arena_free(kg_arena *a);
/** 16-byte aligned, zeroed memory valid until kg_arena_free; NULL on OOM. */
void *kg_arena_alloc(kg_arena *a, size_t n);
char *kg_arena_strndup(kg_arena *a, const char *s, size_t n);

/* ---- text helpers ---- */

/**
 * Append s to b so that it is safe to print on a terminal: control
 * characters (C0, DEL, C1) and invalid UTF-8 are written as escapes
 * (\n, \t, \x1b, \u{85}...), valid UTF-8 passes through.
 */
int kg_buf_put_safe(kg_buf *b, const char *s, size_t len);
/** Number of terminal columns s takes (wide = 2, combining = 0). */
size_t kg_utf8_width(const char *s, size_t len);
/** 1 when s[0..len) is valid UTF-8. */
int kg_utf8_valid(const char *s, size_t len);
/** ASCII case-insensitive comparison of NUL-terminated strings. */
int kg_strcasecmp(const char *a, const char *b);

/** xxh3-64 of a byte range (wraps libxxhash). */
uint64_t kg_hash(const void *data, size_t len);

#endif /* KG_BASE_H */
