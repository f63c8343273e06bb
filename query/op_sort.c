/* op_sort.c - Sort, with a bounded heap when a LIMIT follows (top-k).
 *
 * Each input row becomes an entry: its sort keys, evaluated once, followed
 * by the slots that stay live above the sort (the projection's columns),
 * plus a sequence number that makes the order stable. Without a limit all
 * entries are kept and merge-sorted; with k = SKIP + LIMIT only the k best
 * are kept in a max-heap (the worst on top), so `ORDER BY deg DESC LIMIT
 * 10` over two million rows holds ten entries. Keys compare with the
 * openCypher orderability (nulls last ascending, first descending).
 */
#include "query_int.h"

typedef struct {
    kg_op base;
    ast_sort *keys;
    uint32_t nkeys;
    int32_t *keep;
    uint32_t nkeep;
    const ast_expr *skip, *limit;
    uint32_t width;     /* nkeys + nkeep values per entry */
    kg_value *vals;     /* entries * width */
    uint64_t *seq;
    size_t n, cap;
    size_t *order;      /* sorted entry indexes */
    int64_t k;          /* -1: keep everything */
    int consumed;
    size_t pos;
} op_sort;

static int entry_cmp(const op_sort *s, size_t a, size_t b)
{
    uint32_t i;
    const kg_value *va = s->vals + a * s->width, *vb = s->vals + b * s->width;
    for (i = 0; i < s->nkeys; i++) {
        int c = kg_qv__order(&va[i], &vb[i]);
        if (c) return s->keys[i].desc ? -c : c;
    }
    return (s->seq[a] > s->seq[b]) - (s->seq[a] < s->seq[b]);
}

static void merge_sort(const op_sort *s, size_t *a, size_t *tmp, size_t n)
{
    size_t mid = n / 2, i = 0, j = mid, k = 0;
    if (n < 2) return;
    merge_sort(s, a, tmp, mid);
    merge_sort(s, a + mid, tmp, n - mid);
    while (i < mid && j < n)
        tmp[k++] = entry_cmp(s, a[j], a[i]) < 0 ? a[j++] : a[i++];
    while (i < mid) tmp[k++] = a[i++];
    while (j < n) tmp[k++] = a[j++];
    memcpy(a, tmp, n * sizeof *a);
}

/* max-heap on order[0..n) by entry_cmp: the worst kept entry on top */
static void sift_down(op_sort *s, size_t i, size_t n)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i, t;
        if (l < n && entry_cmp(s, s->order[l], s->order[m]) > 0) m = l;
        if (r < n && entry_cmp(s, s->order[r], s->order[m]) > 0) m = r;
        if (m == i) return;
        t = s->order[i];
        s->order[i] = s->order[m];
        s->order[m] = t;
        i = m;
    }
}

static void sift_up(op_sort *s, size_t i)
{
    while (i > 0) {
        size_t p = (i - 1) / 2, t;
        if (entry_cmp(s, s->order[i], s->order[p]) <= 0) return;
        t = s->order[i];
        s->order[i] = s->order[p];
        s->order[p] = t;
        i = p;
    }
}

/* Fill entry e from the current row. */
static int fill(op_sort *s, kg_exec *x, size_t e, uint64_t seq)
{
    kg_value *v = s->vals + e * s->width;
    uint32_t i;
    int rc;
    for (i = 0; i < s->nkeys; i++)
        if ((rc = kg_expr__eval(x, s->keys[i].expr, &v[i])) < 0) return rc;
    for (i = 0; i < s->nkeep; i++)
        v[s->nkeys + i] = kg_value_retain(&x->row[s->keep[i]]);
    s->seq[e] = seq;
    return KG_OK;
}

static void clear_entry(op_sort *s, size_t e)
{
    uint32_t i;
    for (i = 0; i < s->width; i++) kg_value_release(&s->vals[e * s->width + i]);
}

static int reserve(op_sort *s, kg_exec *x)
{
    size_t cap;
    kg_value *v;
    uint64_t *q;
    size_t *o;
    if (s->n < s->cap) return KG_OK;
    cap = s->cap ? s->cap * 2 : 64;
    if (!(v = kg_realloc(s->vals, cap * s->width * sizeof *v))) goto oom;
    s->vals = v;
    if (!(q = kg_realloc(s->seq, cap * sizeof *q))) goto oom;
    s->seq = q;
    if (!(o = kg_realloc(s->order, cap * sizeof *o))) goto oom;
    s->order = o;
    memset(s->vals + s->cap * s->width, 0,
           (cap - s->cap) * s->width * sizeof *v);
    s->cap = cap;
    return kg_exec__mem(x, (long long)(cap / 2 * (s->width * sizeof *v + 16)),
                        s->base.span);
oom:
    return kg_exec__fail(x, KG_ENOMEM, s->base.span, "out of memory");
}

static int consume(op_sort *s, kg_exec *x)
{
    uint64_t seq = 0;
    int rc;
    s->k = -1;
    if (s->limit) {
        int64_t skip = 0, limit;
        if (s->skip && (rc = kg_expr__count(x, s->skip, "SKIP", &skip)) < 0)
            return rc;
        if ((rc = kg_expr__count(x, s->limit, "LIMIT", &limit)) < 0) return rc;
        s->k = skip + limit;
        if (s->k == 0) { /* keep nothing, but let an update below finish */
            while ((rc = kg_op__next(s->base.child, x)) == 1) {}
            return rc < 0 ? rc : KG_OK;
        }
    }
    while ((rc = kg_op__next(s->base.child, x)) == 1) {
        if ((rc = kg_exec__tick(x)) < 0) return rc;
        if (s->k >= 0 && s->n == (size_t)s->k) {
            /* full: replace the worst entry if this row beats it */
            size_t worst = s->order[0], spare;
            if ((rc = reserve(s, x)) < 0) return rc;
            spare = s->n; /* scratch entry past the heap */
            if ((rc = fill(s, x, spare, seq++)) < 0) return rc;
            if (entry_cmp(s, spare, worst) < 0) {
                size_t i;
                clear_entry(s, worst);
                for (i = 0; i < s->width; i++) {
                    s->vals[worst * s->width + i] = s->vals[spare * s->width + i];
                    s->vals[spare * s->width + i] = KG_NULL_VALUE;
                }
                s->seq[worst] = s->seq[spare];
                sift_down(s, 0, s->n);
            } else {
                clear_entry(s, spare);
            }
            continue;
        }
        if ((rc = reserve(s, x)) < 0) return rc;
        if ((rc = fill(s, x, s->n, seq++)) < 0) return rc;
        s->order[s->n] = s->n;
        s->n++;
        if (s->k >= 0) sift_up(s, s->n - 1);
    }
    if (rc < 0) return rc;
    {
        size_t *tmp = kg_malloc((s->n + 1) * sizeof *tmp), i;
        if (!tmp) return kg_exec__fail(x, KG_ENOMEM, s->base.span, "out of memory");
        for (i = 0; i < s->n; i++) s->order[i] = i;
        merge_sort(s, s->order, tmp, s->n);
        kg_free(tmp);
    }
    return KG_OK;
}

static int sort_next(kg_op *op, kg_exec *x)
{
    op_sort *s = (op_sort *)op;
    uint32_t i;
    int rc;
    size_t e;
    if (!s->consumed) {
        if ((rc = consume(s, x)) < 0) return rc;
        s->consumed = 1;
        s->pos = 0;
    }
    if (s->pos >= s->n) return 0;
    e = s->order[s->pos++];
    for (i = 0; i < s->nkeep; i++)
        kg_exec__set(x, s->keep[i],
                     kg_value_retain(&s->vals[e * s->width + s->nkeys + i]));
    return 1;
}

static void sort_clear(op_sort *s)
{
    size_t e;
    for (e = 0; e < s->cap; e++) clear_entry(s, e);
    s->n = 0;
    s->consumed = 0;
}

static void sort_reset(kg_op *op)
{
    sort_clear((op_sort *)op);
}

static void sort_free(kg_op *op)
{
    op_sort *s = (op_sort *)op;
    sort_clear(s);
    kg_free(s->vals);
    kg_free(s->seq);
    kg_free(s->order);
    kg_free(s->keep);
}

static void sort_explain(const kg_op *op, const kg_exec *x, kg_buf *out)
{
    const op_sort *s = (const op_sort *)op;
    uint32_t i;
    for (i = 0; i < s->nkeys; i++) {
        const ast_expr *e = s->keys[i].expr;
        if (i) kg_buf_puts(out, ", ");
        kg_buf_put_safe(out, x->text + e->span.offset, e->span.len);
        if (s->keys[i].desc) kg_buf_puts(out, " DESC");
    }
    if (s->limit) kg_buf_puts(out, " (top-k)");
}

static const kg_op_vtable sort_vt = {"Sort", sort_next, sort_reset, sort_free,
                                     sort_explain};

kg_op *kg_op_new_sort(kg_op *child, ast_sort *keys, uint32_t nkeys,
                      const int32_t *keep, uint32_t nkeep,
                      const ast_expr *skip, const ast_expr *limit)
{
    op_sort *s = kg_op__alloc(sizeof *s, &sort_vt, child);
    if (!s) return NULL;
    s->keys = keys;
    s->nkeys = nkeys;
    s->keep = kg_malloc((nkeep + 1) * sizeof *s->keep);
    if (!s->keep) {
        kg_free(s);
        return NULL;
    }
    if (nkeep) memcpy(s->keep, keep, nkeep * sizeof *keep);
    s->nkeep = nkeep;
    s->skip = skip;
    s->limit = limit;
    s->width = nkeys + nkeep;
    s->base.eager = 1;
    return &s->base;
}
