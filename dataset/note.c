/* note.c - one Markdown note: its node, its body text and its wiki-links.
 *
 * A note is read in three steps: the bytes are checked (binary files are
 * skipped, invalid UTF-8 and NUL bytes are replaced by U+FFFD with one
 * diagnostic, so no key or link ever carries invalid UTF-8); the front
 * matter between the `---` lines goes to frontmatter.c, which adds the
 * node; the body is kept as the node's text and scanned for [[wiki-links]].
 *
 * The body scan knows just enough Markdown to skip code: fenced blocks
 * (``` and ~~~, CommonMark rules for opening and closing) and code spans,
 * which pair a backtick run with the next run of the same length within a
 * paragraph. Spans are matched by sorting the runs, so a paragraph with
 * thousands of unmatched backticks stays O(n log n) instead of rescanning.
 * Indented code blocks are not recognised: nested list items look the same
 * without a full block parser, and losing links there would be worse.
 */
#include <stdlib.h>
#include <string.h>

#include "dataset_int.h"

/* ---- link edges, shared with frontmatter.c ---- */

int kg_note__edge(kg_note_ctx *c, const char *type, const char *dst,
                  size_t dstlen, uint32_t line, uint32_t col, kg_edge_rec **out)
{
    kg_edge_rec *e;

    if (out) *out = NULL;
    if (c->nlinks >= KG_NOTE_MAX_LINKS) {
        if (c->over) return KG_OK;
        c->over = 1;
        return kg_doc_diag(c->doc, KG_SEV_ERROR, line, col,
                           "more than %u links in one note; the rest are "
                           "ignored",
                           KG_NOTE_MAX_LINKS);
    }
    kg_buf_reset(&c->scratch);
    if (kg_buf_put(&c->scratch, dst, dstlen) < 0) return KG_ENOMEM;
    e = kg_doc_edge(c->doc, c->doc->nodes[c->node].key, type, c->scratch.data,
                    line, col);
    if (e == NULL) return KG_ENOMEM;
    c->nlinks++;
    if (out) *out = e;
    return KG_OK;
}

int kg_note__link_target(const char *s, size_t len, size_t *off, size_t *tlen)
{
    const char *bar = memchr(s, '|', len), *hash;
    size_t a = 0, b = bar ? (size_t)(bar - s) : len;
    int has_hash = 0;

    if ((hash = memchr(s, '#', b)) != NULL) {
        b = (size_t)(hash - s);
        has_hash = 1;
    }
    while (a < b && (s[a] == ' ' || s[a] == '\t'))
        a++;
    while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
        b--;
    if (b - a > 3 && s[b - 3] == '.' && (s[b - 2] | 32) == 'm' &&
        (s[b - 1] | 32) == 'd')
        b -= 3;
    while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
        b--;
    *off = a;
    *tlen = b - a;
    return has_hash;
}

/* ---- front matter split ---- */

/* Length of the line at s[0..n) up to its '\n' (exclusive). */
static size_t line_len(const char *s, size_t n)
{
    const char *nl = memchr(s, '\n', n);
    return nl ? (size_t)(nl - s) : n;
}

/* 1 when s[0..n) is `mark` followed only by spaces, tabs or a '\r'. */
static int is_marker(const char *s, size_t n, const char *mark)
{
    size_t i;

    if (n < 3 || memcmp(s, mark, 3) != 0) return 0;
    for (i = 3; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r') return 0;
    return 1;
}

typedef struct {
    const char *yaml; /* NULL: no front matter */
    size_t yamllen;
    uint32_t yamlline;
    size_t body; /* offset of the body in the text */
    uint32_t bodyline;
} note_parts;

/* Split text at the front matter: a first line `---` and a closing `---`
 * (or YAML's `...`) line. An unclosed block is reported and read as body,
 * so its links are not lost. */
static int split(kg_doc *doc, const char *s, size_t len, size_t start,
                 note_parts *p)
{
    size_t pos, n;
    uint32_t line = 2;

    memset(p, 0, sizeof *p);
    p->body = start;
    p->bodyline = 1;
    n = line_len(s + start, len - start);
    if (!is_marker(s + start, n, "---")) return KG_OK;
    for (pos = start + n + 1; pos < len; pos += n + 1, line++) {
        n = line_len(s + pos, len - pos);
        if (is_marker(s + pos, n, "---") || is_marker(s + pos, n, "...")) {
            p->yaml = s + start + line_len(s + start, len - start) + 1;
            p->yamllen = (size_t)(s + pos - p->yaml);
            p->yamlline = 2;
            p->body = pos + n < len ? pos + n + 1 : len;
            p->bodyline = line + 1;
            return KG_OK;
        }
    }
    return kg_doc_diag(doc, KG_SEV_ERROR, 1, 1,
                       "front matter opened by '---' at 1:1 is not closed "
                       "by a '---' line; it is read as body text");
}

/* ---- body scan ---- */

typedef struct {
    size_t pos, len;
} span;

typedef struct {
    kg_note_ctx *c;
    const char *text;
    kg_strset seen;     /* targets linked, ASCII case-insensitive     */
    span *runs, *spans; /* backtick runs and code spans of a paragraph */
    size_t nruns, nspans, cap;
    size_t *order;
    /* incremental position: line of text[lpos], whose line starts at lstart
     * and whose column at cpos is ccol */
    size_t lpos, lstart, cpos;
    uint32_t lline, ccol;
} body_scan;

/* Move the position cursor to off (never backwards) and give line:col. */
static void position(body_scan *b, size_t off, uint32_t *line, uint32_t *col)
{
    const char *nl;

    while ((nl = memchr(b->text + b->lpos, '\n', off - b->lpos)) != NULL) {
        b->lline++;
        b->lpos = b->lstart = (size_t)(nl - b->text) + 1;
        b->cpos = b->lstart;
        b->ccol = 1;
    }
    b->lpos = off;
    b->ccol += kg_text__cols(b->text + b->cpos, off - b->cpos);
    b->cpos = off;
    *line = b->lline;
    *col = b->ccol;
}

/* Files an embed ![[x]] may show that are not notes: no edge for them. */
static int is_media(const char *s, size_t n)
{
    static const char *const exts[] = {
        ".png", ".jpg",  ".jpeg",   ".gif",        ".bmp", ".svg", ".webp",
        ".pdf", ".mp3",  ".mp4",    ".webm",       ".wav", ".ogg", ".m4a",
        ".mov", ".flac", ".canvas", ".excalidraw", NULL};
    size_t i, e, j;

    for (i = 0; exts[i]; i++) {
        e = strlen(exts[i]);
        if (n <= e) continue;
        for (j = 0; j < e; j++) {
            char ch = s[n - e + j];
            if (ch >= 'A' && ch <= 'Z') ch = (char)(ch + 32);
            if (ch != exts[i][j]) break;
        }
        if (j == e) return 1;
    }
    return 0;
}

/* One [[...]] found at text[at], its inside being text[in..in+n). */
static int add_link(body_scan *b, size_t at, size_t in, size_t n, int embed)
{
    const char *s = b->text + in;
    size_t off, tlen;
    uint32_t line, col;
    int hash = kg_note__link_target(s, n, &off, &tlen), rc;

    if (tlen == 0 && hash) return KG_OK; /* [[#Heading]]: this note */
    if (embed && is_media(s + off, tlen)) return KG_OK;
    position(b, at, &line, &col);
    if (tlen == 0)
        return kg_doc_diag(b->c->doc, KG_SEV_WARNING, line, col,
                           "empty wiki-link; ignored");
    if (kg_text__has_ctrl(s + off, tlen))
        return kg_doc_diag(b->c->doc, KG_SEV_WARNING, line, col,
                           "wiki-link target has a control character; "
                           "ignored");
    rc = kg_strset__add(&b->seen, s + off, tlen, 0, NULL);
    if (rc <= 0) return rc; /* seen before, or KG_ENOMEM */
    return kg_note__edge(b->c, "MENTIONS", s + off, tlen, line, col, NULL);
}

static int run_cmp(const void *pa, const void *pb)
{
    const span *a = pa, *b = pb;
    if (a->len != b->len) return a->len < b->len ? -1 : 1;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

static size_t run_index(const body_scan *b, size_t pos)
{
    size_t lo = 0, hi = b->nruns;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (b->runs[mid].pos < pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Find the code spans of text[a..z): collect backtick runs, sort a copy by
 * (length, position) so each run's closer is its successor of equal
 * length, then take openers left to right. */
static int find_spans(body_scan *b, size_t a, size_t z)
{
    const char *t = b->text, *q;
    size_t i, j, k, *next;
    span *sorted;

    b->nruns = b->nspans = 0;
    for (i = a; (q = memchr(t + i, '`', z - i)) != NULL;) {
        i = (size_t)(q - t);
        for (j = i; j < z && t[j] == '`'; j++) {
        }
        if (b->nruns == b->cap) {
            size_t ncap = b->cap ? b->cap * 2 : 16;
            span *r = kg_realloc(b->runs, ncap * 3 * sizeof *r);
            size_t *o = kg_realloc(b->order, ncap * sizeof *o);
            if (r) b->runs = r;
            if (o) b->order = o;
            if (r == NULL || o == NULL) return KG_ENOMEM;
            b->cap = ncap;
        }
        b->runs[b->nruns].pos = i;
        b->runs[b->nruns++].len = j - i;
        i = j;
    }
    if (b->nruns < 2) return KG_OK;
    /* runs, then the sorted copy, then the spans, in one allocation */
    sorted = b->runs + b->cap;
    b->spans = b->runs + 2 * b->cap;
    memcpy(sorted, b->runs, b->nruns * sizeof *sorted);
    qsort(sorted, b->nruns, sizeof *sorted, run_cmp);
    next = b->order;
    for (k = 0; k < b->nruns; k++)
        next[k] = SIZE_MAX;
    /* runs are in position order, so a sorted entry's index is found by
     * binary search on its position */
    for (k = 0; k + 1 < b->nruns; k++) {
        if (sorted[k + 1].len != sorted[k].len) continue;
        next[run_index(b, sorted[k].pos)] = run_index(b, sorted[k + 1].pos);
    }
    for (i = 0; i < b->nruns;) {
        if (next[i] == SIZE_MAX) {
            i++;
            continue;
        }
        b->spans[b->nspans].pos = b->runs[i].pos;
        b->spans[b->nspans++].len =
            b->runs[next[i]].pos + b->runs[next[i]].len - b->runs[i].pos;
        i = next[i] + 1;
    }
    return KG_OK;
}

/* Scan one paragraph text[a..z) for wiki-links outside code spans. */
static int scan_para(body_scan *b, size_t a, size_t z)
{
    const char *t = b->text, *q;
    size_t p = a, i, j, k = 0, lim;
    int rc;

    if ((rc = find_spans(b, a, z)) < 0) return rc;
    while (p < z && (q = memchr(t + p, '[', z - p)) != NULL) {
        i = (size_t)(q - t);
        while (k < b->nspans && b->spans[k].pos + b->spans[k].len <= i)
            k++;
        if (k < b->nspans && b->spans[k].pos <= i) {
            p = b->spans[k].pos + b->spans[k].len;
            continue;
        }
        p = i + 1;
        if (i + 1 >= z || t[i + 1] != '[') continue;
        if (i > a && t[i - 1] == '\\') continue; /* \[[ is literal */
        lim = k < b->nspans ? b->spans[k].pos : z;
        for (j = i + 2; j < lim && t[j] != '\n' && t[j] != '['; j++)
            if (t[j] == ']' && j + 1 < lim && t[j + 1] == ']') break;
        if (j + 1 < lim && t[j] == ']' && t[j + 1] == ']') {
            rc = add_link(b, i, i + 2, j - i - 2, i > a && t[i - 1] == '!');
            if (rc < 0) return rc;
            p = j + 2;
        } else if (j < lim && t[j] == '[') {
            p = j; /* "[[a [[b]]": the inner one may be the link */
        }
    }
    return KG_OK;
}

/* A fence line: up to 3 spaces, then 3+ backticks or tildes; a backtick
 * fence's info string may not hold a backtick. Returns the run length. */
static size_t fence_open(const char *s, size_t n, char *ch)
{
    size_t i = 0, r;

    while (i < n && i < 3 && s[i] == ' ')
        i++;
    if (i == n || (s[i] != '`' && s[i] != '~')) return 0;
    for (r = i; r < n && s[r] == s[i]; r++) {
    }
    if (r - i < 3) return 0;
    if (s[i] == '`' && memchr(s + r, '`', n - r) != NULL) return 0;
    *ch = s[i];
    return r - i;
}

static int fence_close(const char *s, size_t n, char ch, size_t open)
{
    size_t i = 0, r;

    while (i < n && i < 3 && s[i] == ' ')
        i++;
    for (r = i; r < n && s[r] == ch; r++) {
    }
    if (r - i < open) return 0;
    for (; r < n; r++)
        if (s[r] != ' ' && s[r] != '\t' && s[r] != '\r') return 0;
    return 1;
}

static int is_blank(const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r') return 0;
    return 1;
}

static int scan_body(kg_note_ctx *c, const char *text, size_t start, size_t end,
                     uint32_t line1)
{
    body_scan b;
    size_t pos = start, n, para = SIZE_MAX, fence = 0;
    uint32_t line = line1, fline = 0;
    char fch = 0;
    int rc = KG_OK;

    memset(&b, 0, sizeof b);
    b.c = c;
    b.text = text;
    b.seen.nocase = 1;
    b.lpos = b.lstart = b.cpos = start;
    b.lline = line1;
    b.ccol = 1;
    while (pos < end && rc == KG_OK) {
        n = line_len(text + pos, end - pos);
        if (fence) {
            if (fence_close(text + pos, n, fch, fence)) fence = 0;
        } else if ((fence = fence_open(text + pos, n, &fch)) != 0 ||
                   is_blank(text + pos, n)) {
            if (fence) fline = line;
            if (para != SIZE_MAX) rc = scan_para(&b, para, pos);
            para = SIZE_MAX;
        } else if (para == SIZE_MAX) {
            para = pos;
        }
        pos += n + 1;
        line++;
    }
    if (rc == KG_OK && para != SIZE_MAX) rc = scan_para(&b, para, end);
    if (rc == KG_OK && fence)
        rc = kg_doc_diag(c->doc, KG_SEV_WARNING, fline, 1,
                         "code fence opened at %u:1 is not closed; links "
                         "after it are ignored",
                         fline);
    kg_strset__free(&b.seen);
    kg_free(b.runs);
    kg_free(b.order);
    return rc;
}

/* ---- the note ---- */

int kg_note_parse(kg_doc *doc, const char *text, size_t len, kg_error *err)
{
    kg_note_ctx c;
    kg_buf fixed = KG_BUF_INIT;
    note_parts p;
    kg_node_rec *node;
    size_t start = 0;
    int rc, skip;

    memset(&c, 0, sizeof c);
    c.doc = doc;
    if (text == NULL) len = 0;
    if ((rc = kg_text__check(doc, text ? text : "", len, &fixed, &skip,
                             "note")) < 0 ||
        skip)
        goto done;
    if (fixed.data != NULL) {
        text = fixed.data;
        len = fixed.len;
    }
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) start = 3;
    if ((rc = split(doc, text, len, start, &p)) < 0) goto done;
    c.def_key = kg_dataset_key_from_path(doc->path);
    c.def_name = kg_dataset__stem(doc->path);
    if (c.def_key == NULL || c.def_name == NULL) {
        rc = KG_ENOMEM;
        goto done;
    }
    rc = kg_frontmatter__parse(&c, p.yaml, p.yamllen, p.yamlline, err);
    if (rc < 0) goto done;
    node = &doc->nodes[c.node];
    if (p.body < len && !is_blank(text + p.body, len - p.body)) {
        node->text = kg_strndup(text + p.body, len - p.body);
        if (node->text == NULL) {
            rc = KG_ENOMEM;
            goto done;
        }
    }
    rc = scan_body(&c, text, p.body, len, p.bodyline);
done:
    if (rc == KG_ENOMEM)
        kg_error_set(err, KG_ENOMEM, doc->path, (kg_span){0, 0},
                     "out of memory while reading the note");
    kg_buf_free(&fixed);
    kg_buf_free(&c.scratch);
    kg_free(c.def_key);
    kg_free(c.def_name);
    return rc < 0 ? rc : KG_OK;
}
