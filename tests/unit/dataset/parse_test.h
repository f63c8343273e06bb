/* parse_test.h - helpers shared by the dataset parser tests.
 *
 * Parse a note or table held in a C string and look records up by what a
 * test cares about (an edge by type and target, a diagnostic by text), so
 * each test reads as input and expectations.
 */
#ifndef KG_PARSE_TEST_H
#define KG_PARSE_TEST_H

#include <string.h>

#include "dataset_int.h"
#include "kg_test.h"

static inline int note(kg_doc *d, const char *path, const char *text)
{
    kg_error err;
    kg_error_clear(&err);
    if (kg_doc_init(d, path) < 0) return KG_ENOMEM;
    return kg_note_parse(d, text, strlen(text), &err);
}

static inline int table(kg_doc *d, const char *path, const char *text)
{
    kg_error err;
    kg_error_clear(&err);
    if (kg_doc_init(d, path) < 0) return KG_ENOMEM;
    return kg_table_parse(d, text, strlen(text), &err);
}

/* The first diagnostic whose message contains text, or NULL. */
static inline const kg_diag *diag_with(const kg_doc *d, const char *text)
{
    uint32_t i;
    for (i = 0; i < d->ndiags; i++)
        if (strstr(d->diags[i].msg, text) != NULL) return &d->diags[i];
    return NULL;
}

static inline const kg_edge_rec *edge_to(const kg_doc *d, const char *type,
                                         const char *dst)
{
    uint32_t i;
    for (i = 0; i < d->nedges; i++)
        if (strcmp(d->edges[i].type, type) == 0 &&
            strcmp(d->edges[i].dst, dst) == 0)
            return &d->edges[i];
    return NULL;
}

static inline const kg_node_rec *node_key(const kg_doc *d, const char *key)
{
    uint32_t i;
    for (i = 0; i < d->nnodes; i++)
        if (strcmp(d->nodes[i].key, key) == 0) return &d->nodes[i];
    return NULL;
}

static inline const kg_value *prop_of(const kg_prop *p, uint32_t n,
                                      const char *key)
{
    uint32_t i;
    for (i = 0; i < n; i++)
        if (strcmp(p[i].key, key) == 0) return &p[i].val;
    return NULL;
}

static inline const kg_value *nprop(const kg_node_rec *n, const char *key)
{
    return prop_of(n->props, n->nprops, key);
}

static inline int has_label(const kg_node_rec *n, const char *label)
{
    uint32_t i;
    for (i = 0; i < n->nlabels; i++)
        if (strcmp(n->labels[i], label) == 0) return 1;
    return 0;
}

/* The string inside a string or date value, "" otherwise. */
static inline const char *vstr(const kg_value *v)
{
    if (v == NULL || (v->type != KG_VSTRING && v->type != KG_VDATE)) return "";
    return v->u.str->s;
}

#endif /* KG_PARSE_TEST_H */
