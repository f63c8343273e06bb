/* frontmatter.c - what a note's front matter means: its node, labels,
 * properties and links.
 *
 * yaml_tree.c turns the YAML into a tree; this file applies the note format
 * to it (see kg_dataset.h and docs): `id` is the key, `kind` the labels,
 * `name` and `aliases` what links resolve by, `links` a map of relation to
 * targets, and every other key a typed property, unless its value is an
 * Obsidian link "[[target]]" (or a list holding some), which makes an edge.
 * A YAML error drops the whole front matter (the node keeps its defaults);
 * a semantic problem (a duplicate key, a bad id or kind, links that are
 * not a map, an empty target) drops only the offending entry. Either way
 * the note still gives its node, and the problem a diagnostic.
 */
#include <string.h>

#include "dataset_int.h"

/* One note's front matter being applied. */
typedef struct {
    kg_yaml y;
    kg_note_ctx *c;
} fm;

/* ================================= links =============================== */

/* When scalar n is exactly one "[[target]]", the target slice. */
static int as_link(const kg_ynode *n, const char **t, size_t *tlen)
{
    const char *s = n->s;
    size_t a = 0, b = n->len, off;

    if (n->kind != KG_Y_SCALAR || n->plain) return 0;
    while (a < b && (s[a] == ' ' || s[a] == '\t'))
        a++;
    while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
        b--;
    if (b - a < 4 || memcmp(s + a, "[[", 2) != 0 ||
        memcmp(s + b - 2, "]]", 2) != 0)
        return 0;
    a += 2;
    b -= 2;
    if (memchr(s + a, '[', b - a) || memchr(s + a, ']', b - a)) return 0;
    kg_note__link_target(s + a, b - a, &off, tlen);
    *t = s + a + off;
    return 1;
}

/* The target text of scalar n: the inside of "[[...]]", or the whole
 * text trimmed (a bare name keeps '#' and '|': "C#" is a name). */
static void target_text(const kg_ynode *n, const char **t, size_t *tlen)
{
    if (as_link(n, t, tlen)) return;
    *t = n->s;
    *tlen = kg_yaml__is_null(n) ? 0 : n->len;
    while (*tlen > 0 && (**t == ' ' || **t == '\t'))
        (*t)++, (*tlen)--;
    while (*tlen > 0 && ((*t)[*tlen - 1] == ' ' || (*t)[*tlen - 1] == '\t'))
        (*tlen)--;
}

/* Add an edge of type to the target of scalar n; *out (may be NULL) is
 * the edge, or NULL when the target was rejected or over the limit. */
static int link_to(fm *f, const char *type, const kg_ynode *n,
                   kg_edge_rec **out)
{
    char q[KG_QUOTE_BUF];
    const char *t;
    size_t tlen;

    if (out) *out = NULL;
    target_text(n, &t, &tlen);
    if (tlen == 0)
        return kg_yaml__diag(&f->y, KG_SEV_ERROR, n->line, n->col,
                             "empty target for relation %s; ignored", type);
    if (kg_text__has_ctrl(t, tlen))
        return kg_yaml__diag(&f->y, KG_SEV_ERROR, n->line, n->col,
                             "target '%s' has a control character; ignored",
                             kg_text__quote(q, t, tlen));
    return kg_note__edge(f->c, type, t, tlen, n->line, n->col, out);
}

/* One target under links: a name (possibly "[[name]]") or a map
 * {to: name, other: edge property...}. */
static int links_target(fm *f, const char *type, const kg_ynode *n)
{
    const kg_yslot *s;
    const kg_ynode *to = NULL;
    kg_edge_rec *e;
    kg_value v;
    kg_strset keys = {0};
    uintptr_t owner;
    char q[KG_QUOTE_BUF];
    int rc = KG_OK;

    if (n->kind == KG_Y_SCALAR) return link_to(f, type, n, NULL);
    if (n->kind == KG_Y_SEQ)
        return kg_yaml__diag(&f->y, KG_SEV_ERROR, n->line, n->col,
                             "target of %s is a list inside a list; ignored",
                             type);
    for (s = n->first; s && s->next && rc >= 0; s = s->next->next) {
        const kg_ynode *k = s->node;
        if ((rc = kg_yaml__key_ok(&f->y, k, "key")) <= 0) continue;
        rc = kg_strset__add(&keys, k->s, k->len, (uintptr_t)k, NULL);
        if (rc == 0)
            rc = kg_yaml__diag(&f->y, KG_SEV_ERROR, k->line, k->col,
                               "duplicate key '%s'; this one is ignored",
                               kg_text__quote(q, k->s, k->len));
        else if (rc > 0 && strcmp(k->s, "to") == 0)
            to = s->next->node;
    }
    if (rc < 0) goto done;
    if (to == NULL || to->kind != KG_Y_SCALAR) {
        rc = kg_yaml__diag(&f->y, KG_SEV_ERROR, n->line, n->col,
                           to ? "'to' of %s is not a name; link ignored"
                              : "target of %s has no 'to' key; link ignored",
                           type);
        goto done;
    }
    if ((rc = link_to(f, type, to, &e)) < 0 || e == NULL) goto done;
    /* value_of adds no edge, so e stays valid while properties are added */
    for (s = n->first; s && s->next && rc >= 0; s = s->next->next) {
        const kg_ynode *k = s->node;
        if (k->kind != KG_Y_SCALAR || s->next->node == to ||
            !kg_strset__get(&keys, k->s, k->len, &owner) ||
            owner != (uintptr_t)k)
            continue;
        if ((rc = kg_yaml__value(&f->y, s->next->node, 1, &v)) < 0) break;
        if (v.type != KG_VNULL) rc = kg_doc_edge_prop(e, k->s, v);
    }
done:
    kg_strset__free(&keys);
    return rc == KG_ELIMIT ? KG_OK : rc;
}

/* links: {relation: target | [targets]} */
static int links_apply(fm *f, const kg_ynode *links)
{
    const kg_yslot *s, *t;
    kg_strset seen = {0};
    char q[KG_QUOTE_BUF];
    char *type = NULL;
    int rc = KG_OK;

    if (kg_yaml__is_null(links)) return KG_OK;
    if (links->kind != KG_Y_MAP)
        return kg_yaml__diag(
            &f->y, KG_SEV_ERROR, links->line, links->col,
            "links must be a mapping of relation: target(s), not "
            "%s; ignored",
            kg_yaml__kind_name(links));
    for (s = links->first; s && s->next && rc >= 0; s = s->next->next) {
        const kg_ynode *k = s->node, *v = s->next->node;
        if ((rc = kg_yaml__key_ok(&f->y, k, "relation")) <= 0) continue;
        if ((rc = kg_strset__add(&seen, k->s, k->len, 0, NULL)) == 0) {
            rc = kg_yaml__diag(&f->y, KG_SEV_ERROR, k->line, k->col,
                               "duplicate relation '%s' in links; this one is "
                               "ignored",
                               kg_text__quote(q, k->s, k->len));
            continue;
        }
        if (rc < 0) break;
        kg_free(type);
        if ((type = kg_dataset__rel_type_n(k->s, k->len)) == NULL) {
            rc = KG_ENOMEM;
            break;
        }
        if (*type == '\0') {
            rc =
                kg_yaml__diag(&f->y, KG_SEV_ERROR, k->line, k->col,
                              "relation '%s' has no letters or digits; ignored",
                              kg_text__quote(q, k->s, k->len));
            continue;
        }
        if (v->kind != KG_Y_SEQ) {
            rc = links_target(f, type, v);
            continue;
        }
        for (t = v->first; t && rc >= 0; t = t->next)
            rc = links_target(f, type, t->node);
    }
    kg_free(type);
    kg_strset__free(&seen);
    return rc;
}

/* =============================== the node ============================== */

typedef struct {
    const kg_ynode *k, *v;
} ypair;

/* `rel: [[x]]` unquoted is YAML for a list in a list: the inner scalar
 * when v has exactly that shape, so it can be taken as the link meant. */
static const kg_ynode *unquoted_link(const kg_ynode *v)
{
    const kg_ynode *in, *x;

    if (v->kind != KG_Y_SEQ || !v->flow || v->n != 1) return NULL;
    in = v->first->node;
    if (in->kind != KG_Y_SEQ || !in->flow || in->n != 1) return NULL;
    x = in->first->node;
    return x->kind == KG_Y_SCALAR && x->plain && !kg_yaml__is_null(x) ? x
                                                                      : NULL;
}

/* A list holding links: each link an edge of type, the other items the
 * property key (when any are left). */
static int list_links(fm *f, const char *type, const kg_ynode *k,
                      const kg_ynode *v)
{
    kg_value val = kg_value_list(0), item;
    const kg_yslot *s;
    const char *t;
    size_t tlen;
    int rc = KG_OK;

    if (val.type != KG_VLIST) return KG_ENOMEM;
    for (s = v->first; s && rc >= 0; s = s->next) {
        if (as_link(s->node, &t, &tlen))
            rc = link_to(f, type, s->node, NULL);
        else if ((rc = kg_yaml__value(&f->y, s->node, 2, &item)) == KG_OK)
            rc = kg_value_list_push(&val, item);
    }
    if (rc == KG_OK && val.u.list->len > 0)
        return kg_doc_node_prop(&f->c->doc->nodes[f->c->node], k->s, val);
    kg_value_release(&val);
    return rc;
}

/* Any other key: a typed property, unless its value is "[[x]]" (or a list
 * holding such strings), which makes a link of type KEY. */
static int prop_apply(fm *f, const kg_ynode *k, const kg_ynode *v)
{
    const kg_ynode *loose = unquoted_link(v);
    const kg_yslot *s;
    const char *t;
    char q[KG_QUOTE_BUF];
    size_t tlen, nlinks = v->kind == KG_Y_SCALAR && as_link(v, &t, &tlen);
    char *type;
    kg_value val;
    int rc;

    for (s = v->kind == KG_Y_SEQ ? v->first : NULL; s; s = s->next)
        if (as_link(s->node, &t, &tlen)) nlinks++;
    if (nlinks == 0 && loose == NULL) {
        if ((rc = kg_yaml__value(&f->y, v, 1, &val)) < 0) return rc;
        if (val.type == KG_VNULL) return KG_OK;
        return kg_doc_node_prop(&f->c->doc->nodes[f->c->node], k->s, val);
    }
    if ((type = kg_dataset__rel_type_n(k->s, k->len)) == NULL) return KG_ENOMEM;
    if (*type == '\0')
        rc = kg_yaml__diag(&f->y, KG_SEV_ERROR, k->line, k->col,
                           "property '%s' holds a link but its name has no "
                           "letters or digits; ignored",
                           kg_text__quote(q, k->s, k->len));
    else if (loose != NULL &&
             (rc = kg_yaml__diag(&f->y, KG_SEV_WARNING, v->line, v->col,
                                 "unquoted [[...]] is a list in a list in "
                                 "YAML; read as a link, but write it "
                                 "\"[[...]]\"")) == KG_OK)
        rc = link_to(f, type, loose, NULL);
    else if (loose == NULL && v->kind == KG_Y_SCALAR)
        rc = link_to(f, type, v, NULL);
    else if (loose == NULL)
        rc = list_links(f, type, k, v);
    kg_free(type);
    return rc;
}

/* aliases: a string or a list of strings */
static int aliases_apply(fm *f, const kg_ynode *v)
{
    kg_value list;
    const kg_yslot *s;
    const kg_ynode *one[1];
    size_t i, n;
    int rc = KG_OK;

    if (kg_yaml__is_null(v)) return KG_OK;
    if (v->kind == KG_Y_MAP)
        return kg_yaml__diag(
            &f->y, KG_SEV_ERROR, v->line, v->col,
            "aliases must be a list of strings, not a mapping; "
            "ignored");
    list = kg_value_list(0);
    if (list.type != KG_VLIST) return KG_ENOMEM;
    one[0] = v;
    s = v->kind == KG_Y_SEQ ? v->first : NULL;
    n = v->kind == KG_Y_SEQ ? v->n : 1;
    for (i = 0; i < n && rc >= 0; i++, s = s ? s->next : NULL) {
        const kg_ynode *a = s ? s->node : one[0];
        kg_value str;
        if (a->kind != KG_Y_SCALAR || kg_yaml__is_null(a) || a->len == 0 ||
            kg_text__has_ctrl(a->s, a->len)) {
            rc = kg_yaml__diag(&f->y, KG_SEV_ERROR, a->line, a->col,
                               "alias at %u:%u is %s, not a name; ignored",
                               a->line, a->col,
                               a->kind != KG_Y_SCALAR ? kg_yaml__kind_name(a)
                               : a->len && !kg_yaml__is_null(a)
                                   ? "text with a control character"
                                   : "empty");
            continue;
        }
        str = kg_value_string(a->s, a->len);
        if (str.type != KG_VSTRING)
            rc = KG_ENOMEM;
        else
            rc = kg_value_list_push(&list, str);
    }
    if (rc == KG_OK && list.u.list->len > 0)
        return kg_doc_node_prop(&f->c->doc->nodes[f->c->node], "aliases", list);
    kg_value_release(&list);
    return rc;
}

/* kind: one label or a list of them; each must be a string. */
static int label_add(fm *f, const kg_ynode *n)
{
    char q[KG_QUOTE_BUF];
    kg_value v;
    int rc;

    if (n->kind != KG_Y_SCALAR)
        return kg_yaml__diag(
            &f->y, KG_SEV_ERROR, n->line, n->col,
            "kind must be a string or a list of strings; %s at "
            "%u:%u ignored",
            kg_yaml__kind_name(n), n->line, n->col);
    if (kg_yaml__is_null(n))
        return kg_yaml__diag(&f->y, KG_SEV_WARNING, n->line, n->col,
                             "kind is empty; ignored");
    if ((rc = kg_yaml__scalar(&f->y, n, &v)) < 0) return rc;
    rc = v.type;
    kg_value_release(&v);
    if (rc != KG_VSTRING)
        return kg_yaml__diag(&f->y, KG_SEV_ERROR, n->line, n->col,
                             "kind must be a string, not %s '%s'; ignored",
                             kg_value_type_name(rc),
                             kg_text__quote(q, n->s, n->len));
    if (n->len == 0 || kg_text__has_ctrl(n->s, n->len))
        return kg_yaml__diag(
            &f->y, KG_SEV_ERROR, n->line, n->col,
            "kind '%s' is empty or has a control character; ignored",
            kg_text__quote(q, n->s, n->len));
    return kg_doc_node_label(&f->c->doc->nodes[f->c->node], n->s);
}

static int kind_apply(fm *f, const kg_ynode *kind)
{
    const kg_yslot *s;
    int rc = KG_OK;

    if (kind != NULL && kind->kind == KG_Y_SEQ) {
        for (s = kind->first; s && rc >= 0; s = s->next)
            rc = label_add(f, s->node);
    } else if (kind != NULL) {
        rc = label_add(f, kind);
    }
    if (rc == KG_OK && f->c->doc->nodes[f->c->node].nlabels == 0)
        rc = kg_doc_node_label(&f->c->doc->nodes[f->c->node], "Note");
    return rc;
}

/* The node's key: a valid id from the front matter, else the default. */
static int key_of(fm *f, const kg_ynode *id, const char **key)
{
    char q[KG_QUOTE_BUF];
    const char *why = NULL;

    *key = f->c->def_key;
    if (id == NULL) return KG_OK;
    if (id->kind != KG_Y_SCALAR)
        why = "is not a string";
    else if (kg_yaml__is_null(id) || id->len == 0)
        why = "is empty";
    else if (kg_text__has_ctrl(id->s, id->len))
        why = "has a control character";
    if (why == NULL) {
        *key = id->s;
        return KG_OK;
    }
    if (id->kind == KG_Y_SCALAR && id->len > 0 && !kg_yaml__is_null(id))
        return kg_yaml__diag(
            &f->y, KG_SEV_ERROR, id->line, id->col,
            "id %s: '%s'; the key '%s' from the file name is used", why,
            kg_text__quote(q, id->s, id->len), f->c->def_key);
    return kg_yaml__diag(&f->y, KG_SEV_ERROR, id->line, id->col,
                         "id %s; the key '%s' from the file name is used", why,
                         f->c->def_key);
}

static int name_apply(fm *f, const kg_ynode *name)
{
    kg_node_rec *node = &f->c->doc->nodes[f->c->node];
    const char *s = f->c->def_name;
    size_t len = strlen(s);
    kg_value v;
    int rc = KG_OK;

    if (name != NULL &&
        (name->kind != KG_Y_SCALAR || kg_yaml__is_null(name) ||
         name->len == 0 || kg_text__has_ctrl(name->s, name->len))) {
        rc = kg_yaml__diag(&f->y, KG_SEV_ERROR, name->line, name->col,
                           "name must be a non-empty string without control "
                           "characters; the file name is used");
    } else if (name != NULL) {
        s = name->s;
        len = name->len;
    }
    if (rc < 0) return rc;
    v = kg_value_string(s, len);
    if (v.type != KG_VSTRING) return KG_ENOMEM;
    return kg_doc_node_prop(node, "name", v);
}

/* Sort the top-level pairs: id, kind and name are needed before anything
 * else (the key is every edge's source); duplicates are dropped here. */
static int collect(fm *f, kg_strset *keys, ypair *pairs, size_t *np,
                   const kg_ynode **id, const kg_ynode **kind,
                   const kg_ynode **name)
{
    const kg_yslot *s;
    char q[KG_QUOTE_BUF];
    uintptr_t first;
    int rc = KG_OK;

    for (s = f->y.root->first; s && s->next && rc >= 0; s = s->next->next) {
        const kg_ynode *k = s->node, *v = s->next->node, *fk;
        if ((rc = kg_yaml__key_ok(&f->y, k, "key")) <= 0) continue;
        if ((rc = kg_strset__add(keys, k->s, k->len, (uintptr_t)k, &first)) ==
            0) {
            fk = (const kg_ynode *)first;
            rc = kg_yaml__diag(
                &f->y, KG_SEV_ERROR, k->line, k->col,
                "duplicate key '%s' (first at %u:%u); this one is "
                "ignored",
                kg_text__quote(q, k->s, k->len), fk->line, fk->col);
            continue;
        }
        if (rc < 0) break;
        rc = KG_OK;
        if (strcmp(k->s, "id") == 0)
            *id = v;
        else if (strcmp(k->s, "kind") == 0)
            *kind = v;
        else if (strcmp(k->s, "name") == 0)
            *name = v;
        else {
            pairs[*np].k = k;
            pairs[(*np)++].v = v;
        }
    }
    return rc;
}

static int apply(fm *f)
{
    kg_doc *doc = f->c->doc;
    const kg_ynode *id = NULL, *kind = NULL, *name = NULL;
    kg_strset keys = {0};
    ypair *pairs = NULL;
    size_t np = 0, i;
    const char *key;
    int rc = KG_OK;

    if (f->y.root != NULL && f->y.root->kind == KG_Y_MAP) {
        pairs =
            kg_arena_alloc(f->y.arena, (f->y.root->n / 2 + 1) * sizeof *pairs);
        if (pairs == NULL) return KG_ENOMEM;
        rc = collect(f, &keys, pairs, &np, &id, &kind, &name);
    } else if (f->y.root != NULL && !kg_yaml__is_null(f->y.root)) {
        rc = kg_yaml__diag(&f->y, KG_SEV_ERROR, f->y.root->line, f->y.root->col,
                           "front matter is %s, expected 'key: value' lines; "
                           "ignored",
                           kg_yaml__kind_name(f->y.root));
    }
    if (rc < 0 || (rc = key_of(f, id, &key)) < 0) goto done;
    if (kg_doc_node(doc, key, 1) == NULL) {
        rc = KG_ENOMEM;
        goto done;
    }
    f->c->node = doc->nnodes - 1;
    if ((rc = kind_apply(f, kind)) < 0 || (rc = name_apply(f, name)) < 0)
        goto done;
    for (i = 0; i < np && rc >= 0; i++) {
        const ypair *p = &pairs[i];
        f->y.key = p->k;
        if (strcmp(p->k->s, "aliases") == 0)
            rc = aliases_apply(f, p->v);
        else if (strcmp(p->k->s, "links") == 0)
            rc = links_apply(f, p->v);
        else
            rc = prop_apply(f, p->k, p->v);
        if (rc == KG_ELIMIT) rc = KG_OK; /* reported; go on with the rest */
    }
done:
    kg_strset__free(&keys);
    return rc < 0 ? rc : KG_OK;
}

int kg_frontmatter__parse(kg_note_ctx *c, const char *yaml, size_t len,
                          uint32_t line0, kg_error *err)
{
    fm f;
    int rc = KG_OK;

    f.c = c;
    if (kg_yaml__init(&f.y, c->doc, yaml, len, line0, err) < 0)
        return KG_ENOMEM;
    if (yaml != NULL) {
        rc = kg_yaml__build(&f.y, 1);
        if (rc != KG_OK) f.y.root = NULL; /* broken: use the defaults */
    }
    if (rc == KG_OK || rc == KG_ESYNTAX || rc == KG_ELIMIT) rc = apply(&f);
    kg_yaml__free(&f.y);
    if (rc == KG_ENOMEM)
        kg_error_set(err, KG_ENOMEM, c->doc->path, (kg_span){0, 0},
                     "out of memory while reading the front matter");
    return rc;
}
