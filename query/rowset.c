/* rowset.c - a hash set of value tuples, for DISTINCT, grouping and
 * count(DISTINCT x).
 *
 * Tuples are stored contiguously (width values each) and found through an
 * open-addressing index of entry numbers; equality is kg_value_equal (null
 * equals null, 1 equals 1.0), the equivalence openCypher uses for DISTINCT
 * and grouping keys. Entries are never removed.
 */
#include "query_int.h"

uint64_t kg_rowset__hash(const kg_value *t, uint32_t width)
{
    uint64_t h = 0x9E3779B97F4A7C15ull;
    uint32_t i;
    for (i = 0; i < width; i++)
        h = (h ^ kg_value_hash(&t[i])) * 0x100000001B3ull;
    return h;
}

static int same(const kg_value *a, const kg_value *b, uint32_t width)
{
    uint32_t i;
    for (i = 0; i < width; i++)
        if (!kg_value_equal(&a[i], &b[i])) return 0;
    return 1;
}

static int grow_index(kg_rowset *s)
{
    size_t cap = s->icap ? s->icap * 2 : 64, i;
    uint32_t *idx = kg_calloc(cap, sizeof *idx);
    if (!idx) return KG_ENOMEM;
    for (i = 0; i < s->n; i++) {
        size_t j = (size_t)s->hashes[i] & (cap - 1);
        while (idx[j]) j = (j + 1) & (cap - 1);
        idx[j] = (uint32_t)i + 1;
    }
    kg_free(s->index);
    s->index = idx;
    s->icap = cap;
    return KG_OK;
}

int kg_rowset__add(kg_rowset *s, const kg_value *t, size_t *pos, int *added)
{
    uint64_t h = kg_rowset__hash(t, s->width);
    size_t j;
    uint32_t i;
    *added = 0;
    if ((s->n + 1) * 2 > s->icap && grow_index(s) < 0) return KG_ENOMEM;
    for (j = (size_t)h & (s->icap - 1); s->index[j]; j = (j + 1) & (s->icap - 1)) {
        size_t e = s->index[j] - 1;
        if (s->hashes[e] == h && same(s->vals + e * s->width, t, s->width)) {
            *pos = e;
            return KG_OK;
        }
    }
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        kg_value *v = kg_realloc(s->vals, cap * (s->width ? s->width : 1) *
                                              sizeof *v);
        uint64_t *hs;
        if (!v) return KG_ENOMEM;
        s->vals = v;
        hs = kg_realloc(s->hashes, cap * sizeof *hs);
        if (!hs) return KG_ENOMEM;
        s->hashes = hs;
        s->cap = cap;
    }
    for (i = 0; i < s->width; i++)
        s->vals[s->n * s->width + i] = kg_value_retain(&t[i]);
    s->hashes[s->n] = h;
    s->index[j] = (uint32_t)s->n + 1;
    *pos = s->n++;
    *added = 1;
    return KG_OK;
}

void kg_rowset__free(kg_rowset *s)
{
    size_t i;
    for (i = 0; i < s->n * s->width; i++) kg_value_release(&s->vals[i]);
    kg_free(s->vals);
    kg_free(s->hashes);
    kg_free(s->index);
    memset(s, 0, sizeof *s);
}
