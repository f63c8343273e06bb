/* render.c - box, table and markdown layouts, aligned by display width.
 *
 * Widths are terminal columns (kg_utf8_width), not bytes, so a column of
 * Japanese service names or combining accents lines up. When the table is
 * wider than the terminal the widest columns give way first ("water
 * filling": find the largest cap C such that every column clipped to C
 * fits, then hand the spare columns back), and clipped cells end in an
 * ellipsis. Results longer than .maxrows were kept as head and tail by the
 * sink (out.c); a row of vertical dots marks the rows left out.
 */
#include <string.h>

#include "shell_int.h"

#define MIN_COL 4u /* a clipped column still shows 3 columns and "…" */

/* Borders of one style: corners and joins for the top, the line under the
 * header and the bottom, then the vertical bar and horizontal rule. */
typedef struct {
    const char *top[3], *mid[3], *bot[3], *vbar, *hbar, *ellipsis, *gap;
} style;

/* clang-format off */
static const style box_style = {
    {"┌", "┬", "┐"}, {"├", "┼", "┤"}, {"└", "┴", "┘"}, "│", "─", "…", "⋮"};
static const style table_style = {
    {"+", "+", "+"}, {"+", "+", "+"}, {"+", "+", "+"}, "|", "-", "…", "..."};
static const style md_style = {
    {NULL, NULL, NULL}, {"|", "|", "|"}, {NULL, NULL, NULL}, "|", "-", "…",
    "..."};
/* clang-format on */

size_t kg_render__fit(const char *s, size_t len, size_t width, size_t *w)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, used = 0, n, cw;

    while (i < len) {
        if (p[i] < 0x80)
            n = 1;
        else if ((p[i] & 0xE0) == 0xC0)
            n = 2;
        else if ((p[i] & 0xF0) == 0xE0)
            n = 3;
        else if ((p[i] & 0xF8) == 0xF0)
            n = 4;
        else
            n = 1;
        if (n > len - i) n = len - i;
        cw = kg_utf8_width(s + i, n);
        if (used + cw > width) break;
        used += cw;
        i += n;
    }
    if (w != NULL) *w = used;
    return i;
}

static int is_number(uint8_t type)
{
    return type == KG_VINT || type == KG_VFLOAT;
}

static void pad(kg_out *o, size_t n)
{
    static const char spaces[] = "                                ";
    while (n > 0) {
        size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
        kg_out__put(o, spaces, k);
        n -= k;
    }
}

/* Write text into a column of width colw: clipped with an ellipsis when
 * wider, padded (numbers on the left) when narrower. */
static void put_cell(kg_sink *s, const style *st, const char *text, size_t len,
                     size_t width, size_t colw, int right, const char *sgr)
{
    size_t w = width, n = len;
    int clipped = 0;

    if (width > colw) {
        n = kg_render__fit(text, len, colw - 1, &w);
        clipped = 1;
    }
    if (right && !clipped) pad(s->out, colw - w);
    if (sgr != NULL) kg_out__sgr(s->out, sgr);
    kg_out__put(s->out, text, n);
    if (clipped) {
        kg_out__puts(s->out, st->ellipsis);
        w++;
    }
    if (sgr != NULL) kg_out__sgr(s->out, NULL);
    if (!right || clipped) pad(s->out, colw - w);
}

static void rule(kg_sink *s, const style *st, const char *const *corners,
                 const size_t *colw, const uint8_t *right, int md)
{
    size_t i, k;

    if (corners[0] == NULL) return;
    kg_out__sgr(s->out, KG_SGR_DIM);
    for (i = 0; i < s->ncols; i++) {
        kg_out__puts(s->out, corners[i == 0 ? 0 : 1]);
        for (k = 0; k < colw[i] + 2; k++) {
            /* markdown marks right-aligned (numeric) columns with ':' */
            if (md && right[i] && k == colw[i] + 1)
                kg_out__puts(s->out, ":");
            else
                kg_out__puts(s->out, st->hbar);
        }
    }
    kg_out__puts(s->out, corners[2]);
    kg_out__sgr(s->out, NULL);
    kg_out__put(s->out, "\n", 1);
}

static void bar(kg_sink *s, const style *st)
{
    kg_out__sgr(s->out, KG_SGR_DIM);
    kg_out__puts(s->out, st->vbar);
    kg_out__sgr(s->out, NULL);
}

/* Markdown cells escape '|' so the table stays a table. */
static void md_escape(kg_buf *b, const char *t, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        if (t[i] == '|') kg_buf_putc(b, '\\');
        kg_buf_putc(b, t[i]);
    }
}

static void data_row(kg_sink *s, const style *st, const kg_cell *row,
                     const size_t *colw, const uint8_t *right, int md)
{
    kg_buf esc = KG_BUF_INIT;
    size_t i;

    for (i = 0; i < s->ncols; i++) {
        const kg_cell *c = &row[i];
        const char *sgr = c->type == KG_VNULL ? KG_SGR_DIM : NULL;
        bar(s, st);
        kg_out__put(s->out, " ", 1);
        if (md && memchr(c->text, '|', c->len) != NULL) {
            kg_buf_reset(&esc);
            md_escape(&esc, c->text, c->len);
            put_cell(s, st, esc.data, esc.len, kg_utf8_width(esc.data, esc.len),
                     colw[i], right[i], sgr);
        } else {
            put_cell(s, st, c->text, c->len, c->width, colw[i], right[i], sgr);
        }
        kg_out__put(s->out, " ", 1);
    }
    bar(s, st);
    kg_out__put(s->out, "\n", 1);
    kg_buf_free(&esc);
}

static void header_row(kg_sink *s, const style *st, const size_t *colw)
{
    size_t i, len;

    for (i = 0; i < s->ncols; i++) {
        kg_buf b = KG_BUF_INIT;
        bar(s, st);
        kg_out__put(s->out, " ", 1);
        kg_buf_put_safe(&b, s->names[i], strlen(s->names[i]));
        len = b.data != NULL ? b.len : 0;
        put_cell(s, st, b.data ? b.data : "", len,
                 kg_utf8_width(b.data ? b.data : "", len), colw[i], 0,
                 KG_SGR_BOLD);
        kg_buf_free(&b);
        kg_out__put(s->out, " ", 1);
    }
    bar(s, st);
    kg_out__put(s->out, "\n", 1);
}

static void gap_row(kg_sink *s, const style *st, const size_t *colw)
{
    size_t i, gw = kg_utf8_width(st->gap, strlen(st->gap)), left;

    for (i = 0; i < s->ncols; i++) {
        bar(s, st);
        left = colw[i] > gw ? (colw[i] - gw) / 2 : 0;
        pad(s->out, 1 + left);
        kg_out__sgr(s->out, KG_SGR_DIM);
        kg_out__puts(s->out, st->gap);
        kg_out__sgr(s->out, NULL);
        pad(s->out, colw[i] > gw + left ? colw[i] - gw - left + 1 : 1);
    }
    bar(s, st);
    kg_out__put(s->out, "\n", 1);
}

/* Shrink colw so that the table fits in s->width columns (see the file
 * comment); columns never go below MIN_COL or their natural width. */
static void fit_width(kg_sink *s, size_t *colw)
{
    size_t overhead = 3 * s->ncols + 1, total = overhead, i, lo, hi;
    size_t avail, used = 0, give;

    for (i = 0; i < s->ncols; i++)
        total += colw[i];
    if (s->width == 0 || total <= s->width) return;
    avail = s->width > overhead ? s->width - overhead : 0;
    lo = MIN_COL;
    hi = 0;
    for (i = 0; i < s->ncols; i++)
        if (colw[i] > hi) hi = colw[i];
    while (lo < hi) { /* the largest cap whose clipped sum fits */
        size_t mid = lo + (hi - lo + 1) / 2, sum = 0;
        for (i = 0; i < s->ncols; i++)
            sum += colw[i] < mid ? colw[i] : mid;
        if (sum <= avail)
            lo = mid;
        else
            hi = mid - 1;
    }
    for (i = 0; i < s->ncols; i++)
        used += colw[i] < lo ? colw[i] : lo;
    /* columns left over go back to the clipped columns, left first */
    for (i = 0; i < s->ncols; i++) {
        if (colw[i] <= lo) continue;
        give = used < avail ? avail - used : 0;
        if (give > colw[i] - lo) give = colw[i] - lo;
        colw[i] = lo + give;
        used += give;
    }
}

void kg_render__table(kg_sink *s)
{
    const style *st = s->mode == KG_MODE_BOX     ? &box_style
                      : s->mode == KG_MODE_TABLE ? &table_style
                                                 : &md_style;
    int md = s->mode == KG_MODE_MARKDOWN;
    size_t *colw = NULL, i, r, w, k;
    uint8_t *right = NULL;

    if (s->ncols == 0 || s->oom) return;
    colw = kg_calloc(s->ncols, sizeof *colw);
    right = kg_calloc(s->ncols, 1);
    if (colw == NULL || right == NULL) goto done;
    for (i = 0; i < s->ncols; i++) {
        int numeric = 1, any = 0;
        if (s->headers)
            colw[i] = kg_utf8_width(s->names[i], strlen(s->names[i]));
        for (r = 0; r < s->nhead + s->ntail; r++) {
            const kg_cell *c = r < s->nhead
                                   ? &s->head[r * s->ncols + i]
                                   : &s->tail[(r - s->nhead) * s->ncols + i];
            w = c->width;
            if (md)
                for (k = 0; k < c->len; k++)
                    w += c->text[k] == '|';
            if (w > colw[i]) colw[i] = w;
            if (c->type != KG_VNULL) {
                any = 1;
                if (!is_number(c->type)) numeric = 0;
            }
        }
        right[i] = (uint8_t)(any && numeric);
        if (colw[i] == 0) colw[i] = 1;
    }
    if (md) {
        /* a Markdown separator needs three dashes */
        for (i = 0; i < s->ncols; i++)
            if (colw[i] < 3) colw[i] = 3;
    } else {
        fit_width(s, colw);
    }
    rule(s, st, st->top, colw, right, 0);
    if (s->headers) {
        header_row(s, st, colw);
        rule(s, st, st->mid, colw, right, md);
    } else if (md) {
        rule(s, st, st->mid, colw, right, md);
    }
    for (r = 0; r < s->nhead; r++)
        data_row(s, st, s->head + r * s->ncols, colw, right, md);
    if (s->nrows > s->nhead + s->ntail) gap_row(s, st, colw);
    for (r = 0; r < s->ntail; r++) {
        /* the ring's oldest row sits at tailpos % captail once it wrapped */
        size_t at = s->tailpos > s->captail
                        ? (size_t)((s->tailpos + r) % s->captail)
                        : r;
        data_row(s, st, s->tail + at * s->ncols, colw, right, md);
    }
    rule(s, st, st->bot, colw, right, 0);
done:
    kg_free(colw);
    kg_free(right);
}
