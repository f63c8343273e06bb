/* yaml_fast.c - a fast reader for the plain subset of YAML front matter.
 *
 * libyaml costs about 10 microseconds for a ten-line front matter, most of
 * it in per-token allocation, which alone would take a 100000-note sync
 * past a second. Nearly all front matter is the same few shapes:
 *
 *     id: sagemaker-studio
 *     kind: [Service, Managed]
 *     name: "SageMaker Studio"
 *     links:
 *       in_layer: platform
 *       uses:
 *         - s3
 *
 * This reader handles exactly that subset and hands the same events (type,
 * start mark, scalar style and text) to the same tree builder as libyaml.
 * It is deliberately conservative: at the first thing outside the subset
 * (tabs, anchors, tags, escapes, block or multi-line scalars, flow maps,
 * indented comments, unusual characters...) it gives up with KG_ENOTFOUND
 * and the caller starts again with libyaml, which also produces every
 * error message. The note_parse fuzzer checks that whenever this reader
 * accepts an input, libyaml builds the identical tree from it.
 *
 * Subset: a block mapping at column 0 whose keys match
 * [A-Za-z0-9_][A-Za-z0-9_.-]* directly followed by ':'; a value is a plain
 * scalar, a one-line "..." or
 * '...' scalar without escapes, a one-line flow list of such scalars,
 * nothing, or on the next lines a nested block mapping or a block list of
 * scalars, up to FAST_MAX_DEPTH levels. Comments only at column 0 or after
 * a value.
 */
#include <string.h>
#include <yaml.h>

#include "dataset_int.h"

#define FAST_MAX_DEPTH 4
#define BAIL 1 /* outside the subset: not an error, use libyaml */

typedef struct {
    const char *s;
    size_t len;
    kg_yaml_emit_cb emit;
    void *payload;
    size_t events;
    size_t cline, cpos; /* column cache: line start + 1 (0: none), offset */
    uint32_t ccol;      /* ... and the column there                       */
} fast;

typedef struct {
    size_t start, end; /* content, without the line break             */
    size_t next;       /* start of the following line                 */
    size_t indent;     /* leading spaces                              */
    size_t no;         /* 0-based line number, as libyaml marks count */
} fline;

/* Character classes, so the inner loops test a bit instead of strchr. */
enum {
    NOSTART = 1, /* may not start a plain scalar (YAML indicators)      */
    FLOWBAD = 2, /* ends or spoils a plain scalar inside [ ]            */
    BLOCKBAD = 4 /* outside our subset inside a block plain scalar      */
};

#define NF (NOSTART | FLOWBAD)
#define NFB (NOSTART | FLOWBAD | BLOCKBAD)
static const unsigned char cls[256] = {
    ['?'] = NOSTART, [':'] = NF,      [','] = NF,      ['['] = NFB,
    [']'] = NFB,     ['{'] = NFB,     ['}'] = NFB,     ['#'] = NF,
    ['&'] = NOSTART, ['*'] = NOSTART, ['!'] = NOSTART, ['|'] = NOSTART,
    ['>'] = NOSTART, ['\''] = NF,     ['"'] = NF,      ['%'] = NOSTART,
    ['@'] = NOSTART, ['`'] = NOSTART, [' '] = NOSTART, ['-'] = NOSTART};
#undef NF
#undef NFB

/* ---- lines ---- */

/* Read the line at p->s[at]. BAIL on a tab, a lone CR, a character libyaml
 * would reject or treat as a line break (NEL, LS, PS), or a BOM. */
static int get_line(const fast *p, size_t at, size_t no, fline *l)
{
    const unsigned char *s = (const unsigned char *)p->s;
    size_t i;

    l->start = at;
    l->no = no;
    for (i = at; i < p->len && s[i] != '\n'; i++) {
        unsigned char c = s[i];
        if (c >= 0x20 && c < 0x7F) continue;
        if (c < 0x20 || c == 0x7F) {
            if (c != '\r' || i + 1 >= p->len || s[i + 1] != '\n') return BAIL;
        } else if (c == 0xC2 && i + 1 < p->len && s[i + 1] <= 0x9F) {
            return BAIL; /* C1 controls and NEL */
        } else if (c == 0xE2 && i + 2 < p->len && s[i + 1] == 0x80 &&
                   (s[i + 2] == 0xA8 || s[i + 2] == 0xA9)) {
            return BAIL; /* LS, PS */
        } else if (c == 0xEF && i + 2 < p->len &&
                   ((s[i + 1] == 0xBB && s[i + 2] == 0xBF) ||
                    (s[i + 1] == 0xBF && s[i + 2] >= 0xBE))) {
            return BAIL; /* BOM, U+FFFE, U+FFFF */
        }
    }
    l->end = i > at && s[i - 1] == '\r' ? i - 1 : i;
    l->next = i < p->len ? i + 1 : i;
    for (l->indent = 0; at + l->indent < l->end && s[at + l->indent] == ' ';)
        l->indent++;
    return 0;
}

/* The next line with content at or after *at, skipping blank lines and
 * comments at column 0. 0 with l set, BAIL, or 2 at the end. */
static int content_line(const fast *p, size_t *at, size_t *no, fline *l)
{
    int rc;

    while (*at < p->len) {
        if ((rc = get_line(p, *at, *no, l)) != 0) return rc;
        if (l->indent < l->end - l->start) {
            if (p->s[l->start + l->indent] != '#') return 0;
            if (l->indent > 0) return BAIL; /* indented comment */
        }
        *at = l->next;
        (*no)++;
    }
    return 2;
}

/* ---- events ---- */

/* The 0-based column of pos on line l, counted on from the previous event
 * when it is on the same line: counting from the line start each time made
 * a flow sequence of N items on one line cost N x its length (a note
 * listing 100,000 link targets took minutes). The count is per byte, so
 * it adds up across any split. */
static uint32_t column(fast *p, const fline *l, size_t pos)
{
    if (p->cline != l->start + 1 || pos < p->cpos) {
        p->cline = l->start + 1;
        p->cpos = l->start;
        p->ccol = 0;
    }
    p->ccol += kg_text__cols(p->s + p->cpos, pos - p->cpos);
    p->cpos = pos;
    return p->ccol;
}

static int emit(fast *p, yaml_event_type_t type, const fline *l, size_t pos,
                const char *v, size_t n, yaml_scalar_style_t style, int flow)
{
    yaml_event_t ev;
    int rc;

    if (++p->events > KG_YAML_MAX_NODES) return BAIL; /* libyaml reports */
    memset(&ev, 0, sizeof ev);
    ev.type = type;
    if (l != NULL) {
        ev.start_mark.line = l->no;
        ev.start_mark.column = column(p, l, pos);
        ev.start_mark.index = pos;
    }
    if (type == YAML_SCALAR_EVENT) {
        ev.data.scalar.value = (yaml_char_t *)(uintptr_t)v;
        ev.data.scalar.length = n;
        ev.data.scalar.style = style;
        ev.data.scalar.plain_implicit = style == YAML_PLAIN_SCALAR_STYLE;
        ev.data.scalar.quoted_implicit = style != YAML_PLAIN_SCALAR_STYLE;
    } else if (type == YAML_SEQUENCE_START_EVENT) {
        ev.data.sequence_start.implicit = 1;
        ev.data.sequence_start.style =
            flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE;
    } else if (type == YAML_MAPPING_START_EVENT) {
        ev.data.mapping_start.implicit = 1;
        ev.data.mapping_start.style = YAML_BLOCK_MAPPING_STYLE;
    }
    rc = p->emit(p->payload, &ev);
    return rc < 0 ? rc : 0;
}

/* ---- scalars ---- */

static int is_key_char(char c, int first)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' ||
           (!first && (c == '-' || c == '.'));
}

/* After a value ending at i: only spaces, then optionally " #comment". */
static int trailer_ok(const fast *p, size_t i, size_t end)
{
    size_t j = i;

    while (j < end && p->s[j] == ' ')
        j++;
    return j == end || (j > i && p->s[j] == '#');
}

/* A one-line quoted scalar at s[i] (the quote); *e gets the position after
 * the closing quote. BAIL on escapes, '' or a missing close. */
static int quoted(fast *p, const fline *l, size_t i, size_t *e)
{
    char q = p->s[i];
    const char *c = memchr(p->s + i + 1, q, l->end - i - 1);
    size_t close;

    if (c == NULL) return BAIL;
    close = (size_t)(c - p->s);
    if (q == '"' && memchr(p->s + i + 1, '\\', close - i - 1)) return BAIL;
    if (q == '\'' && close + 1 < l->end && p->s[close + 1] == '\'') return BAIL;
    *e = close + 1;
    return emit(p, YAML_SCALAR_EVENT, l, i, p->s + i + 1, close - i - 1,
                q == '"' ? YAML_DOUBLE_QUOTED_SCALAR_STYLE
                         : YAML_SINGLE_QUOTED_SCALAR_STYLE,
                0);
}

/* May a plain scalar start with c (d the next char)? Indicators may not;
 * '-' only before a digit ("-5"). */
static int plain_start(char c, char d)
{
    if (c == '-') return d >= '0' && d <= '9';
    return !(cls[(unsigned char)c] & NOSTART);
}

/* A plain scalar in a flow list, ending at ',' or ']'. */
static int flow_plain(fast *p, const fline *l, size_t i, size_t *e)
{
    size_t j = i, end;

    if (!plain_start(p->s[i], i + 1 < l->end ? p->s[i + 1] : ' ')) return BAIL;
    while (j < l->end && p->s[j] != ']' && p->s[j] != ',') {
        if (cls[(unsigned char)p->s[j]] & FLOWBAD) return BAIL;
        j++;
    }
    for (end = j; end > i && p->s[end - 1] == ' ';)
        end--;
    *e = j;
    return emit(p, YAML_SCALAR_EVENT, l, i, p->s + i, end - i,
                YAML_PLAIN_SCALAR_STYLE, 0);
}

/* [a, "b", 'c'] on one line, from s[i] = '['. */
static int flow_seq(fast *p, const fline *l, size_t i)
{
    int rc;

    if ((rc = emit(p, YAML_SEQUENCE_START_EVENT, l, i, NULL, 0, 0, 1)) != 0)
        return rc;
    for (i++; i < l->end && p->s[i] == ' ';)
        i++;
    if (i < l->end && p->s[i] == ']') goto close;
    for (;;) {
        if (i >= l->end) return BAIL;
        rc = p->s[i] == '"' || p->s[i] == '\'' ? quoted(p, l, i, &i)
                                               : flow_plain(p, l, i, &i);
        if (rc != 0) return rc;
        while (i < l->end && p->s[i] == ' ')
            i++;
        if (i < l->end && p->s[i] == ']') break;
        if (i >= l->end || p->s[i] != ',') return BAIL;
        for (i++; i < l->end && p->s[i] == ' ';)
            i++;
        if (i < l->end && p->s[i] == ']') return BAIL; /* [a, ] */
    }
close:
    if (!trailer_ok(p, i + 1, l->end)) return BAIL;
    return emit(p, YAML_SEQUENCE_END_EVENT, NULL, 0, NULL, 0, 0, 1);
}

/* A value on the line, from s[i] (not a space, not the end). */
static int inline_value(fast *p, const fline *l, size_t i, int lists)
{
    size_t j, end;
    int rc;

    if (p->s[i] == '"' || p->s[i] == '\'') {
        if ((rc = quoted(p, l, i, &j)) != 0) return rc;
        return trailer_ok(p, j, l->end) ? 0 : BAIL;
    }
    if (p->s[i] == '[') return lists ? flow_seq(p, l, i) : BAIL;
    if (!plain_start(p->s[i], i + 1 < l->end ? p->s[i + 1] : ' ')) return BAIL;
    for (j = i; j < l->end; j++) {
        char c = p->s[j];
        if (c == '#' && p->s[j - 1] == ' ') break; /* comment */
        if (c == ':' && (j + 1 == l->end || p->s[j + 1] == ' ')) return BAIL;
        if (cls[(unsigned char)c] & BLOCKBAD) return BAIL;
    }
    for (end = j; end > i && p->s[end - 1] == ' ';)
        end--;
    return emit(p, YAML_SCALAR_EVENT, l, i, p->s + i, end - i,
                YAML_PLAIN_SCALAR_STYLE, 0);
}

/* ---- blocks ---- */

static int block_map(fast *p, size_t *at, size_t *no, size_t n, int depth);

/* - item lines at indent m (m may equal the parent key's indent). */
static int block_seq(fast *p, size_t *at, size_t *no, size_t m)
{
    fline l;
    size_t i;
    int rc, first = 1;

    for (;;) {
        if ((rc = content_line(p, at, no, &l)) == 2 ||
            (rc == 0 && l.indent < m))
            break;
        if (rc != 0) return rc;
        i = l.start + l.indent;
        if (l.indent > m || p->s[i] != '-') {
            if (l.indent > m) return BAIL;
            break; /* a key of the parent map */
        }
        if (i + 1 >= l.end || p->s[i + 1] != ' ') return BAIL;
        if (first && (rc = emit(p, YAML_SEQUENCE_START_EVENT, &l, i, NULL, 0, 0,
                                0)) != 0)
            return rc;
        first = 0;
        for (i += 1; i < l.end && p->s[i] == ' ';)
            i++;
        if (i == l.end || (rc = inline_value(p, &l, i, 0)) != 0)
            return rc ? rc : BAIL;
        *at = l.next;
        (*no)++;
    }
    return emit(p, YAML_SEQUENCE_END_EVENT, NULL, 0, NULL, 0, 0, 0);
}

/* What follows "key:" with nothing after it on the line: a block list, a
 * nested map, or an empty (null) scalar marked just after the colon. */
static int empty_value(fast *p, const fline *kl, size_t colon, size_t *at,
                       size_t *no, size_t n, int depth)
{
    fline l;
    size_t a = *at, k = *no;
    int rc = content_line(p, &a, &k, &l);

    if (rc == BAIL) return rc;
    if (rc == 0 && l.indent >= n && p->s[l.start + l.indent] == '-' &&
        l.start + l.indent + 1 < l.end && p->s[l.start + l.indent + 1] == ' ')
        return block_seq(p, at, no, l.indent);
    if (rc == 0 && l.indent > n) {
        if (depth + 1 >= FAST_MAX_DEPTH) return BAIL;
        return block_map(p, at, no, l.indent, depth + 1);
    }
    return emit(p, YAML_SCALAR_EVENT, kl, colon + 1, "", 0,
                YAML_PLAIN_SCALAR_STYLE, 0);
}

/* key: value lines at indent n. */
static int block_map(fast *p, size_t *at, size_t *no, size_t n, int depth)
{
    fline l;
    size_t i, k;
    int rc, first = 1;

    for (;;) {
        if ((rc = content_line(p, at, no, &l)) == 2 ||
            (rc == 0 && l.indent < n))
            break;
        if (rc != 0) return rc;
        if (l.indent > n) return BAIL; /* continuation or bad indent */
        k = i = l.start + n;
        if (!is_key_char(p->s[i], 1)) return BAIL;
        while (i < l.end && is_key_char(p->s[i], 0))
            i++;
        if (i >= l.end || p->s[i] != ':' ||
            (i + 1 < l.end && p->s[i + 1] != ' '))
            return BAIL;
        if (first &&
            (rc = emit(p, YAML_MAPPING_START_EVENT, &l, k, NULL, 0, 0, 0)) != 0)
            return rc;
        first = 0;
        if ((rc = emit(p, YAML_SCALAR_EVENT, &l, k, p->s + k, i - k,
                       YAML_PLAIN_SCALAR_STYLE, 0)) != 0)
            return rc;
        *at = l.next;
        (*no)++;
        k = i; /* the colon */
        for (i++; i < l.end && p->s[i] == ' ';)
            i++;
        if (i == l.end || p->s[i] == '#')
            rc = empty_value(p, &l, k, at, no, n, depth);
        else
            rc = inline_value(p, &l, i, 1);
        if (rc != 0) return rc;
    }
    return emit(p, YAML_MAPPING_END_EVENT, NULL, 0, NULL, 0, 0, 0);
}

int kg_yaml__fast(const char *yaml, size_t len, kg_yaml_emit_cb cb,
                  void *payload)
{
    fast p;
    fline l;
    size_t at = 0, no = 0;
    int rc;

    memset(&p, 0, sizeof p);
    p.s = yaml;
    p.len = len;
    p.emit = cb;
    p.payload = payload;
    if ((rc = emit(&p, YAML_STREAM_START_EVENT, NULL, 0, NULL, 0, 0, 0)) != 0)
        goto done;
    rc = content_line(&p, &at, &no, &l);
    if (rc == 0) {
        if (l.indent != 0) {
            rc = BAIL;
            goto done;
        }
        if ((rc = emit(&p, YAML_DOCUMENT_START_EVENT, NULL, 0, NULL, 0, 0,
                       0)) != 0 ||
            (rc = block_map(&p, &at, &no, 0, 0)) != 0 ||
            (rc = emit(&p, YAML_DOCUMENT_END_EVENT, NULL, 0, NULL, 0, 0, 0)) !=
                0)
            goto done;
    } else if (rc != 2) {
        goto done;
    }
    rc = emit(&p, YAML_STREAM_END_EVENT, NULL, 0, NULL, 0, 0, 0);
done:
    return rc == BAIL ? KG_ENOTFOUND : rc;
}
