/* bind.c - semantic pass: variables to row slots, names to atoms and
 * functions; expressions and patterns.
 *
 * Slots are never reused within a statement: every declaration (a pattern
 * variable, an UNWIND alias, a projected column, an anonymous node, an
 * aggregate's result) gets the next slot. Rows are therefore wider than
 * strictly needed, but an operator can never clobber a value another
 * operator still reads, which keeps the in-place row model simple.
 *
 * Labels, types and property keys are looked up with kg_graph_atom_find, so
 * a query never adds names to a graph it only reads; a name the graph does
 * not know yet stays KG_NONE and is looked up again at run time (a CREATE
 * earlier in the same statement may have added it). Writing clauses intern
 * their names. Unknown labels are not errors: they match nothing.
 */
#include "query_int.h"

#include <stdarg.h>
#include <stdio.h>

int kg_bind__fail(kg_binder *b, int code, kg_span at, const char *fmt, ...)
{
    va_list ap;
    char msg[256];
    if (b->rc) return b->rc;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    b->rc = code;
    return kg_error_set(b->err, code, "<query>", at, "%s", msg);
}

kg_bvar *kg_bind__lookup(kg_binder *b, const char *name)
{
    uint32_t i = b->nvars;
    while (i-- > 0)
        if (b->vars[i].name && strcmp(b->vars[i].name, name) == 0)
            return &b->vars[i];
    return NULL;
}

int32_t kg_bind__declare(kg_binder *b, const char *name, int type)
{
    int32_t slot = (int32_t)b->nslots++;
    if (b->nvars == b->capvars) {
        uint32_t cap = b->capvars ? b->capvars * 2 : 16;
        kg_bvar *v = kg_arena_alloc(b->arena, cap * sizeof *v);
        if (!v) {
            kg_bind__fail(b, KG_ENOMEM, (kg_span){0, 0}, "out of memory");
            return -1;
        }
        if (b->nvars) memcpy(v, b->vars, b->nvars * sizeof *v);
        b->vars = v;
        b->capvars = cap;
    }
    b->vars[b->nvars].name = name;
    b->vars[b->nvars].slot = slot;
    b->vars[b->nvars].type = (uint8_t)type;
    b->vars[b->nvars].vt = -1;
    b->nvars++;
    if (b->nnews == b->capnews) {
        uint32_t cap = b->capnews ? b->capnews * 2 : 16;
        int32_t *n = kg_arena_alloc(b->arena, cap * sizeof *n);
        if (!n) {
            kg_bind__fail(b, KG_ENOMEM, (kg_span){0, 0}, "out of memory");
            return -1;
        }
        if (b->nnews) memcpy(n, b->news, b->nnews * sizeof *n);
        b->news = n;
        b->capnews = cap;
    }
    b->news[b->nnews++] = slot;
    return slot;
}

static kg_atom *find_atoms(kg_binder *b, const char **names, uint32_t n,
                           int intern)
{
    kg_atom *atoms;
    uint32_t i;
    if (!n) return NULL;
    atoms = kg_arena_alloc(b->arena, n * sizeof *atoms);
    if (!atoms) {
        kg_bind__fail(b, KG_ENOMEM, (kg_span){0, 0}, "out of memory");
        return NULL;
    }
    for (i = 0; i < n; i++) {
        atoms[i] = intern ? kg_graph_atom(b->g, names[i], strlen(names[i]))
                          : kg_graph_atom_find(b->g, names[i], strlen(names[i]));
        if (intern && atoms[i] == KG_NONE) {
            kg_bind__fail(b, KG_ENOMEM, (kg_span){0, 0}, "out of memory");
            return NULL;
        }
    }
    return atoms;
}

static const char *type_word(int t)
{
    switch (t) {
    case KG_BT_NODE: return "a node";
    case KG_BT_REL: return "a relationship";
    case KG_BT_PATH: return "a path";
    case KG_BT_RELS: return "a list of relationships";
    default: return "a value";
    }
}

/* ---- expressions ---- */

int kg_bind__static_type(kg_binder *b, const ast_expr *e)
{
    kg_bvar *v;
    switch (e->kind) {
    case AST_E_LIT: return e->val.type;
    case AST_E_LIST:
    case AST_E_LISTCOMP: return KG_VLIST;
    case AST_E_MAP: return KG_VMAP;
    case AST_E_PATTERN: return -2;
    case AST_E_VAR:
        if (!(v = kg_bind__lookup(b, e->name))) return -1;
        switch (v->type) {
        case KG_BT_NODE: return KG_VNODE;
        case KG_BT_REL: return KG_VREL;
        case KG_BT_PATH: return KG_VPATH;
        case KG_BT_RELS: return KG_VLIST;
        default: return v->vt;
        }
    default: return -1;
    }
}

#define M(t) (1u << (t))
/* Arguments whose type is known before running are checked then, so a
 * query like labels(p) over a path fails at prepare time. */
static const struct {
    const char *fn, *what;
    unsigned mask;
} arg_rules[] = {
    {"labels", "a node", M(KG_VNODE)},
    {"type", "a relationship", M(KG_VREL)},
    {"startNode", "a relationship", M(KG_VREL)},
    {"endNode", "a relationship", M(KG_VREL)},
    {"id", "a node or relationship", M(KG_VNODE) | M(KG_VREL)},
    {"properties", "a node, relationship or map",
     M(KG_VNODE) | M(KG_VREL) | M(KG_VMAP)},
    {"keys", "a node, relationship or map",
     M(KG_VNODE) | M(KG_VREL) | M(KG_VMAP)},
    {"size", "a List or String", M(KG_VLIST) | M(KG_VSTRING)},
    {"length", "a path", M(KG_VPATH)},
    {"nodes", "a path", M(KG_VPATH)},
    {"relationships", "a path", M(KG_VPATH)},
};

static int check_args(kg_binder *b, const ast_expr *e, const kg_func *f)
{
    size_t i;
    int t;
    if (e->nargs < 1) return KG_OK;
    for (i = 0; i < sizeof arg_rules / sizeof *arg_rules; i++) {
        if (strcmp(arg_rules[i].fn, f->name) != 0) continue;
        t = kg_bind__static_type(b, e->args[0]);
        if (t == -2)
            return kg_bind__fail(b, KG_ESYNTAX, e->args[0]->span,
                                 "%s() cannot take a pattern", f->name);
        if (t >= 0 && t != KG_VNULL && !(arg_rules[i].mask & M(t)))
            return kg_bind__fail(b, KG_ETYPE, e->args[0]->span,
                                 "%s() expects %s, got %s", f->name,
                                 arg_rules[i].what, kg_value_type_name(t));
    }
    return KG_OK;
}

/* A call of rand() in e (an aggregate over it would differ per run). */
static const ast_expr *find_rand(const ast_expr *e)
{
    const ast_expr *r;
    uint32_t i;
    if (!e) return NULL;
    if (e->kind == AST_E_CALL && e->name && kg_strcasecmp(e->name, "rand") == 0)
        return e;
    if ((r = find_rand(e->a)) || (r = find_rand(e->b)) || (r = find_rand(e->c)))
        return r;
    for (i = 0; i < e->nargs; i++)
        if ((r = find_rand(e->args[i])) != NULL) return r;
    return NULL;
}

static int bind_call(kg_binder *b, ast_expr *e)
{
    uint32_t i;
    const kg_func *f = kg_func__find(e->name);
    if (!f || f->hidden)
        return kg_bind__fail(b, KG_ESYNTAX, e->span, "unknown function '%s'",
                             e->name);
    if (e->nargs < f->min || (f->max != 255 && e->nargs > f->max)) {
        if (f->min == f->max)
            return kg_bind__fail(b, KG_ESYNTAX, e->span,
                                 "function %s() takes %u argument%s, got %u",
                                 f->name, f->min, f->min == 1 ? "" : "s",
                                 e->nargs);
        return kg_bind__fail(b, KG_ESYNTAX, e->span,
                             "function %s() takes %u to %u arguments, got %u",
                             f->name, f->min, f->max, e->nargs);
    }
    if ((e->flags & AST_F_DISTINCT) && !f->agg)
        return kg_bind__fail(b, KG_ESYNTAX, e->span,
                             "DISTINCT is only allowed in aggregate functions");
    if (check_args(b, e, f) < 0) return b->rc;
    e->fn = f;
    e->op = f->agg;
    if (f->agg) {
        int rc;
        ast_proj *pr = b->proj;
        if (!pr)
            return kg_bind__fail(b, KG_ESYNTAX, e->span,
                                 "aggregate function %s() is not allowed here",
                                 f->name);
        if (b->in_agg)
            return kg_bind__fail(b, KG_ESYNTAX, e->span,
                                 "aggregate functions cannot be nested");
        b->in_agg = 1;
        for (i = 0; i < e->nargs; i++) {
            const ast_expr *r;
            if ((rc = kg_bind__expr(b, e->args[i])) < 0) return rc;
            if ((r = find_rand(e->args[i])) != NULL)
                return kg_bind__fail(b, KG_ESYNTAX, r->span,
                                     "rand() is not allowed inside aggregate "
                                     "function %s(): its value is not "
                                     "deterministic", f->name);
        }
        b->in_agg = 0;
        goto agg;
    }
    for (i = 0; i < e->nargs; i++)
        if (kg_bind__expr(b, e->args[i]) < 0) return b->rc;
    return KG_OK;
agg:
    {
        ast_expr **aggs = kg_arena_alloc(b->arena,
                                         (b->proj->naggs + 1) * sizeof *aggs);
        if (!aggs) return kg_bind__fail(b, KG_ENOMEM, e->span, "out of memory");
        if (b->proj->naggs)
            memcpy(aggs, b->proj->aggs, b->proj->naggs * sizeof *aggs);
        aggs[b->proj->naggs++] = e;
        b->proj->aggs = aggs;
        e->slot = (int32_t)b->nslots++;
        b->proj->aggregating = 1;
    }
    return KG_OK;
}

/* A variable visible only inside e (comprehension, quantifier, reduce). */
static int bind_local(kg_binder *b, ast_expr *e, const char *name,
                      int32_t *slot)
{
    *slot = kg_bind__declare(b, name, KG_BT_ANY);
    return *slot < 0 ? b->rc : KG_OK;
}

static int bind_pattern_expr(kg_binder *b, ast_expr *e)
{
    uint32_t saved = b->nvars, i, j;
    int rc;
    if (e->sub) return kg_bind__subquery(b, e->sub);
    if (e->kind == AST_E_PATTERN && !(e->flags & AST_F_SUBQUERY)) {
        /* openCypher: a bare pattern is a predicate of WHERE, and it may
         * not introduce variables */
        if (!b->in_where && !(e->flags & AST_F_EXISTS))
            return kg_bind__fail(b, KG_ESYNTAX, e->span,
                                 "a pattern is only allowed as a predicate "
                                 "in WHERE (use exists(...) elsewhere)");
        for (i = 0; i < e->pat->npaths; i++) {
            const ast_path *path = e->pat->paths[i];
            for (j = 0; j <= path->nrels; j++) {
                const char *v = path->nodes[j]->var;
                if (!v && j < path->nrels) v = path->rels[j]->var;
                if (v && !kg_bind__lookup(b, v))
                    return kg_bind__fail(b, KG_ESYNTAX, e->span,
                                         "variable '%s' not defined", v);
                if (j < path->nrels && path->rels[j]->var &&
                    !kg_bind__lookup(b, path->rels[j]->var))
                    return kg_bind__fail(b, KG_ESYNTAX, e->span,
                                         "variable '%s' not defined",
                                         path->rels[j]->var);
            }
        }
    }
    if ((rc = kg_bind__pattern(b, e->pat, KG_PAT_EXPR)) < 0) return rc;
    if (e->b) {
        b->in_where++;
        rc = kg_bind__expr(b, e->b);
        b->in_where--;
        if (rc < 0) return rc;
    }
    if (e->c && (rc = kg_bind__expr(b, e->c)) < 0) return rc;
    b->nvars = saved; /* the pattern's new variables end with it */
    return KG_OK;
}

/* An operand of AND / OR / XOR / NOT or a WHERE that can never be a
 * boolean (a number, string, list or map literal; a node, relationship or
 * path variable) is an error before running. */
int kg_bind__check_bool(kg_binder *b, const ast_expr *e)
{
    int t;
    if (!e) return KG_OK;
    if (e->kind == AST_E_VAR &&
        ((t = kg_bind__static_type(b, e)) == KG_VNODE || t == KG_VREL ||
         t == KG_VPATH))
        return kg_bind__fail(b, KG_ETYPE, e->span,
                             "expected a Boolean, got %s '%s'",
                             t == KG_VNODE  ? "node"
                             : t == KG_VREL ? "relationship"
                                            : "path",
                             e->name);
    if ((e->kind == AST_E_LIT && e->val.type != KG_VBOOL &&
         e->val.type != KG_VNULL) ||
        e->kind == AST_E_LIST || e->kind == AST_E_MAP)
        return kg_bind__fail(b, KG_ETYPE, e->span,
                             "expected a Boolean, got %s",
                             e->kind == AST_E_LIST  ? "List"
                             : e->kind == AST_E_MAP ? "Map"
                                                    : kg_value_type_name(e->val.type));
    return KG_OK;
}

/* [x IN l WHERE p | e], all/any/none/single, reduce: the list (and the
 * reduce's initial value) may aggregate, the per-item parts may not. */
static int bind_comprehension(kg_binder *b, ast_expr *e)
{
    uint32_t saved;
    ast_proj *pr;
    ast_expr *list = e->kind == AST_E_REDUCE ? e->b : e->a;
    if ((e->kind == AST_E_REDUCE && kg_bind__expr(b, e->a) < 0) ||
        kg_bind__expr(b, list) < 0)
        return b->rc;
    saved = b->nvars;
    pr = b->proj;
    b->proj = NULL;
    if (e->kind == AST_E_REDUCE) {
        if (bind_local(b, e, e->names[0], &e->slot2) < 0 ||
            bind_local(b, e, e->name, &e->slot) < 0 ||
            kg_bind__expr(b, e->c) < 0)
            goto done;
    } else if (bind_local(b, e, e->name, &e->slot) < 0 ||
               kg_bind__expr(b, e->b) < 0 || kg_bind__expr(b, e->c) < 0) {
        goto done;
    }
done:
    b->proj = pr;
    b->nvars = saved;
    return b->rc;
}

int kg_bind__expr(kg_binder *b, ast_expr *e)
{
    uint32_t i;
    kg_bvar *v;
    if (!e || b->rc) return b->rc;
    switch (e->kind) {
    case AST_E_LIT: return KG_OK;
    case AST_E_PARAM:
        if (!b->params || !kg_value_map_get(b->params, e->name))
            return kg_bind__fail(b, KG_ESYNTAX, e->span,
                                 "parameter $%s is not set", e->name);
        return KG_OK;
    case AST_E_VAR:
        if (e->flags & AST_F_KEYREF) return KG_OK; /* slot set later */
        if (!(v = kg_bind__lookup(b, e->name)))
            return kg_bind__fail(b, KG_ESYNTAX, e->span,
                                 "variable '%s' not defined", e->name);
        e->slot = v->slot;
        return KG_OK;
    case AST_E_PROP:
        e->atom = kg_graph_atom_find(b->g, e->name, strlen(e->name));
        if (strcmp(e->name, "id") == 0) e->flags |= AST_F_ISID;
        {
            int t = kg_bind__static_type(b, e->a);
            if (t >= 0 && t != KG_VNULL && t != KG_VMAP && t != KG_VNODE &&
                t != KG_VREL && !KG_VTYPE_IS_TEMPORAL(t))
                return kg_bind__fail(b, KG_ETYPE, e->span,
                                     "cannot read property '%s' of %s",
                                     e->name, kg_value_type_name(t));
        }
        return kg_bind__expr(b, e->a);
    case AST_E_HASLABEL:
        if (!(e->atoms = find_atoms(b, e->names, e->nnames, 0)) && e->nnames)
            return b->rc;
        return kg_bind__expr(b, e->a);
    case AST_E_CALL: return bind_call(b, e);
    case AST_E_COUNTSTAR:
        if (!b->proj)
            return kg_bind__fail(b, KG_ESYNTAX, e->span,
                                 "aggregate function count(*) is not allowed "
                                 "here");
        if (b->in_agg)
            return kg_bind__fail(b, KG_ESYNTAX, e->span,
                                 "aggregate functions cannot be nested");
        e->op = KG_AGG_COUNT;
        {
            ast_expr **aggs = kg_arena_alloc(
                b->arena, (b->proj->naggs + 1) * sizeof *aggs);
            if (!aggs)
                return kg_bind__fail(b, KG_ENOMEM, e->span, "out of memory");
            if (b->proj->naggs)
                memcpy(aggs, b->proj->aggs, b->proj->naggs * sizeof *aggs);
            aggs[b->proj->naggs++] = e;
            b->proj->aggs = aggs;
            e->slot = (int32_t)b->nslots++;
            b->proj->aggregating = 1;
        }
        return KG_OK;
    case AST_E_PATTERN:
    case AST_E_PATCOMP: return bind_pattern_expr(b, e);
    case AST_E_MAPPROJ:
        if (kg_bind__expr(b, e->a) < 0) return b->rc;
        for (i = 0; i < e->nargs; i++)
            if (e->args[i] && kg_bind__expr(b, e->args[i]) < 0) return b->rc;
        return KG_OK;
    case AST_E_NOT:
    case AST_E_BINOP:
        if ((e->kind == AST_E_NOT || e->op <= AST_OP_AND) &&
            (kg_bind__check_bool(b, e->a) < 0 ||
             kg_bind__check_bool(b, e->b) < 0))
            return b->rc;
        if (e->kind == AST_E_BINOP && e->op == AST_OP_IN) {
            int t = kg_bind__static_type(b, e->b);
            if (t >= 0 && t != KG_VNULL && t != KG_VLIST)
                return kg_bind__fail(b, KG_ETYPE, e->b->span,
                                     "IN expects a List on the right, got %s",
                                     kg_value_type_name(t));
        }
        break;
    case AST_E_LISTCOMP:
    case AST_E_QUANT:
    case AST_E_REDUCE: return bind_comprehension(b, e);
    default: break;
    }
    /* generic: operands and argument lists */
    if (kg_bind__expr(b, e->a) < 0 || kg_bind__expr(b, e->b) < 0 ||
        kg_bind__expr(b, e->c) < 0)
        return b->rc;
    for (i = 0; i < e->nargs; i++)
        if (kg_bind__expr(b, e->args[i]) < 0) return b->rc;
    return KG_OK;
}

/* ---- patterns ---- */

static int bind_node(kg_binder *b, ast_node_pat *n, int mode, int32_t *seen,
                     uint32_t nseen)
{
    kg_bvar *v = n->var ? kg_bind__lookup(b, n->var) : NULL;
    int write = mode == KG_PAT_CREATE || mode == KG_PAT_MERGE;
    uint32_t i;
    if (v) {
        if (v->type != KG_BT_ANY && v->type != KG_BT_NODE)
            return kg_bind__fail(b, KG_ETYPE, n->span,
                                 "variable '%s' is %s, not a node", n->var,
                                 type_word(v->type));
        n->slot = v->slot;
        for (i = 0; i < nseen; i++)
            if (seen[i] == v->slot) n->is_new = 1; /* declared by this pattern */
        if (write && !n->is_new && (n->nlabels || n->props))
            return kg_bind__fail(b, KG_ESYNTAX, n->span,
                                 "variable '%s' is already defined; %s cannot "
                                 "add labels or properties to it",
                                 n->var, mode == KG_PAT_CREATE ? "CREATE"
                                                               : "MERGE");
        if (write && n->is_new && (n->nlabels || n->props))
            return kg_bind__fail(b, KG_ESYNTAX, n->span,
                                 "variable '%s' is already defined", n->var);
    } else {
        n->slot = kg_bind__declare(b, n->var, KG_BT_NODE);
        if (n->slot < 0) return b->rc;
        n->is_new = 1;
        if (!n->var) b->nvars--; /* anonymous: a slot but no name */
    }
    n->atoms = find_atoms(b, n->labels, n->nlabels, write);
    return b->rc;
}

static int bind_rel(kg_binder *b, ast_rel_pat *r, int mode, int32_t *seen,
                    uint32_t nseen)
{
    kg_bvar *v = r->var ? kg_bind__lookup(b, r->var) : NULL;
    int write = mode == KG_PAT_CREATE || mode == KG_PAT_MERGE;
    uint32_t i;
    if (write) {
        const char *what = mode == KG_PAT_CREATE ? "CREATE" : "MERGE";
        if (r->varlen)
            return kg_bind__fail(b, KG_ESYNTAX, r->span,
                                 "%s cannot create a variable-length "
                                 "relationship", what);
        if (r->ntypes != 1)
            return kg_bind__fail(b, KG_ESYNTAX, r->span,
                                 "a relationship in %s must have exactly one "
                                 "type", what);
        if (mode == KG_PAT_CREATE && r->dir == AST_DIR_BOTH)
            return kg_bind__fail(b, KG_ESYNTAX, r->span,
                                 "a relationship in CREATE must have a "
                                 "direction");
        if (v)
            return kg_bind__fail(b, KG_ESYNTAX, r->span,
                                 "variable '%s' is already defined", r->var);
    }
    if (v) {
        if (r->varlen ? v->type != KG_BT_ANY && v->type != KG_BT_RELS
                      : v->type != KG_BT_REL && v->type != KG_BT_ANY)
            return kg_bind__fail(b, KG_ETYPE, r->span,
                                 "variable '%s' is %s, not a relationship",
                                 r->var, type_word(v->type));
        for (i = 0; i < nseen; i++)
            if (seen[i] == v->slot)
                return kg_bind__fail(b, KG_ESYNTAX, r->span,
                                     "relationship variable '%s' is used "
                                     "twice in one pattern", r->var);
        r->slot = v->slot;
    } else {
        r->slot = kg_bind__declare(b, r->var,
                                   r->varlen ? KG_BT_RELS : KG_BT_REL);
        if (r->slot < 0) return b->rc;
        r->is_new = 1;
        if (!r->var) b->nvars--;
    }
    r->atoms = find_atoms(b, r->types, r->ntypes, write);
    return b->rc;
}

/* Bind a pattern in two passes: declare every variable first, so that a
 * property map may refer to any variable of the pattern, then bind the
 * property expressions. */
int kg_bind__pattern(kg_binder *b, ast_pattern *pat, int mode)
{
    uint32_t i, j, first = b->nnews;
    for (i = 0; i < pat->npaths; i++) {
        ast_path *path = pat->paths[i];
        if (path->var) {
            int clash = kg_bind__lookup(b, path->var) != NULL;
            for (j = 0; j <= path->nrels && !clash; j++)
                clash = (path->nodes[j]->var &&
                         strcmp(path->nodes[j]->var, path->var) == 0) ||
                        (j < path->nrels && path->rels[j]->var &&
                         strcmp(path->rels[j]->var, path->var) == 0);
            if (clash)
                return kg_bind__fail(b, KG_ESYNTAX, path->span,
                                     "variable '%s' is already defined",
                                     path->var);
        }
        if ((mode == KG_PAT_CREATE || mode == KG_PAT_MERGE) && !path->nrels &&
            !path->nodes[0]->nlabels && !path->nodes[0]->props &&
            path->nodes[0]->var && kg_bind__lookup(b, path->nodes[0]->var))
            return kg_bind__fail(b, KG_ESYNTAX, path->nodes[0]->span,
                                 "variable '%s' is already defined",
                                 path->nodes[0]->var);
        for (j = 0; j <= path->nrels; j++) {
            /* b->news is NULL until the first declaration, and NULL + 0
             * is undefined behaviour (UBSan); it may also move (realloc),
             * so it is read again for each call */
            if (bind_node(b, path->nodes[j], mode,
                          b->news ? b->news + first : NULL,
                          b->nnews - first) < 0)
                return b->rc;
            if (j < path->nrels &&
                bind_rel(b, path->rels[j], mode,
                         b->news ? b->news + first : NULL,
                         b->nnews - first) < 0)
                return b->rc;
        }
        if (path->shortest && path->nrels != 1)
            return kg_bind__fail(b, KG_ESYNTAX, path->span,
                                 "shortestPath needs a pattern with one "
                                 "relationship");
        if (path->var) {
            path->slot = kg_bind__declare(b, path->var, KG_BT_PATH);
            if (path->slot < 0) return b->rc;
        }
    }
    for (i = 0; i < pat->npaths; i++) {
        ast_path *path = pat->paths[i];
        for (j = 0; j <= path->nrels; j++) {
            if (kg_bind__expr(b, path->nodes[j]->props) < 0) return b->rc;
            if (j < path->nrels && kg_bind__expr(b, path->rels[j]->props) < 0)
                return b->rc;
        }
    }
    return b->rc;
}
