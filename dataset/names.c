/* names.c - node keys from paths, relation types, and which files are read.
 *
 * These rules are part of the note format (see kg_dataset.h): a note's
 * default key comes from its file name, relation names are normalised to
 * UPPER_SNAKE_CASE so that `in_layer`, `in-layer` and `inLayer` are one
 * type, and only *.md and *.csv outside dot-folders are dataset files.
 * Both outputs are always valid UTF-8 whatever bytes the path holds, since
 * git paths are bytes: an invalid byte counts as a separator.
 */
#include <string.h>

#include "dataset_int.h"

static int is_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9');
}
static int is_upper(unsigned char c)
{
    return c >= 'A' && c <= 'Z';
}
static int is_lower(unsigned char c)
{
    return c >= 'a' && c <= 'z';
}
static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* Length of the printable multi-byte character at s[0], 0 for invalid
 * UTF-8 and for C1 controls (U+0080..U+009F), which count as separators. */
static size_t wide_char(const char *s, size_t n)
{
    size_t u = kg_text__utf8_len(s, n);
    return u == 2 && kg_text__has_ctrl(s, 2) ? 0 : u;
}

int kg_dataset__has_ext(const char *path, const char *ext)
{
    size_t n = strlen(path), e = strlen(ext), i;

    if (n < e) return 0;
    for (i = 0; i < e; i++) {
        unsigned char a = (unsigned char)path[n - e + i];
        if (is_upper(a)) a = (unsigned char)(a + 32);
        if (a != (unsigned char)ext[i]) return 0;
    }
    return 1;
}

/* The file name part of path and the length of its stem (up to the last
 * '.', unless the name starts with it: ".md" has no stem). */
static const char *base_stem(const char *path, size_t *stemlen)
{
    const char *base = strrchr(path, '/'), *dot;

    base = base ? base + 1 : path;
    dot = strrchr(base, '.');
    *stemlen = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    return base;
}

char *kg_dataset__stem(const char *path)
{
    kg_buf b = KG_BUF_INIT;
    size_t n;
    const char *base = base_stem(path ? path : "", &n);

    if (kg_text__repair(&b, base, n, NULL) < 0 || kg_buf_put(&b, "", 0) < 0) {
        kg_buf_free(&b);
        return NULL;
    }
    return kg_buf_detach(&b);
}

char *kg_dataset_key_from_path(const char *path)
{
    kg_buf b = KG_BUF_INIT;
    size_t n, i = 0, u;
    const char *s = base_stem(path ? path : "", &n);
    int sep = 0;

    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (is_alnum(c)) {
            if (sep && b.len) kg_buf_putc(&b, '-');
            kg_buf_putc(&b, is_upper(c) ? c + 32 : c);
            sep = 0;
            i++;
        } else if (c >= 0x80 && (u = wide_char(s + i, n - i)) > 0) {
            /* letters of other scripts stay; only ASCII is folded */
            if (sep && b.len) kg_buf_putc(&b, '-');
            kg_buf_put(&b, s + i, u);
            sep = 0;
            i += u;
        } else {
            sep = 1;
            i++;
        }
    }
    /* a name with no letters or digits at all ("---.md") still needs one */
    if (b.len == 0) kg_buf_puts(&b, "untitled");
    if (b.oom) {
        kg_buf_free(&b);
        return NULL;
    }
    return kg_buf_detach(&b);
}

/* A word boundary before s[i] (an upper-case letter) inside a name:
 * "inLayer" (a lower, then an upper), "HTTPServer" and "usesS3Bucket" (an
 * upper or digit, then an upper that starts a lower-case word). The output
 * has no lower-case letters, so a second pass never splits it again:
 * kg_dataset_rel_type(kg_dataset_rel_type(x)) equals kg_dataset_rel_type(x),
 * and "KNOWS9L" stays whole. */
static int camel_break(const char *s, size_t i, size_t n)
{
    unsigned char prev = (unsigned char)s[i - 1];

    if (is_lower(prev)) return 1;
    return (is_upper(prev) || is_digit(prev)) && i + 1 < n &&
           is_lower((unsigned char)s[i + 1]);
}

char *kg_dataset__rel_type_n(const char *s, size_t n)
{
    kg_buf b = KG_BUF_INIT;
    size_t i = 0, u;
    int sep = 0;

    kg_buf_put(&b, "", 0); /* "" rather than NULL for an empty result */
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (is_alnum(c)) {
            if (b.len &&
                (sep || (is_upper(c) && i > 0 && camel_break(s, i, n))))
                kg_buf_putc(&b, '_');
            kg_buf_putc(&b, is_lower(c) ? c - 32 : c);
            sep = 0;
            i++;
        } else if (c >= 0x80 && (u = wide_char(s + i, n - i)) > 0) {
            if (sep && b.len) kg_buf_putc(&b, '_');
            kg_buf_put(&b, s + i, u);
            sep = 0;
            i += u;
        } else {
            sep = 1;
            i++;
        }
    }
    if (b.oom) {
        kg_buf_free(&b);
        return NULL;
    }
    return kg_buf_detach(&b);
}

char *kg_dataset_rel_type(const char *name)
{
    return kg_dataset__rel_type_n(name ? name : "", name ? strlen(name) : 0);
}

/* Files under a folder or with a name starting with '.' (.obsidian/,
 * .github/, .trash/) are tool state, not data. */
int kg_dataset_wants(const char *path)
{
    const char *p;

    if (path == NULL || *path == '\0') return 0;
    for (p = path; p != NULL; p = strchr(p, '/')) {
        if (*p == '/') p++;
        if (*p == '.') return 0;
    }
    return kg_dataset__has_ext(path, ".md") ||
           kg_dataset__has_ext(path, ".csv");
}

int kg_dataset_parse(kg_doc *doc, const char *text, size_t len, kg_error *err)
{
    const char *path = doc->path ? doc->path : "";

    if (kg_dataset__has_ext(path, ".md"))
        return kg_note_parse(doc, text, len, err);
    if (kg_dataset__has_ext(path, ".csv"))
        return kg_table_parse(doc, text, len, err);
    return kg_error_set(err, KG_ETYPE, doc->path, (kg_span){0, 0},
                        "'%s' is not a dataset file (expected *.md or *.csv)",
                        path);
}
