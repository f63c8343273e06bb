/* mem_index.c - the graph's two lookup indexes: exact keys and link text.
 *
 * The key index is an open-addressing table of node ids probed linearly by
 * the key's xxh3 (kept in the node, so growing never rehashes a string).
 * Deletion uses backward-shift, not tombstones, so a long session of
 * CREATE / DELETE does not slowly fill the table with dead slots.
 *
 * The resolve index answers "which node does this link text mean": key,
 * then name, then alias, ASCII case-insensitively. It is a sorted array of
 * (hash of lowercased text, rank, node) built on first use and dropped by
 * any write that could change an answer (node add / delete, a change to a
 * node's name or aliases). The store resolves all of a version's edges in
 * one go after loading its nodes, so one build serves the whole load.
 */
#include <stdlib.h>
#include <string.h>

#include "graph_int.h"

/* ---- exact key index ---- */

/* Each slot holds the node id and the low 32 bits of its key hash: the
 * home slot comes from those bits, and a probe compares them before
 * touching the node, so a miss costs no cache line beyond the table's. */

/* Rebuild the table with nslots slots (a power of two). */
static int key_rehash(kg_graph *g, uint32_t nslots)
{
    uint32_t mask = nslots - 1, i, j;
    kg_keyslot *tab;

    if (nslots == 0) return KG_ENOMEM;
    tab = kg_malloc((size_t)nslots * sizeof *tab);
    if (tab == NULL) return KG_ENOMEM;
    memset(tab, 0xFF, (size_t)nslots * sizeof *tab);
    if (g->keytab != NULL) {
        for (i = 0; i <= g->keymask; i++) {
            if (g->keytab[i].id == KG_NONE) continue;
            for (j = g->keytab[i].hash & mask; tab[j].id != KG_NONE;
                 j = (j + 1) & mask) {}
            tab[j] = g->keytab[i];
        }
    }
    kg_free(g->keytab);
    g->keytab = tab;
    g->keymask = mask;
    return KG_OK;
}

/* Make room for more keys at a load factor of at most one half. */
int kg_graph__key_reserve(kg_graph *g, size_t more)
{
    size_t need = ((size_t)g->keyused + more) * 2, nslots;

    nslots = g->keytab ? (size_t)g->keymask + 1 : 0;
    if (g->keytab != NULL && need <= nslots) return KG_OK;
    if (nslots == 0) nslots = 1024;
    while (nslots < need) nslots *= 2;
    if (nslots > ((size_t)1 << 31)) return KG_ENOMEM;
    return key_rehash(g, (uint32_t)nslots);
}

/* Keys compare without strlen on the stored side: the stored key is
 * NUL-ended and key has no NUL in its first len bytes, so the loop stops
 * at the stored key's end at the latest. */
static int key_eq(const char *stored, const char *key, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++)
        if (stored[i] != key[i]) return 0;
    return stored[len] == '\0';
}

uint32_t kg_graph__key_probe(const kg_graph *g, const char *key, size_t len,
                             uint64_t h, int *found)
{
    uint32_t i, h32 = (uint32_t)h;

    for (i = h32 & g->keymask; g->keytab[i].id != KG_NONE;
         i = (i + 1) & g->keymask) {
        if (g->keytab[i].hash == h32 && key_eq(g->keytab[i].key, key, len)) {
            *found = 1;
            return i;
        }
    }
    *found = 0;
    return i;
}

void kg_graph__key_set(kg_graph *g, uint32_t slot, kg_id n)
{
    g->keytab[slot].key = g->nodes[n].key;
    g->keytab[slot].id = n;
    g->keytab[slot].hash = (uint32_t)g->nodes[n].keyhash;
    g->keyused++;
}

void kg_graph__key_remove(kg_graph *g, kg_id n)
{
    uint32_t i, j, home, mask = g->keymask;

    if (g->keytab == NULL) return;
    for (i = (uint32_t)g->nodes[n].keyhash & mask; g->keytab[i].id != n;
         i = (i + 1) & mask) {
        if (g->keytab[i].id == KG_NONE) return;
    }
    /* Backward-shift: pull later members of the probe run into the hole
     * when their home slot does not lie cyclically in (hole, j]. */
    for (j = (i + 1) & mask; g->keytab[j].id != KG_NONE; j = (j + 1) & mask) {
        home = g->keytab[j].hash & mask;
        if (((j - home) & mask) >= ((j - i) & mask)) {
            g->keytab[i] = g->keytab[j];
            i = j;
        }
    }
    g->keytab[i].id = KG_NONE;
    g->keyused--;
}

void kg_graph__key_free(kg_graph *g)
{
    kg_free(g->keytab);
    g->keytab = NULL;
    g->keymask = g->keyused = 0;
}

kg_id kg_graph_node_find(const kg_graph *g, const char *key)
{
    size_t len;
    uint32_t i;
    int found;

    if (g->keytab == NULL || key == NULL) return KG_NONE;
    len = strlen(key);
    i = kg_graph__key_probe(g, key, len, kg_hash(key, len), &found);
    return found ? g->keytab[i].id : KG_NONE;
}

/* ---- case-insensitive resolve index ---- */

void kg_graph__resolve_free(kg_graph *g)
{
    kg_free(g->res);
    kg_free(g->restab);
    g->res = NULL;
    g->restab = NULL;
    g->nres = 0;
    g->resmask = 0;
    g->res_valid = 0;
}

/* xxh3 of s lowercased (ASCII), through the graph's scratch buffer. */
static int lower_hash(kg_graph *g, const char *s, size_t len, uint64_t *out)
{
    size_t i;
    char *d;

    kg_buf_reset(&g->scratch);
    if (kg_buf_grow(&g->scratch, len) < 0) return KG_ENOMEM;
    d = g->scratch.data;
    for (i = 0; i < len; i++) {
        char c = s[i];
        d[i] = (c >= 'A' && c <= 'Z') ? (char)(c + ('a' - 'A')) : c;
    }
    *out = kg_hash(d, len);
    return KG_OK;
}

typedef struct {
    kg_rentry *e;
    size_t n, cap;
} rbuild;

static int radd(kg_graph *g, rbuild *b, const char *s, size_t len, kg_id node,
                uint32_t rank)
{
    kg_rentry *e;

    if (b->n == b->cap) {
        size_t ncap = b->cap ? b->cap * 2 : 256;
        e = kg_realloc(b->e, ncap * sizeof *e);
        if (e == NULL) return KG_ENOMEM;
        b->e = e;
        b->cap = ncap;
    }
    e = &b->e[b->n];
    if (lower_hash(g, s, len, &e->hash) < 0) return KG_ENOMEM;
    e->s = s;
    e->node = node;
    e->rank = rank;
    b->n++;
    return KG_OK;
}

static int rentry_cmp(const void *pa, const void *pb)
{
    const kg_rentry *a = pa, *b = pb;
    if (a->hash != b->hash) return a->hash < b->hash ? -1 : 1;
    if (a->rank != b->rank) return a->rank < b->rank ? -1 : 1;
    return (a->node > b->node) - (a->node < b->node);
}

/* A table from hash to the first entry of each run of equal hashes, so
 * that a lookup is one or two probes instead of a binary search over
 * every key, name and alias in the graph. */
static uint32_t *run_table(const kg_rentry *e, size_t n, uint32_t *mask)
{
    size_t runs = 0, slots = 16, i;
    uint32_t *tab, j;

    for (i = 0; i < n; i++)
        if (i == 0 || e[i].hash != e[i - 1].hash) runs++;
    while (slots < runs * 2) slots *= 2;
    tab = kg_malloc(slots * sizeof *tab);
    if (tab == NULL) return NULL;
    memset(tab, 0xFF, slots * sizeof *tab);
    *mask = (uint32_t)(slots - 1);
    for (i = 0; i < n; i++) {
        if (i > 0 && e[i].hash == e[i - 1].hash) continue;
        for (j = (uint32_t)e[i].hash & *mask; tab[j] != KG_NONE;
             j = (j + 1) & *mask) {}
        tab[j] = (uint32_t)i;
    }
    return tab;
}

static int resolve_build(kg_graph *g)
{
    rbuild b = {NULL, 0, 0};
    uint32_t *tab, mask;
    const kg_value *v;
    kg_id n;
    uint32_t i;

    for (n = 0; n < g->nnodes; n++) {
        kg_gnode *x = &g->nodes[n];
        if (!x->alive) continue;
        if (radd(g, &b, x->key, x->keylen, n, 0) < 0) goto oom;
        v = kg_graph_prop(g, KG_NODE, n, g->a_name);
        if (v && v->type == KG_VSTRING &&
            radd(g, &b, v->u.str->s, v->u.str->len, n, 1) < 0)
            goto oom;
        v = kg_graph_prop(g, KG_NODE, n, g->a_aliases);
        if (v && v->type == KG_VSTRING &&
            radd(g, &b, v->u.str->s, v->u.str->len, n, 2) < 0)
            goto oom;
        if (v && v->type == KG_VLIST) {
            for (i = 0; i < v->u.list->len; i++) {
                const kg_value *a = &v->u.list->items[i];
                if (a->type == KG_VSTRING &&
                    radd(g, &b, a->u.str->s, a->u.str->len, n, 2) < 0)
                    goto oom;
            }
        }
    }
    qsort(b.e, b.n, sizeof *b.e, rentry_cmp);
    if (b.n >= KG_NONE || (tab = run_table(b.e, b.n, &mask)) == NULL)
        goto oom;
    kg_graph__resolve_free(g);
    g->res = b.e;
    g->nres = b.n;
    g->restab = tab;
    g->resmask = mask;
    g->res_valid = 1;
    return KG_OK;
oom:
    kg_free(b.e);
    return KG_ENOMEM;
}

/* Resolution is a read, but it builds its index on first use, hence the
 * non-const graph. On out-of-memory it answers KG_NONE (not found). */
kg_id kg_graph_node_resolve(kg_graph *g, const char *text, int *ambiguous)
{
    kg_id found = KG_NONE;
    uint32_t best = UINT32_MAX;
    uint64_t h;
    size_t lo, len;
    uint32_t j;

    if (ambiguous != NULL) *ambiguous = 0;
    if (text == NULL) return KG_NONE;
    found = kg_graph_node_find(g, text);
    if (found != KG_NONE) return found;
    if (!g->res_valid && resolve_build(g) < 0) return KG_NONE;
    len = strlen(text);
    if (lower_hash(g, text, len, &h) < 0) return KG_NONE;
    for (j = (uint32_t)h & g->resmask;; j = (j + 1) & g->resmask) {
        if (g->restab[j] == KG_NONE) return KG_NONE;
        if (g->res[g->restab[j]].hash == h) break;
    }
    lo = g->restab[j];
    /* Entries with equal hash are in (rank, node) order: the first match
     * is the answer; another node matching at the same rank makes it
     * ambiguous. */
    for (; lo < g->nres && g->res[lo].hash == h; lo++) {
        const kg_rentry *e = &g->res[lo];
        if (e->rank > best) break;
        if (kg_strcasecmp(e->s, text) != 0) continue;
        if (found == KG_NONE) {
            found = e->node;
            best = e->rank;
        } else if (e->node != found) {
            if (ambiguous != NULL) *ambiguous = 1;
            break;
        }
    }
    return found;
}
