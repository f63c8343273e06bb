/* store_test.h - helpers shared by the store's unit tests: a fresh store in
 * a temporary directory and a compact way to build note-like documents.
 *
 * Everything here is static: each test_*.c is its own binary.
 */
#ifndef KG_STORE_TEST_H
#define KG_STORE_TEST_H

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kg_graph.h"
#include "kg_test.h"

/* A new empty directory under the test binary dir; path of name inside it
 * in out. Returns 0 on success. */
static inline int st_tmpfile(char *out, size_t n, const char *name)
{
    char dir[512];

    snprintf(dir, sizeof dir, "%s/store-XXXXXX", KG_TEST_TMPDIR);
    if (mkdtemp(dir) == NULL) return -1;
    snprintf(out, n, "%s/%s", dir, name);
    return 0;
}

/* Remove a store made by st_tmpfile (its WAL and shared-memory files too)
 * and its directory. Only called when a test passed, so a failing test
 * leaves its store behind for inspection. */
static inline void st_remove(const char *path)
{
    char buf[640], *slash;

    snprintf(buf, sizeof buf, "%s-wal", path);
    unlink(buf);
    snprintf(buf, sizeof buf, "%s-shm", path);
    unlink(buf);
    unlink(path);
    snprintf(buf, sizeof buf, "%s", path);
    if ((slash = strrchr(buf, '/')) != NULL) {
        *slash = '\0';
        rmdir(buf);
    }
}

/* Build a one-node document: key, optional label, optional name property,
 * optional body, and edges from a spec "TYPE>target;TYPE>target" (line 10,
 * 11, ... column 3). extra_prop / extra_val add one integer property.
 * KG_ENOMEM when some part could not be added (the doc is still freeable). */
static inline int st_note(kg_doc *d, const char *path, const char *key,
                          const char *label, const char *name, const char *text,
                          const char *edges, const char *extra_prop,
                          int64_t extra_val)
{
    kg_node_rec *n;
    char spec[512], *save = NULL, *tok;
    uint32_t line = 10;
    int bad = 0;

    if (kg_doc_init(d, path) < 0) return KG_ENOMEM;
    if ((n = kg_doc_node(d, key, 1)) == NULL) return KG_ENOMEM;
    if (label) bad |= kg_doc_node_label(n, label) < 0;
    if (name)
        bad |= kg_doc_node_prop(n, "name",
                                kg_value_string(name, strlen(name))) < 0;
    if (extra_prop)
        bad |= kg_doc_node_prop(n, extra_prop, kg_value_int(extra_val)) < 0;
    if (text) bad |= (n->text = kg_strdup(text)) == NULL;
    if (edges == NULL) return bad ? KG_ENOMEM : KG_OK;
    snprintf(spec, sizeof spec, "%s", edges);
    for (tok = strtok_r(spec, ";", &save); tok;
         tok = strtok_r(NULL, ";", &save)) {
        char *gt = strchr(tok, '>');
        if (gt == NULL) continue;
        *gt = '\0';
        bad |= kg_doc_edge(d, key, tok, gt + 1, line++, 3) == NULL;
    }
    return bad ? KG_ENOMEM : KG_OK;
}

/* Put a note built by st_note and free it; returns the status. */
static inline int st_put(kg_store *st, const char *path, const char *key,
                         const char *label, const char *name, const char *text,
                         const char *edges, const char *extra_prop,
                         int64_t extra_val, kg_error *err)
{
    kg_doc d;
    int rc;

    rc =
        st_note(&d, path, key, label, name, text, edges, extra_prop, extra_val);
    if (rc == KG_OK)
        rc = kg_store_put_doc(
            st, &d,
            kg_hash(text ? text : "", text ? strlen(text) : 0) ^
                kg_hash(path, strlen(path)),
            err);
    kg_doc_free(&d);
    return rc;
}

static inline int st_begin(kg_store *st, const char *commit, int draft,
                           int64_t *vid, kg_error *err)
{
    kg_version_info v;

    memset(&v, 0, sizeof v);
    snprintf(v.commit, sizeof v.commit, "%s", commit ? commit : "");
    v.draft = draft;
    v.message = (char *)"test";
    v.author = (char *)"Tester <t@example.com>";
    v.time = 1700000000;
    return kg_store_begin(st, &v, vid, err);
}

/* An integer property of the node with this key, or -1. */
static inline int64_t st_prop_int(kg_graph *g, const char *key,
                                  const char *prop)
{
    kg_id n = kg_graph_node_find(g, key);
    kg_atom a = kg_graph_atom_find(g, prop, strlen(prop));
    const kg_value *v;

    if (n == KG_NONE || a == KG_NONE) return -1;
    v = kg_graph_prop(g, KG_NODE, n, a);
    return v && v->type == KG_VINT ? v->u.i : -1;
}

#endif /* KG_STORE_TEST_H */
