/* changes.c - the sets of paths a sync works through, and what one entry holds.
 *
 * A sync brings a list of paths up to date (kg_changes): from a tree diff,
 * from a draft's paths, from a work-tree walk. The list is built unsorted
 * and then sorted once and merged, because the three sources overlap and a
 * path must be written once per version. The store's hashes for many paths
 * are loaded in one query into a sorted kg_stored_set, so comparing a whole
 * tree or work tree costs one query, not one per file. Which tree entries
 * matter at all, and when bytes count as binary, is decided here once for
 * both the git and the work-tree readers, so the two always agree.
 */
#include <stdlib.h>
#include <string.h>

#include "sync_int.h"

/* ================================ changes =============================== */

int kg_sync__change_add(kg_changes *cs, const char *path, const git_oid *oid,
                        uint32_t mode, kg_error *err)
{
    kg_change *c;

    if (cs->len == cs->cap) {
        size_t cap = cs->cap ? cs->cap * 2 : 64, bytes;
        kg_change *items;
        if (kg_mul_overflow(&bytes, cap, sizeof *items))
            return kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0},
                                "out of memory");
        items = kg_realloc(cs->items, bytes);
        KG_CHECK_ALLOC(items, err);
        cs->items = items;
        cs->cap = cap;
    }
    c = &cs->items[cs->len];
    c->path = kg_strdup(path);
    KG_CHECK_ALLOC(c->path, err);
    git_oid_cpy(&c->oid, oid);
    c->mode = mode;
    cs->len++;
    return KG_OK;
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const kg_change *)a)->path, ((const kg_change *)b)->path);
}

void kg_sync__changes_sort(kg_changes *cs)
{
    size_t i, j;

    if (cs->len < 2) return;
    qsort(cs->items, cs->len, sizeof *cs->items, by_path);
    for (i = 0, j = 1; j < cs->len; j++) {
        kg_change *keep = &cs->items[i], *c = &cs->items[j];
        if (strcmp(keep->path, c->path) != 0) {
            cs->items[++i] = *c;
            continue;
        }
        if (keep->mode == 0 && c->mode != 0) { /* present wins */
            kg_free(keep->path);
            *keep = *c;
        } else {
            kg_free(c->path);
        }
    }
    cs->len = i + 1;
}

kg_change *kg_sync__changes_find(kg_changes *cs, const char *path)
{
    kg_change key;

    if (cs->len == 0) return NULL;
    key.path = (char *)path;
    return bsearch(&key, cs->items, cs->len, sizeof key, by_path);
}

void kg_sync__changes_free(kg_changes *cs)
{
    size_t i;

    for (i = 0; i < cs->len; i++) kg_free(cs->items[i].path);
    kg_free(cs->items);
    memset(cs, 0, sizeof *cs);
}

/* ============================ stored documents ========================== */

static int stored_add(const char *path, uint64_t hash, void *payload)
{
    kg_stored_set *s = payload;

    if (s->len == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256, bytes;
        kg_stored *items;
        if (kg_mul_overflow(&bytes, cap, sizeof *items) ||
            (items = kg_realloc(s->items, bytes)) == NULL) {
            s->rc = kg_error_set(s->err, KG_ENOMEM, NULL, (kg_span){0, 0},
                                 "out of memory");
            return 1;
        }
        s->items = items;
        s->cap = cap;
    }
    if ((s->items[s->len].path = kg_strdup(path)) == NULL) {
        s->rc = kg_error_set(s->err, KG_ENOMEM, NULL, (kg_span){0, 0},
                             "out of memory");
        return 1;
    }
    s->items[s->len++].hash = hash;
    return 0;
}

static int stored_cmp(const void *a, const void *b)
{
    return strcmp(((const kg_stored *)a)->path, ((const kg_stored *)b)->path);
}

int kg_sync__stored_load(kg_stored_set *out, kg_store *st, int64_t vid,
                         kg_error *err)
{
    int rc;

    memset(out, 0, sizeof *out);
    out->err = err;
    rc = kg_store_docs(st, vid, stored_add, out, err);
    if (out->rc < 0) rc = out->rc;
    if (rc < 0) {
        kg_sync__stored_free(out);
        return rc;
    }
    /* The store lists paths in byte order already; sorting again costs
     * little and keeps the binary search independent of that. */
    if (out->len > 1)
        qsort(out->items, out->len, sizeof *out->items, stored_cmp);
    return KG_OK;
}

const kg_stored *kg_sync__stored_find(const kg_stored_set *s,
                                      const char *path)
{
    kg_stored key;

    if (s->len == 0) return NULL;
    key.path = (char *)path;
    return bsearch(&key, s->items, s->len, sizeof key, stored_cmp);
}

void kg_sync__stored_free(kg_stored_set *s)
{
    size_t i;

    for (i = 0; i < s->len; i++) kg_free(s->items[i].path);
    kg_free(s->items);
    memset(s, 0, sizeof *s);
}

int kg_sync__interesting(const char *path, uint32_t mode)
{
    const char *base = strrchr(path, '/');

    base = base ? base + 1 : path;
    switch (mode) {
    case GIT_FILEMODE_BLOB:
    case GIT_FILEMODE_BLOB_EXECUTABLE:
        return kg_dataset_wants(path);
    case GIT_FILEMODE_COMMIT:
        return 1; /* a submodule may hold notes: say it is not read */
    case GIT_FILEMODE_LINK:
        /* A link named like a note, or one that may point at a folder. */
        return kg_dataset_wants(path) || strchr(base, '.') == NULL;
    default:
        return 0;
    }
}

/* ================================ entries ============================== */

void kg_sync__entry_free(kg_entry *e)
{
    git_blob_free(e->blob);
    kg_free(e->heap);
    memset(e, 0, sizeof *e);
}

void kg_sync__entry_binary(kg_entry *e)
{
    size_t probe = e->len < KG_SYNC_BINARY_PROBE ? e->len
                                                 : KG_SYNC_BINARY_PROBE;
    const char *nul = e->data ? memchr(e->data, '\0', probe) : NULL;

    if (nul == NULL) return;
    snprintf(e->skip, sizeof e->skip,
             "skipped: binary file (NUL byte at offset %zu)",
             (size_t)(nul - e->data));
    e->data = NULL;
    e->len = 0;
}

uint64_t kg_sync__huge_hash(uint64_t size)
{
    char b[40];
    int n = snprintf(b, sizeof b, "huge:%llu", (unsigned long long)size);
    return kg_hash(b, (size_t)n);
}
