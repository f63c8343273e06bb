/* text.c - text helpers shared by the dataset parsers.
 *
 * Notes and tables come from people's repositories, so every byte is
 * suspect: these helpers find and repair invalid UTF-8 (one replacement
 * character per bad byte keeps columns where a person counts them), compute
 * positions in code points like kg_error_locate, quote offending values for
 * messages, and read numbers and dates the same way whatever the locale.
 * The string set lives here too: both parsers need duplicate detection that
 * stays linear on a file with a hundred thousand links or rows.
 */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "dataset_int.h"

int kg_text__is_binary(const char *s, size_t len)
{
    return len > 0 &&
           memchr(s, 0, len < KG_BINARY_SNIFF ? len : KG_BINARY_SNIFF) != NULL;
}

/* Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above
 * U+10FFFF. The second byte's allowed range depends on the first. */
size_t kg_text__utf8_len(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    unsigned char c, lo = 0x80, hi = 0xBF;
    size_t need, i;

    if (n == 0) return 0;
    c = s[0];
    if (c >= 0x01 && c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else {
        return 0; /* NUL, continuation byte, C0, C1, F5..FF */
    }
    if (n < need) return 0;
    if (s[1] < lo || s[1] > hi) return 0;
    for (i = 2; i < need; i++)
        if ((s[i] & 0xC0) != 0x80) return 0;
    return need;
}

/* 1 when the 8 bytes at s are all ASCII and none is NUL: the common case,
 * checked a word at a time (the classic "has zero byte" test). */
static int ascii8(const char *s)
{
    uint64_t w;

    memcpy(&w, s, 8);
    return ((w | ((w - 0x0101010101010101ULL) & ~w)) & 0x8080808080808080ULL) ==
           0;
}

size_t kg_text__first_bad(const char *s, size_t len)
{
    size_t i = 0, n;

    while (i < len) {
        unsigned char c;
        if (i + 8 <= len && ascii8(s + i)) {
            i += 8;
            continue;
        }
        c = (unsigned char)s[i];
        if (c >= 0x01 && c < 0x80) {
            i++;
            continue;
        }
        n = kg_text__utf8_len(s + i, len - i);
        if (n == 0) return i;
        i += n;
    }
    return len;
}

int kg_text__repair(kg_buf *out, const char *s, size_t len, size_t *nbad)
{
    size_t i = 0, start = 0, n, bad = 0;

    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x01 && c < 0x80) {
            i++;
            continue;
        }
        n = kg_text__utf8_len(s + i, len - i);
        if (n > 0) {
            i += n;
            continue;
        }
        if (kg_buf_put(out, s + start, i - start) < 0 ||
            kg_buf_put(out, "\xEF\xBF\xBD", 3) < 0)
            return KG_ENOMEM;
        bad++;
        start = ++i;
    }
    if (kg_buf_put(out, s + start, len - start) < 0) return KG_ENOMEM;
    if (nbad) *nbad = bad;
    return KG_OK;
}

int kg_text__check(kg_doc *doc, const char *text, size_t len, kg_buf *fixed,
                   int *skip, const char *what)
{
    size_t bad, nbad = 0;
    uint32_t line, col;
    const char *nul;

    *skip = 1;
    if (len > KG_NOTE_MAX_BYTES)
        return kg_doc_diag(doc, KG_SEV_ERROR, 1, 1,
                           "%s is %zu bytes, over the %u-byte limit; "
                           "skipped",
                           what, len, KG_NOTE_MAX_BYTES);
    if (kg_text__is_binary(text, len)) {
        nul = memchr(text, 0, len);
        kg_text__locate(text, (size_t)(nul - text), 1, &line, &col);
        return kg_doc_diag(doc, KG_SEV_ERROR, line, col,
                           "binary file (NUL byte at %u:%u); not read as a "
                           "%s",
                           line, col, what);
    }
    *skip = 0;
    bad = kg_text__first_bad(text, len);
    if (bad == len) return KG_OK;
    if (kg_text__repair(fixed, text, len, &nbad) < 0) return KG_ENOMEM;
    kg_text__locate(text, bad, 1, &line, &col);
    return kg_doc_diag(doc, KG_SEV_ERROR, line, col,
                       "%s 0x%02x; %zu bad byte%s replaced by U+FFFD",
                       text[bad] ? "invalid UTF-8 byte" : "NUL byte",
                       (unsigned char)text[bad], nbad, nbad == 1 ? "" : "s");
}

uint32_t kg_text__cols(const char *s, size_t len)
{
    uint32_t n = 0;
    size_t i;

    for (i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) n++;
    return n;
}

void kg_text__locate(const char *s, size_t off, uint32_t line1, uint32_t *line,
                     uint32_t *col)
{
    size_t i, start = 0;
    uint32_t l = line1;

    for (i = 0; i < off; i++) {
        if (s[i] == '\n') {
            l++;
            start = i + 1;
        }
    }
    *line = l;
    *col = kg_text__cols(s + start, off - start) + 1;
}

int kg_text__has_ctrl(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i;

    for (i = 0; i < len; i++) {
        if (p[i] < 0x20 || p[i] == 0x7F) return 1;
        /* C1 controls are U+0080..U+009F: C2 80 .. C2 9F in UTF-8 */
        if (p[i] == 0xC2 && i + 1 < len && p[i + 1] >= 0x80 && p[i + 1] <= 0x9F)
            return 1;
    }
    return 0;
}

const char *kg_text__quote(char *buf, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    size_t i = 0, o = 0, n;
    unsigned chars = 0;

    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (chars == KG_QUOTE_CHARS) {
            memcpy(buf + o, "...", 3);
            o += 3;
            break;
        }
        chars++;
        n = kg_text__utf8_len(s + i, len - i);
        if (c == '\n' || c == '\t' || c == '\r') {
            buf[o++] = '\\';
            buf[o++] = c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
            i++;
        } else if (n == 0 || c < 0x20 || c == 0x7F ||
                   kg_text__has_ctrl(s + i, n)) {
            buf[o++] = '\\';
            buf[o++] = 'x';
            buf[o++] = hex[c >> 4];
            buf[o++] = hex[c & 15];
            i++;
        } else {
            memcpy(buf + o, s + i, n);
            o += n;
            i += n;
        }
    }
    buf[o] = '\0';
    return buf;
}

static int digits(const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return 0;
    return 1;
}

int kg_text__is_date(const char *s, size_t len)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, m, d, leap;

    if (len != 10 || s[4] != '-' || s[7] != '-') return 0;
    if (!digits(s, 4) || !digits(s + 5, 2) || !digits(s + 8, 2)) return 0;
    y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
        (s[3] - '0');
    m = (s[5] - '0') * 10 + (s[6] - '0');
    d = (s[8] - '0') * 10 + (s[9] - '0');
    if (m < 1 || m > 12 || d < 1) return 0;
    leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[m - 1] + (m == 2 && leap);
}

static int digit_val(char c, int base)
{
    int v;
    if (c >= '0' && c <= '9')
        v = c - '0';
    else if (c >= 'a' && c <= 'f')
        v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
        v = c - 'A' + 10;
    else
        return -1;
    return v < base ? v : -1;
}

int kg_text__parse_int(const char *s, size_t len, int base, int64_t *out)
{
    uint64_t v = 0, limit;
    size_t i = 0;
    int neg = 0, d;

    if (base == 10 && len > 0 && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        i = 1;
    }
    if (i == len) return 1;
    limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; i < len; i++) {
        if ((d = digit_val(s[i], base)) < 0) return 1;
        if (v > (limit - (uint64_t)d) / (uint64_t)base) {
            /* keep checking the syntax so "99999999999999999999x" is 1 */
            for (i++; i < len; i++)
                if (digit_val(s[i], base) < 0) return 1;
            return 2;
        }
        v = v * (uint64_t)base + (uint64_t)d;
    }
    if (neg)
        *out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
    else
        *out = (int64_t)v;
    return 0;
}

int kg_text__parse_double(const char *s, size_t len, double *out)
{
    char local[64], *buf = local, *end;
    const char *dp = localeconv()->decimal_point;
    size_t i = 0, nd = 0;
    int rc = 1;

    /* Check the whole syntax first: strtod would also take hex, "inf",
     * leading spaces and the locale's own decimal point. */
    if (i < len && (s[i] == '-' || s[i] == '+')) i++;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++, nd++;
    if (i < len && s[i] == '.') {
        i++;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++, nd++;
    }
    if (nd == 0) return 1;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < len && (s[i] == '-' || s[i] == '+')) i++;
        if (i == len || s[i] < '0' || s[i] > '9') return 1;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    if (i != len) return 1;
    if (len >= sizeof local && (buf = kg_malloc(len + 1)) == NULL) return 1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    if (dp != NULL && dp[0] != '.' && dp[0] != '\0' && dp[1] == '\0') {
        char *dot = strchr(buf, '.');
        if (dot) *dot = dp[0];
    }
    *out = strtod(buf, &end);
    rc = *end == '\0' ? 0 : 1;
    if (buf != local) kg_free(buf);
    return rc;
}

/* ---- string set ---- */

/* FNV-1a: the keys are short (targets, YAML keys), where it beats setting
 * up xxh3, and it folds case on the fly for nocase sets. */
static uint64_t set_hash(const char *s, size_t len, int nocase)
{
    uint64_t h = 1469598103934665603ULL;
    size_t i;

    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (nocase && c >= 'A' && c <= 'Z') c = (unsigned char)(c + 32);
        h = (h ^ c) * 1099511628211ULL;
    }
    return h ^ (h >> 29);
}

static int set_eq(const kg_strset_ent *e, const char *s, size_t len, int nocase)
{
    size_t i;

    if (e->len != len) return 0;
    if (!nocase) return memcmp(e->s, s, len) == 0;
    for (i = 0; i < len; i++) {
        unsigned char a = (unsigned char)e->s[i], b = (unsigned char)s[i];
        if (a >= 'A' && a <= 'Z') a = (unsigned char)(a + 32);
        if (b >= 'A' && b <= 'Z') b = (unsigned char)(b + 32);
        if (a != b) return 0;
    }
    return 1;
}

static kg_strset_ent *set_slot(const kg_strset *set, const char *s, size_t len,
                               uint64_t h)
{
    size_t mask = set->cap - 1, i = (size_t)h & mask;

    for (;;) {
        kg_strset_ent *e = &set->ents[i];
        if (e->s == NULL) return e;
        if (e->hash == h && set_eq(e, s, len, set->nocase)) return e;
        i = (i + 1) & mask;
    }
}

static int set_grow(kg_strset *set)
{
    kg_strset_ent *old = set->ents, *e;
    size_t oldcap = set->cap, i, ncap = set->cap ? set->cap * 2 : 16;

    if (ncap > SIZE_MAX / sizeof *e) return KG_ENOMEM;
    set->ents = kg_calloc(ncap, sizeof *e);
    if (set->ents == NULL) {
        set->ents = old;
        return KG_ENOMEM;
    }
    set->cap = ncap;
    for (i = 0; i < oldcap; i++) {
        if (old[i].s == NULL) continue;
        e = set_slot(set, old[i].s, old[i].len, old[i].hash);
        *e = old[i];
    }
    kg_free(old);
    return KG_OK;
}

int kg_strset__add(kg_strset *set, const char *s, size_t len, uintptr_t val,
                   uintptr_t *found)
{
    kg_strset_ent *e;
    uint64_t h;

    if (len > UINT32_MAX) return KG_ENOMEM;
    /* keep the load under 1/2 so probes stay short */
    if ((set->count + 1) * 2 > set->cap && set_grow(set) < 0) return KG_ENOMEM;
    h = set_hash(s, len, set->nocase);
    e = set_slot(set, s, len, h);
    if (e->s != NULL) {
        if (found) *found = e->val;
        return 0;
    }
    /* an empty key still needs a non-NULL pointer to mark the slot used */
    e->s = len ? s : "";
    e->len = (uint32_t)len;
    e->hash = h;
    e->val = val;
    set->count++;
    return 1;
}

int kg_strset__put(kg_strset *set, const char *s, size_t len, uintptr_t val)
{
    int rc = kg_strset__add(set, s, len, val, NULL);
    if (rc == 0)
        set_slot(set, s, len, set_hash(s, len, set->nocase))->val = val;
    return rc < 0 ? rc : KG_OK;
}

int kg_strset__get(const kg_strset *set, const char *s, size_t len,
                   uintptr_t *val)
{
    kg_strset_ent *e;

    if (set->cap == 0) return 0;
    e = set_slot(set, s, len, set_hash(s, len, set->nocase));
    if (e->s == NULL) return 0;
    if (val) *val = e->val;
    return 1;
}

void kg_strset__free(kg_strset *set)
{
    if (set == NULL) return;
    kg_free(set->ents);
    set->ents = NULL;
    set->cap = set->count = 0;
}
