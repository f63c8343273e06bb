/* intern.c - the graph's string table: labels, edge types, property keys.
 *
 * Atoms are dense ids 0..n-1 handed out in first-seen order, so per-atom
 * side tables (the label index, the fingerprint's name order) are plain
 * arrays. Lookup is open addressing with linear probing over atom ids,
 * keyed by xxh3; the full hash is kept per atom so that growing the table
 * never rehashes a string. The bytes live in an arena: atoms are never
 * removed, which is what lets kg_graph_atom_str hand out borrowed pointers
 * valid for the graph's life.
 */
#include <string.h>

#include "graph_int.h"

#define INITIAL_SLOTS 64 /* power of two */

int kg_intern__init(kg_intern *t)
{
    memset(t, 0, sizeof *t);
    t->arena = kg_arena_new();
    t->table = kg_malloc(INITIAL_SLOTS * sizeof *t->table);
    if (t->arena == NULL || t->table == NULL) {
        kg_intern__free(t);
        return KG_ENOMEM;
    }
    memset(t->table, 0xFF, INITIAL_SLOTS * sizeof *t->table);
    t->mask = INITIAL_SLOTS - 1;
    return KG_OK;
}

void kg_intern__free(kg_intern *t)
{
    kg_arena_free(t->arena);
    kg_free(t->strs);
    kg_free(t->lens);
    kg_free(t->hashes);
    kg_free(t->table);
    memset(t, 0, sizeof *t);
}

kg_atom kg_intern__find(const kg_intern *t, const char *s, size_t len)
{
    uint64_t h;
    uint32_t i, a;

    if (t->table == NULL) return KG_NONE;
    h = kg_hash(s, len);
    for (i = (uint32_t)h & t->mask;; i = (i + 1) & t->mask) {
        a = t->table[i];
        if (a == KG_NONE) return KG_NONE;
        if (t->hashes[a] == h && t->lens[a] == len &&
            (len == 0 || memcmp(t->strs[a], s, len) == 0))
            return a;
    }
}

/* Double the probe table once it is half full. */
static int rehash(kg_intern *t)
{
    uint32_t nslots = (t->mask + 1) * 2, mask = nslots - 1, a, i;
    uint32_t *table;

    if (nslots == 0) return KG_ENOMEM;
    table = kg_malloc((size_t)nslots * sizeof *table);
    if (table == NULL) return KG_ENOMEM;
    memset(table, 0xFF, (size_t)nslots * sizeof *table);
    for (a = 0; a < t->n; a++) {
        for (i = (uint32_t)t->hashes[a] & mask; table[i] != KG_NONE;
             i = (i + 1) & mask) {}
        table[i] = a;
    }
    kg_free(t->table);
    t->table = table;
    t->mask = mask;
    return KG_OK;
}

/* Make room for one more atom in the per-atom arrays. */
static int reserve(kg_intern *t)
{
    uint32_t cap;
    void *p;

    if (t->n < t->cap) return KG_OK;
    if (t->cap >= (KG_NONE - 1) / 2) return KG_ENOMEM;
    cap = t->cap ? t->cap * 2 : 32;
    p = kg_realloc((void *)t->strs, cap * sizeof *t->strs);
    if (p == NULL) return KG_ENOMEM;
    t->strs = p;
    p = kg_realloc(t->lens, cap * sizeof *t->lens);
    if (p == NULL) return KG_ENOMEM;
    t->lens = p;
    p = kg_realloc(t->hashes, cap * sizeof *t->hashes);
    if (p == NULL) return KG_ENOMEM;
    t->hashes = p;
    t->cap = cap;
    return KG_OK;
}

kg_atom kg_intern__add(kg_intern *t, const char *s, size_t len)
{
    uint64_t h;
    uint32_t i, a;
    char *copy;

    if (t->table == NULL || len > UINT32_MAX) return KG_NONE;
    h = kg_hash(s, len);
    for (i = (uint32_t)h & t->mask;; i = (i + 1) & t->mask) {
        a = t->table[i];
        if (a == KG_NONE) break;
        if (t->hashes[a] == h && t->lens[a] == len &&
            (len == 0 || memcmp(t->strs[a], s, len) == 0))
            return a;
    }
    if (reserve(t) < 0) return KG_NONE;
    if ((t->n + 1) * 2 > t->mask + 1) {
        if (rehash(t) < 0) return KG_NONE;
        for (i = (uint32_t)h & t->mask; t->table[i] != KG_NONE;
             i = (i + 1) & t->mask) {}
    }
    copy = kg_arena_strndup(t->arena, s, len);
    if (copy == NULL) return KG_NONE;
    a = t->n++;
    t->strs[a] = copy;
    t->lens[a] = (uint32_t)len;
    t->hashes[a] = h;
    t->table[i] = a;
    return a;
}

/* ---- the public face, over the graph's table ---- */

kg_atom kg_graph_atom(kg_graph *g, const char *s, size_t len)
{
    return kg_intern__add(&g->atoms, s, len);
}

kg_atom kg_graph_atom_find(const kg_graph *g, const char *s, size_t len)
{
    return kg_intern__find(&g->atoms, s, len);
}

const char *kg_graph_atom_str(const kg_graph *g, kg_atom a)
{
    if (a >= g->atoms.n) return NULL;
    return g->atoms.strs[a];
}
