/* graph_int.h - private interface shared by the .c files of the graph module.
 *
 * The in-memory graph's layout lives here (not in kg_graph.h) so that the
 * store's bulk loader and the exporters can walk it directly while code
 * outside graph/ sees only the opaque kg_graph. Helpers follow the
 * kg_<concept>__name convention. Tests of the graph module may include this
 * header; nothing outside graph/ may.
 */
#ifndef KG_GRAPH_INT_H
#define KG_GRAPH_INT_H

#include "kg_graph.h"

/* ---- terminal-safe escaping (utf8.c) ---- */

/* Escape the character (or invalid byte) at s[0..len), len > 0: write its
 * printable form into out (no NUL) and return the number of bytes written;
 * *adv receives how many input bytes it covers. out needs 16 bytes.
 * *width receives the terminal columns of what was written. */
size_t kg_utf8__escape(const char *s, size_t len, size_t *adv, char out[16],
                       size_t *width);
/* Decode one code point; returns its length, or 0 if s[0] does not start
 * a valid UTF-8 sequence (overlong, surrogate, > U+10FFFF, truncated). */
size_t kg_utf8__decode(const char *s, size_t len, uint32_t *cp);
/* Columns taken by a single code point (0, 1 or 2; controls are 0). */
int kg_utf8__cpwidth(uint32_t cp);

/* ---- a size-class pool for the graph's small growable arrays (pool.c) ---- */

/* Adjacency, label and property arrays are small and many: carving them
 * from 64 KiB chunks by power-of-two class avoids a malloc per element
 * while loading. Blocks above KG_POOL_MAX bytes go to kg_malloc. */
#define KG_POOL_MIN 16
#define KG_POOL_MAX 4096
#define KG_POOL_CLASSES 9 /* 16, 32, ... 4096 */

typedef struct kg_pool_chunk kg_pool_chunk;
typedef struct {
    void *freelist[KG_POOL_CLASSES];
    kg_pool_chunk *chunks;
    char *cur;      /* bump region of the newest chunk */
    size_t left;
} kg_pool;

void kg_pool__init(kg_pool *p);
void kg_pool__free_all(kg_pool *p);
/* A block of at least *bytes (rounded up and written back); NULL on OOM. */
void *kg_pool__alloc(kg_pool *p, size_t *bytes);
/* Release a block obtained with capacity bytes (as written back). */
void kg_pool__release(kg_pool *p, void *ptr, size_t bytes);
/* Grow the array at *ptr (capacity *cap elements of size elem) to hold at
 * least need elements, keeping its contents. KG_ENOMEM leaves it intact. */
int kg_pool__reserve(kg_pool *p, void **ptr, uint32_t *cap, uint32_t need,
                     size_t elem);

/* ---- string interning (intern.c) ---- */

typedef struct {
    kg_arena *arena;   /* the bytes of every atom, NUL-terminated   */
    const char **strs; /* atom -> string                           */
    uint32_t *lens;
    uint64_t *hashes;
    uint32_t n, cap;
    uint32_t *table;   /* open addressing, atom ids, KG_NONE = empty */
    uint32_t mask;
} kg_intern;

int kg_intern__init(kg_intern *t);
void kg_intern__free(kg_intern *t);
kg_atom kg_intern__add(kg_intern *t, const char *s, size_t len);
kg_atom kg_intern__find(const kg_intern *t, const char *s, size_t len);

/* ---- the in-memory graph (mem.c, mem_prop.c, mem_index.c) ---- */

typedef struct {
    kg_atom key;
    kg_value val;
} kg_gprop; /* kept sorted by key atom in each element */

/* Field order matters for loading: adding an edge reads the target
 * node's in, nin, capin and alive, at a random place in the node array.
 * Kept together at the start (17 bytes) they share one cache line for
 * most nodes, where spread over the struct they cost two misses. */
typedef struct {
    kg_id *in;         /* pool arrays, insertion order                */
    uint32_t nin, capin;
    uint8_t alive;
    uint32_t keylen;
    kg_id *out;
    uint32_t nout, capout;
    const char *key;   /* in g->keys, kept after delete               */
    uint64_t keyhash;
    kg_atom *labels;   /* pool array, order added                     */
    uint32_t nlabels, caplabels;
    kg_gprop *props;
    uint32_t nprops, capprops;
    char *text;        /* kg_malloc'd body, NULL = none               */
    kg_atom origin;    /* interned file path, KG_NONE = made in memory */
    uint32_t line;
} kg_gnode;

typedef struct {
    kg_id src, dst;
    kg_atom type;
    uint32_t nprops, capprops;
    kg_gprop *props;
    kg_atom origin;
    uint32_t line;
    uint8_t alive;
} kg_gedge;

typedef struct {
    uint64_t hash;     /* of the lowercased text */
    const char *s;     /* borrowed: node key or string property value */
    kg_id node;
    uint32_t rank;     /* 0 key, 1 name, 2 alias */
} kg_rentry;

typedef struct {
    kg_id *ids;
    uint32_t n, cap;
    int dirty;         /* unsorted, or may hold dead / unlabelled ids */
    /* Membership by node id, built on first kg_graph_label_bits() and then
     * kept exact by every label add / remove and node delete, so a label
     * test is one load from a small array instead of two misses (node,
     * labels). Ids at or past nbits * 64 do not carry the label. */
    uint64_t *bits;
    uint32_t nbits;    /* words */
} kg_labidx;

/* A node property as a column by node id (kg_graph_prop_column): each
 * entry holds its own reference to the node's value, or null. Entries
 * for ids at or past n (nodes added later) are not kept: those ids read
 * the node's own array. Writes keep the entries exact. */
typedef struct {
    kg_value *v;
    uint64_t *pre;     /* strings: first 8 bytes, big-endian, 0-padded */
    uint8_t *plen;     /* strings: length, capped at 255               */
    uint32_t n;
} kg_pcol;

/* The key is in the slot so that a probe reads the slot and the key bytes
 * and never the node: resolving a version's edges is hundreds of
 * thousands of random probes, and each node touched is a cache miss. */
typedef struct {
    const char *key; /* the node's key bytes (g->keys), NUL-ended */
    kg_id id;        /* KG_NONE = empty slot                       */
    uint32_t hash;   /* low 32 bits of the key hash                */
} kg_keyslot;

struct kg_graph {
    kg_intern atoms;
    kg_arena *keys;    /* node key bytes */
    kg_pool pool;
    kg_gnode *nodes;
    uint32_t nnodes, capnodes, livenodes;
    kg_gedge *edges;
    uint32_t nedges, capedges, liveedges;
    uint32_t liveloops; /* live edges with src == dst                */
    kg_keyslot *keytab; /* node ids by key hash, open addressing      */
    uint32_t keymask, keyused;
    kg_rentry *res;    /* resolve index, sorted (hash, rank, node)   */
    size_t nres;
    uint32_t *restab;  /* hash -> first entry of its run in res       */
    uint32_t resmask;
    int res_valid;
    kg_labidx *labidx; /* by label atom */
    uint32_t nlabidx;
    kg_pcol *pcols;    /* node property columns by key atom          */
    uint32_t npcols;
    kg_atom a_name, a_aliases;
    kg_buf scratch;
};

/* Grow capacity for at least nnodes / nedges more elements up front. */
int kg_graph__reserve(kg_graph *g, size_t nnodes, size_t nedges);
/* Live node / edge pointers, NULL when the id is out of range or dead. */
kg_gnode *kg_graph__node(const kg_graph *g, kg_id n);
kg_gedge *kg_graph__edge(const kg_graph *g, kg_id e);

/* Key hash index (mem_index.c). */
/* The slot holding key (found = 1) or the empty slot where it would go;
 * the table must have room (kg_graph__key_reserve). len = strlen(key),
 * h = kg_hash(key, len). */
uint32_t kg_graph__key_probe(const kg_graph *g, const char *key, size_t len,
                             uint64_t h, int *found);
/* Put node n (its key and keyhash set) into the empty slot from a probe. */
void kg_graph__key_set(kg_graph *g, uint32_t slot, kg_id n);
int kg_graph__key_reserve(kg_graph *g, size_t more);
void kg_graph__key_remove(kg_graph *g, kg_id n);
void kg_graph__key_free(kg_graph *g);
void kg_graph__resolve_free(kg_graph *g);

/* Property arrays (mem_prop.c). */
void kg_graph__props_release(kg_graph *g, kg_gprop **props, uint32_t *n,
                             uint32_t *cap);
/* Node n's properties are going (delete, clear): null its column entries. */
void kg_graph__pcol_drop(kg_graph *g, kg_id n);
void kg_graph__pcol_free(kg_graph *g);
/* Label index upkeep (mem_prop.c). */
int kg_graph__labidx_add(kg_graph *g, kg_atom label, kg_id n);
void kg_graph__labidx_dirty(kg_graph *g, kg_atom label);
/* Node n lost label (removed, or n deleted): the index is dirty and the
 * membership bit cleared. */
void kg_graph__labidx_drop(kg_graph *g, kg_atom label, kg_id n);
void kg_graph__labidx_free(kg_graph *g);

/* ---- values (value.c) ---- */

/* A total order over values, used for canonical forms (fingerprint, diff,
 * map keys): type first (ORDER VTYPE), then content. Unlike
 * kg_value_equal, 1 and 1.0 differ and NaN equals NaN. */
int kg_value__cmp(const kg_value *a, const kg_value *b);
kg_vstr *kg_vstr__new(const char *s, size_t len);
void kg_vstr__release(kg_vstr *s);

/* Canonical byte encoding of a value for hashing (fingerprint.c): type tag,
 * then length-prefixed content, so different values never share bytes. */
int kg_value__encode(kg_buf *b, const kg_value *v);

/* strtod of s[0..len) as JSON spells numbers, whatever LC_NUMERIC says
 * (json.c). */
double kg_json__strtod(const char *s, size_t len);

/* ---- canonical forms (fingerprint.c), shared with diff.c ---- */

typedef struct {
    const char *name;
    const kg_value *v;
} kg_nprop; /* a property by name, for orders that must not depend on atoms */

/* Scratch space reused across elements while canonicalising a graph. */
typedef struct {
    kg_nprop *props;
    size_t capprops;
    const char **labels;
    size_t caplabels;
    kg_buf buf;
} kg_canon;

void kg_canon__free(kg_canon *c);
/* c->props[0..n) = the n properties sorted by name. */
int kg_canon__props(kg_canon *c, const kg_graph *g, const kg_gprop *props,
                    uint32_t n);
/* c->labels[0..n) = node x's label names sorted. */
int kg_canon__labels(kg_canon *c, const kg_graph *g, const kg_gnode *x);
/* Append the canonical encoding of n name-sorted properties to b. */
int kg_canon__encode_props(kg_buf *b, const kg_nprop *props, size_t n);

/* Limits (named per STYLE.md C6.26). */
#define KG_JSON_MAX_DEPTH 256 /* nesting of JSON arrays / objects */

#endif /* KG_GRAPH_INT_H */
