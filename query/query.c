/* query.c - the public face: prepare, step, columns, free.
 *
 * kg_query_prepare runs the front end once (parse, bind, plan) into an
 * arena owned by the query; kg_query_step pulls one row from the root
 * operator. Errors from any stage carry a span into the query text and have
 * their line and column filled in before they reach the caller.
 */
#include "parse.h"
#include "query_int.h"

struct kg_query {
    kg_arena *arena;
    char *text;
    uint32_t len;
    const kg_query_env *env;
    ast_stmt *stmt;
    kg_value *lits;
    size_t nlits;
    kg_plan plan;
    kg_op *root;
    kg_exec x;
    int32_t *colslots;
    const char **colnames;
    uint32_t ncols;
    int started, done;
    uint64_t rows;
    /* EXPLAIN: the plan's lines, handed out as rows */
    kg_buf plan_text;
    size_t plan_pos;
    kg_value line;
};

static const char *const explain_cols[] = {"plan"};

static int fail(kg_error *err, int rc, const char *text, uint32_t len)
{
    if (err) {
        if (!err->code) err->code = rc;
        kg_error_locate(err, text, len);
    }
    return rc;
}

/* Pick the graph: env->graph, or the version USE names. */
static int choose_graph(kg_query *q, kg_error *err)
{
    const ast_stmt *s = q->stmt;
    const kg_query_env *env = q->env;
    q->x.g = env->graph;
    q->x.version = env->version;
    if (s->use) {
        int64_t vid = 0;
        if (!env->graph_at)
            return kg_error_set(err, KG_ETYPE, "<query>", s->use_span,
                                "USE needs versions: this session has no "
                                "store");
        q->x.g = env->graph_at(env->payload, s->use, &vid, err);
        if (!q->x.g) {
            if (err) {
                if (!err->code) err->code = KG_ENOTFOUND;
                if (!err->msg[0])
                    snprintf(err->msg, sizeof err->msg,
                             "unknown revision '%s'", s->use);
                err->source = "<query>";
                err->span = s->use_span;
            }
            return err && err->code ? err->code : KG_ENOTFOUND;
        }
        q->x.version = vid;
        q->x.readonly = 1;
    }
    if (!q->x.g)
        return kg_error_set(err, KG_ETYPE, "<query>", (kg_span){0, 0},
                            "no graph to query");
    return KG_OK;
}

int kg_query_prepare(kg_query **out, const kg_query_env *env, const char *text,
                     size_t len, kg_error *err)
{
    kg_query *q;
    kg_parser p;
    kg_error scratch;
    uint32_t nslots = 0;
    int rc;
    *out = NULL;
    if (!err) err = &scratch;
    kg_error_clear(err);
    if (len > KG_QUERY_MAX_LEN)
        return kg_error_set(err, KG_ELIMIT, "<query>", (kg_span){0, 0},
                            "query is longer than %u bytes", KG_QUERY_MAX_LEN);
    if (!(q = kg_calloc(1, sizeof *q)) || !(q->arena = kg_arena_new()) ||
        !(q->text = kg_arena_strndup(q->arena, text, len))) {
        kg_query_free(q);
        return kg_error_set(err, KG_ENOMEM, "<query>", (kg_span){0, 0},
                            "out of memory");
    }
    q->len = (uint32_t)len;
    q->env = env;
    kg_parse_init(&p, q->arena, q->text, q->len, err);
    rc = kg_parse_statement(&q->stmt, &p);
    q->lits = p.lits;
    q->nlits = p.nlits;
    if (rc < 0) goto failed;
    if ((rc = choose_graph(q, err)) < 0) goto failed;
    if ((rc = kg_bind(q->stmt, q->x.g, env->params, q->arena, q->text, q->len,
                      &nslots, err)) < 0)
        goto failed;
    if (q->stmt->writes && q->x.readonly) {
        rc = kg_error_set(err, KG_ETYPE, "<query>", q->stmt->use_span,
                          "a statement over another version (USE) cannot "
                          "write");
        goto failed;
    }
    q->plan.g = q->x.g;
    q->plan.arena = q->arena;
    q->plan.text = q->text;
    q->plan.len = q->len;
    q->plan.err = err;
    q->plan.nslots = nslots;
    if ((rc = kg_plan_build(&q->plan, q->stmt, &q->root, &q->colslots,
                            &q->colnames, &q->ncols)) < 0)
        goto failed;
    q->x.env = env;
    q->x.nslots = q->plan.nslots;
    q->x.text = q->text;
    q->x.len = q->len;
    q->x.profile = q->stmt->mode == AST_MODE_PROFILE;
    q->x.id_atom = KG_NONE;
    if (!(q->x.row = kg_calloc(q->x.nslots + 1, sizeof *q->x.row))) {
        rc = kg_error_set(err, KG_ENOMEM, "<query>", (kg_span){0, 0},
                          "out of memory");
        goto failed;
    }
    *out = q;
    return KG_OK;
failed:
    rc = fail(err, rc, q->text, q->len);
    kg_query_free(q);
    return rc;
}

static int explain_step(kg_query *q)
{
    const char *s, *nl;
    if (!q->started) {
        kg_explain__tree(&q->plan_text, q->root, &q->x, 0);
        q->started = 1;
    }
    if (!q->plan_text.data || q->plan_pos >= q->plan_text.len) {
        q->done = 1;
        return KG_DONE;
    }
    s = q->plan_text.data + q->plan_pos;
    nl = strchr(s, '\n');
    if (!nl) nl = s + strlen(s);
    kg_value_release(&q->line);
    q->line = kg_value_string(s, (size_t)(nl - s));
    q->plan_pos = (size_t)(nl - q->plan_text.data) + (*nl ? 1 : 0);
    return KG_ROW;
}

int kg_query_step(kg_query *q, kg_error *err)
{
    kg_error scratch;
    int rc;
    if (!q || q->done) return KG_DONE;
    if (!err) err = &scratch;
    kg_error_clear(err);
    if (q->stmt->mode == AST_MODE_EXPLAIN) return explain_step(q);
    q->x.err = err;
    if (!q->started) {
        q->started = 1;
        q->x.start_ns = kg_exec__now_ns();
        if ((rc = kg_exec__check(&q->x)) < 0) {
            q->done = 1;
            return rc;
        }
    }
    rc = kg_op__next(q->root, &q->x);
    /* a statement ending in an update returns no rows: run it to the end */
    while (rc == 1 && q->ncols == 0) rc = kg_op__next(q->root, &q->x);
    if (rc == 1) {
        if (q->env->max_rows && q->rows >= q->env->max_rows) {
            q->done = 1;
            return kg_exec__fail(&q->x, KG_ELIMIT, (kg_span){0, 0},
                                 "query returned more than %llu rows (the "
                                 "row limit)",
                                 (unsigned long long)q->env->max_rows);
        }
        q->rows++;
        return KG_ROW;
    }
    q->done = 1;
    if (rc < 0) {
        if (!err->code) err->code = rc;
        kg_error_locate(err, q->text, q->len);
        return rc;
    }
    return KG_DONE;
}

size_t kg_query_ncols(const kg_query *q)
{
    if (q->stmt->mode == AST_MODE_EXPLAIN) return 1;
    return q->ncols;
}

const char *kg_query_colname(const kg_query *q, size_t i)
{
    if (q->stmt->mode == AST_MODE_EXPLAIN) return i == 0 ? explain_cols[0] : NULL;
    return i < q->ncols ? q->colnames[i] : NULL;
}

const kg_value *kg_query_col(const kg_query *q, size_t i)
{
    if (q->stmt->mode == AST_MODE_EXPLAIN) return i == 0 ? &q->line : NULL;
    return i < q->ncols ? &q->x.row[q->colslots[i]] : NULL;
}

const kg_graph *kg_query_graph(const kg_query *q)
{
    return q->x.g;
}

int kg_query_writes(const kg_query *q)
{
    return q->stmt->writes;
}

int kg_query_mode(const kg_query *q)
{
    return q->stmt->mode == AST_MODE_EXPLAIN   ? KG_QUERY_EXPLAIN
           : q->stmt->mode == AST_MODE_PROFILE ? KG_QUERY_PROFILE
                                               : KG_QUERY_RUN;
}

void kg_query_stats_get(const kg_query *q, kg_query_stats *out)
{
    *out = q->x.stats;
}

int kg_query_explain(const kg_query *q, kg_buf *out, int profile)
{
    return kg_explain__tree(out, q->root, &q->x, profile);
}

void kg_query_free(kg_query *q)
{
    size_t i;
    if (!q) return;
    kg_op_free(q->root);
    kg_plan__free(&q->plan);
    if (q->x.row)
        for (i = 0; i < q->x.nslots; i++) kg_value_release(&q->x.row[i]);
    kg_free(q->x.row);
    kg_expr__regex_free(&q->x);
    kg_qv__cache_free(&q->x);
    for (i = 0; i < q->nlits; i++) kg_value_release(&q->lits[i]);
    kg_free(q->lits);
    kg_buf_free(&q->plan_text);
    kg_value_release(&q->line);
    kg_arena_free(q->arena);
    kg_free(q);
}
