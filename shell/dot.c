/* dot.c - dot-commands: one table for dispatch, usage, help and completion.
 *
 * Each command is a row of kg_dot_cmds[] (kept in name order, which also
 * decides abbreviations: the first row whose name starts with the word and
 * whose min_prefix it reaches wins, so ".he" is .headers as in sqlite3).
 * `.help` and `.help CMD` print from the same rows, completion reads the
 * argument kinds from them, and the argument counts are checked here before
 * a command runs, so no command can drift from its own usage line. This is
 * SQLite's shell with its if/else chain and separate azHelp[] folded into
 * one table (STYLE C8).
 *
 * Every dot_<name> below has a DOT-COMMAND / USAGE comment; every bad
 * argument names itself and prints "Usage:".
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "shell_int.h"

/* ---- helpers ---- */

static const kg_dot_cmd *find_cmd(const char *name);

static int usage(kg_shell *sh, const char *name, const char *fmt,
                 const char *arg)
{
    const kg_dot_cmd *c = find_cmd(name);

    kg_shell__errorf(sh, fmt, arg);
    if (c != NULL)
        fprintf(stderr, "Usage: .%s%s%s\n", c->name, c->usage[0] ? " " : "",
                c->usage);
    return KG_ESYNTAX;
}

/* on/off, yes/no, true/false, 1/0; -1 when none of them. */
static int parse_bool(const char *s)
{
    static const char *const yes[] = {"on", "yes", "true", "1"};
    static const char *const no[] = {"off", "no", "false", "0"};
    size_t i;

    for (i = 0; i < 4; i++) {
        if (kg_strcasecmp(s, yes[i]) == 0) return 1;
        if (kg_strcasecmp(s, no[i]) == 0) return 0;
    }
    return -1;
}

/* The raw text of rest from its k-th word on (words as the tokenizer
 * splits them), for commands whose last argument is free text. */
static const char *skip_words(const char *rest, int k)
{
    const char *p = rest;

    while (k-- > 0) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\'' || *p == '"') {
            char q = *p++;
            while (*p != '\0' && *p != q)
                p++;
            if (*p == q) p++;
        } else {
            while (*p != '\0' && *p != ' ' && *p != '\t')
                p++;
        }
    }
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

static int report(kg_shell *sh, kg_error *err)
{
    kg_shell__report(sh, err, NULL, 0, sh->pos);
    return err->code;
}

/* ---- output settings ---- */

/* DOT-COMMAND: .mode
 * USAGE: .mode ?MODE?   (no MODE: show the current one and the list) */
static int dot_mode(kg_shell *sh, int argc, char **argv, const char *rest)
{
    int m, i;

    if (argc == 1) {
        kg_out *o = kg_shell__out_begin(sh);
        kg_out__printf(o, "current mode: %s\n", kg_mode__info(sh->mode)->name);
        for (i = 0; i < KG_MODE__COUNT; i++)
            kg_out__printf(o, "  %-9s %s\n", kg_mode__info(i)->name,
                           kg_mode__info(i)->help);
        kg_shell__out_end(sh);
        return KG_OK;
    }
    m = kg_mode__find(argv[1]);
    if (m < 0) return usage(sh, "mode", "unknown mode '%s'", argv[1]);
    sh->mode = m;
    sh->headers = -1; /* each mode brings its own header default */
    return KG_OK;
}

/* DOT-COMMAND: .headers
 * USAGE: .headers on|off */
static int dot_headers(kg_shell *sh, int argc, char **argv, const char *rest)
{
    int b = parse_bool(argv[1]);

    if (b < 0)
        return usage(sh, "headers", "expected on or off, not '%s'", argv[1]);
    sh->headers = b;
    return KG_OK;
}

/* DOT-COMMAND: .maxrows
 * USAGE: .maxrows N   (0: every row) */
static int dot_maxrows(kg_shell *sh, int argc, char **argv, const char *rest)
{
    char *end;
    long n;

    errno = 0;
    n = strtol(argv[1], &end, 10);
    if (errno != 0 || *end != '\0' || end == argv[1] || n < 0)
        return usage(sh, "maxrows", "N must be a number >= 0, not '%s'",
                     argv[1]);
    sh->maxrows = (size_t)n;
    sh->maxrows_set = 1;
    return KG_OK;
}

/* DOT-COMMAND: .timer
 * USAGE: .timer on|off */
static int dot_timer(kg_shell *sh, int argc, char **argv, const char *rest)
{
    int b = parse_bool(argv[1]);

    if (b < 0)
        return usage(sh, "timer", "expected on or off, not '%s'", argv[1]);
    sh->timer = b;
    return KG_OK;
}

/* DOT-COMMAND: .limit
 * USAGE: .limit ?BOUND N?   (BOUND: rows, time in ms, memory in MiB; 0: none)
 * The bounds go into every query's kg_query_env; the executor stops a
 * query that passes one with a message naming the bound. */
static int dot_limit(kg_shell *sh, int argc, char **argv, const char *rest)
{
    char *end;
    unsigned long long n;

    if (argc == 1) {
        kg_out *o = kg_shell__out_begin(sh);
        kg_out__printf(o, "rows    %llu\n", (unsigned long long)sh->max_rows);
        kg_out__printf(o, "time    %llu ms\n", (unsigned long long)sh->max_ms);
        kg_out__printf(o, "memory  %llu MiB\n",
                       (unsigned long long)(sh->max_mem >> 20));
        kg_shell__out_end(sh);
        return KG_OK;
    }
    if (argc != 3) return usage(sh, "limit", "expected a bound and a number%s", "");
    errno = 0;
    n = strtoull(argv[2], &end, 10);
    if (errno != 0 || *end != '\0' || end == argv[2] || argv[2][0] == '-')
        return usage(sh, "limit", "N must be a number >= 0, not '%s'", argv[2]);
    if (strcmp(argv[1], "rows") == 0)
        sh->max_rows = n;
    else if (strcmp(argv[1], "time") == 0)
        sh->max_ms = n;
    else if (strcmp(argv[1], "memory") == 0 && n <= (SIZE_MAX >> 20))
        sh->max_mem = (size_t)n << 20;
    else
        return usage(sh, "limit", "unknown bound '%s' (rows, time, memory)",
                     argv[1]);
    return KG_OK;
}

/* DOT-COMMAND: .pager
 * USAGE: .pager on|off */
static int dot_pager(kg_shell *sh, int argc, char **argv, const char *rest)
{
    int b = parse_bool(argv[1]);

    if (b < 0)
        return usage(sh, "pager", "expected on or off, not '%s'", argv[1]);
    sh->pager = b;
    return KG_OK;
}

static FILE *open_out(kg_shell *sh, const char *name, const char *path)
{
    FILE *fp = fopen(path, "w");

    if (fp == NULL)
        kg_shell__errorf(sh, ".%s: cannot open %s: %s", name, path,
                         strerror(errno));
    return fp;
}

/* DOT-COMMAND: .output
 * USAGE: .output ?FILE?   (no FILE or "-": back to the standard output) */
static int dot_output(kg_shell *sh, int argc, char **argv, const char *rest)
{
    FILE *fp = NULL;

    if (argc == 2 && strcmp(argv[1], "-") != 0) {
        fp = open_out(sh, "output", argv[1]);
        if (fp == NULL) return KG_EIO;
    }
    if (sh->redirect != NULL && fclose(sh->redirect) != 0)
        kg_shell__errorf(sh, ".output: cannot write: %s", strerror(errno));
    sh->redirect = fp;
    return KG_OK;
}

/* DOT-COMMAND: .once
 * USAGE: .once FILE   (the next result only) */
static int dot_once(kg_shell *sh, int argc, char **argv, const char *rest)
{
    FILE *fp = open_out(sh, "once", argv[1]);

    if (fp == NULL) return KG_EIO;
    if (sh->once != NULL) fclose(sh->once);
    sh->once = fp;
    return KG_OK;
}

/* ---- parameters (params.c) ---- */

/* DOT-COMMAND: .param
 * USAGE: .param NAME VALUE | .param NAME | .param unset NAME | .param clear
 * VALUE as kg_param__parse reads it: JSON, 'quoted text', or the text. */
static int dot_param(kg_shell *sh, int argc, char **argv, const char *rest)
{
    kg_value v;
    const kg_value *cur;

    if (strcmp(argv[1], "clear") == 0 && argc == 2) {
        kg_value_release(&sh->params);
        return KG_OK;
    }
    if (strcmp(argv[1], "unset") == 0 && argc == 3) {
        int rc = kg_param__unset(sh, argv[2]);
        if (rc == KG_ENOTFOUND)
            return usage(sh, "param", "no parameter named '%s'", argv[2]);
        return rc;
    }
    if (!kg_param__valid_name(argv[1], strlen(argv[1])))
        return usage(sh, "param", "'%s' is not a parameter name", argv[1]);
    if (argc == 2) {
        if ((cur = kg_param__get(sh, argv[1])) == NULL)
            return usage(sh, "param", "no parameter named '%s'", argv[1]);
        kg_param__print(kg_shell__out_begin(sh), argv[1], cur);
        kg_shell__out_end(sh);
        return KG_OK;
    }
    if (kg_param__parse(&v, skip_words(rest, 1)) < 0 ||
        kg_param__set(sh, argv[1], strlen(argv[1]), v) < 0) {
        kg_shell__errorf(sh, "out of memory");
        return KG_ENOMEM;
    }
    return KG_OK;
}

/* DOT-COMMAND: .params
 * USAGE: .params   (list the parameters) */
static int dot_params(kg_shell *sh, int argc, char **argv, const char *rest)
{
    kg_param__list(sh);
    return KG_OK;
}

/* ---- files ---- */

/* DOT-COMMAND: .read
 * USAGE: .read FILE   (run its statements and dot-commands) */
static int dot_read(kg_shell *sh, int argc, char **argv, const char *rest)
{
    return kg_shell__run_file(sh, argv[1]);
}

/* ---- versions and data ---- */

/* DOT-COMMAND: .sync
 * USAGE: .sync ?--history? ?REF?   (bring the store up to date) */
static int dot_sync(kg_shell *sh, int argc, char **argv, const char *rest)
{
    kg_sync_result res;
    kg_error err;
    const char *ref = sh->opt_ref;
    int rc, i, history = sh->opt_history, given = 0;

    kg_error_clear(&err);
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--history") == 0) {
            sh->opt_history = 1;
        } else if (given++) {
            sh->opt_ref = ref;
            sh->opt_history = history;
            return usage(sh, "sync", "unexpected argument '%s'", argv[i]);
        } else {
            sh->opt_ref = argv[i];
        }
    }
    rc = kg_session__sync(sh, stdout, &res, &err);
    sh->opt_ref = ref;
    sh->opt_history = history;
    if (rc < 0) return report(sh, &err);
    if (res.errors > 0) kg_shell__fail(sh, KG_EXIT_DATA);
    return KG_OK;
}

/* DOT-COMMAND: .at
 * USAGE: .at REV   (a commit, tag, HEAD~N, #N; "latest" returns) */
static int dot_at(kg_shell *sh, int argc, char **argv, const char *rest)
{
    kg_error err;
    const kg_version_info *v;
    char sc[16], dt[32];

    kg_error_clear(&err);
    if (kg_session__set_version(sh, argv[1], &err) < 0) return report(sh, &err);
    v = kg_session__vinfo(sh, &err);
    if (v == NULL) return report(sh, &err);
    if (sh->interactive || sh->stdout_tty)
        kg_shell__notef(
            sh, "Now at version %lld (commit %s, %s)%s.", (long long)v->id,
            kg_session__short(v->commit, sc), kg_session__date(v->time, dt),
            sh->version == sh->latest ? ", the latest"
                                      : "; '.at latest' returns to the newest");
    return KG_OK;
}

static int simple(kg_shell *sh, int rc, kg_error *err)
{
    return rc < 0 ? report(sh, err) : KG_OK;
}

/* DOT-COMMAND: .status
 * USAGE: .status */
static int dot_status(kg_shell *sh, int argc, char **argv, const char *rest)
{
    kg_error err;
    kg_error_clear(&err);
    return simple(sh, kg_shell__status(sh, &err), &err);
}

/* DOT-COMMAND: .log
 * USAGE: .log ?N?   (the N newest versions) */
static int dot_log(kg_shell *sh, int argc, char **argv, const char *rest)
{
    kg_error err;
    long n = 0;
    char *end;

    if (argc == 2) {
        n = strtol(argv[1], &end, 10);
        if (*end != '\0' || n <= 0)
            return usage(sh, "log", "N must be a number > 0, not '%s'",
                         argv[1]);
    }
    kg_error_clear(&err);
    return simple(sh, kg_shell__log(sh, n, &err), &err);
}

/* DOT-COMMAND: .check
 * USAGE: .check   (every diagnostic of the current version) */
static int dot_check(kg_shell *sh, int argc, char **argv, const char *rest)
{
    kg_error err;
    size_t errors = 0;
    int rc;

    kg_error_clear(&err);
    rc = kg_shell__check(sh, &errors, &err);
    if (rc < 0) return report(sh, &err);
    if (errors > 0) kg_shell__fail(sh, KG_EXIT_DATA);
    return KG_OK;
}

/* DOT-COMMAND: .schema
 * USAGE: .schema */
static int dot_schema(kg_shell *sh, int argc, char **argv, const char *rest)
{
    kg_error err;
    kg_error_clear(&err);
    return simple(sh, kg_shell__schema(sh, &err), &err);
}

/* DOT-COMMAND: .history
 * USAGE: .history KEY */
static int dot_history(kg_shell *sh, int argc, char **argv, const char *rest)
{
    kg_error err;
    kg_error_clear(&err);
    return simple(sh, kg_shell__history(sh, argc == 2 ? argv[1] : rest, &err),
                  &err);
}

/* DOT-COMMAND: .diff
 * USAGE: .diff A B   (versions: commits, tags, #N, latest) */
static int dot_diff(kg_shell *sh, int argc, char **argv, const char *rest)
{
    kg_error err;
    kg_error_clear(&err);
    return simple(sh, kg_shell__diff(sh, argv[1], argv[2], &err), &err);
}

/* DOT-COMMAND: .show
 * USAGE: .show KEY   (a key, name or alias) */
static int dot_show(kg_shell *sh, int argc, char **argv, const char *rest)
{
    kg_error err;
    kg_error_clear(&err);
    return simple(sh, kg_shell__show(sh, argc == 2 ? argv[1] : rest, &err),
                  &err);
}

/* DOT-COMMAND: .search
 * USAGE: .search TEXT   (SQLite FTS5 syntax: words, "phrases", OR, prefix*) */
static int dot_search(kg_shell *sh, int argc, char **argv, const char *rest)
{
    kg_error err;
    kg_error_clear(&err);
    return simple(sh, kg_shell__search(sh, argc == 2 ? argv[1] : rest, 0, &err),
                  &err);
}

/* ---- results ---- */

/* DOT-COMMAND: .last
 * USAGE: .last   (the last result again, in the current mode) */
static int dot_last(kg_shell *sh, int argc, char **argv, const char *rest)
{
    if (sh->last.query == NULL) {
        kg_shell__errorf(sh, ".last: no query has run yet");
        return KG_ENOTFOUND;
    }
    return kg_shell__last(sh);
}

/* DOT-COMMAND: .explain
 * USAGE: .explain ?QUERY?   (the plan of QUERY, or of the last query) */
static int dot_explain(kg_shell *sh, int argc, char **argv, const char *rest)
{
    const char *text = argc > 1 ? rest : sh->last.query;

    if (text == NULL) {
        kg_shell__errorf(sh, ".explain: no query has run yet");
        return KG_ENOTFOUND;
    }
    return kg_shell__explain(sh, text);
}

/* Options and the query of .export / .render, after the fixed words. */
static int export_args(kg_shell *sh, kg_export_req *req, int first, int argc,
                       char **argv, const char *rest, const char *name)
{
    kg_error err;
    int i = first, r;

    kg_error_clear(&err);
    while (i < argc) {
        r = kg_shell__export_opt(req, argc, argv, &i, &err);
        if (r < 0) return usage(sh, name, "%s", err.msg);
        if (r == 0) break;
    }
    if (i < argc) {
        req->query = skip_words(rest, i - 1);
        if (sh->pos != NULL && sh->dot_raw != NULL) { /* errors point here */
            req->qpos = *sh->pos;
            req->qpos.col += 1 + (uint32_t)(req->query - sh->dot_raw);
        }
    } else {
        req->use_last = 1;
    }
    return KG_OK;
}

/* DOT-COMMAND: .export
 * USAGE: .export FORMAT FILE ?--hops N? ?--rankdir R? ?--cluster-by X? ?QUERY?
 * FORMAT: dot, graphml, json, csv, csv-gremlin, cypher; FILE "-" is the
 * standard output; csv formats write FILE as a directory of two files. The
 * subgraph is every node, relationship and path of the last result (or of
 * QUERY's rows). */
static int dot_export(kg_shell *sh, int argc, char **argv, const char *rest)
{
    kg_export_req req;
    kg_error err;
    int rc;

    memset(&req, 0, sizeof req);
    req.format = argv[1];
    req.output = strcmp(argv[2], "-") == 0 ? NULL : argv[2];
    if ((rc = export_args(sh, &req, 3, argc, argv, rest, "export")) < 0)
        return rc;
    kg_error_clear(&err);
    rc = kg_shell__export(sh, &req, &err);
    return rc < 0 ? report(sh, &err) : KG_OK;
}

/* DOT-COMMAND: .render
 * USAGE: .render FILE.svg|png|pdf ?--layout L? ?--hops N? ?QUERY?
 * Draws the last result (or QUERY's) with Graphviz. */
static int dot_render(kg_shell *sh, int argc, char **argv, const char *rest)
{
    kg_export_req req;
    kg_error err;
    int rc;

    memset(&req, 0, sizeof req);
    req.format = "dot";
    req.render = argv[1];
    if ((rc = export_args(sh, &req, 2, argc, argv, rest, "render")) < 0)
        return rc;
    kg_error_clear(&err);
    rc = kg_shell__export(sh, &req, &err);
    return rc < 0 ? report(sh, &err) : KG_OK;
}

/* ---- the shell ---- */

/* DOT-COMMAND: .quit (also .exit)
 * USAGE: .quit */
static int dot_quit(kg_shell *sh, int argc, char **argv, const char *rest)
{
    sh->quit = 1;
    return KG_OK;
}

static int dot_help(kg_shell *sh, int argc, char **argv, const char *rest);

/* ORDER: by name; abbreviations take the first row that matches. */
/* clang-format off */
static const kg_dot_cmd kg_dot_cmds[] = {
    {"at", 2, 1, 1, dot_at, "REV", "look at the graph as of version REV",
     "REV is a commit (full or short), a tag or branch, HEAD~N, #N (a\n"
     "version number) or 'latest', which returns to the newest version.\n"
     "The prompt shows the version while you look at an older one.",
     KG_ARG_REV, KG_ARG_NONE},
    {"check", 2, 0, 0, dot_check, "", "list the dataset's diagnostics", NULL,
     KG_ARG_NONE, KG_ARG_NONE},
    {"diff", 2, 2, 2, dot_diff, "A B", "what changed from version A to B",
     "Nodes and relationships added, removed, and changed property by\n"
     "property. A and B as for .at.", KG_ARG_REV, KG_ARG_REV},
    {"exit", 2, 0, 0, dot_quit, "", "leave the shell (as .quit)", NULL,
     KG_ARG_NONE, KG_ARG_NONE},
    {"explain", 3, 0, -1, dot_explain, "?QUERY?",
     "show the plan of QUERY or of the last query", NULL, KG_ARG_NONE,
     KG_ARG_NONE},
    {"export", 3, 2, -1, dot_export,
     "FORMAT FILE ?--hops N? ?--rankdir R? ?--cluster-by X? ?QUERY?",
     "export the last result (or QUERY's) as a graph",
     "FORMAT is dot, graphml, json, csv, csv-gremlin or cypher. FILE '-' is\n"
     "the standard output; the csv formats write FILE as a directory holding\n"
     "nodes.csv and edges.csv. The subgraph is every node, relationship and\n"
     "path in the rows; --hops N grows it N steps along edges either way.\n"
     "--rankdir (LR, TB, ...) and --cluster-by (a property or edge type)\n"
     "shape DOT output.", KG_ARG_FORMAT, KG_ARG_FILE},
    {"headers", 2, 1, 1, dot_headers, "on|off", "show column names", NULL,
     KG_ARG_ONOFF, KG_ARG_NONE},
    {"help", 1, 0, 1, dot_help, "?COMMAND?", "list commands, or explain one",
     NULL, KG_ARG_CMD, KG_ARG_NONE},
    {"history", 3, 1, -1, dot_history, "KEY",
     "the versions in which a node changed", NULL, KG_ARG_KEY, KG_ARG_NONE},
    {"last", 2, 0, 0, dot_last, "", "show the last result again", 
     "In the current mode: run a query, then '.mode json' and '.last'.",
     KG_ARG_NONE, KG_ARG_NONE},
    {"limit", 3, 0, 2, dot_limit, "?BOUND N?",
     "bound every query's rows, time (ms) or memory (MiB); 0: none",
     "BOUND is rows, time (ms) or memory (MiB). With no argument, show the\n"
     "bounds. A query that passes one stops with\n"
     "a message naming it; the defaults are no row or time bound and\n"
     "2048 MiB of memory.", KG_ARG_NONE, KG_ARG_NONE},
    {"log", 2, 0, 1, dot_log, "?N?", "versions, newest first", NULL,
     KG_ARG_NONE, KG_ARG_NONE},
    {"maxrows", 2, 1, 1, dot_maxrows, "N",
     "show the first and last rows of longer results (0: all)", NULL,
     KG_ARG_NONE, KG_ARG_NONE},
    {"mode", 2, 0, 1, dot_mode, "?MODE?",
     "how results print: box table markdown csv tsv json jsonl line", NULL,
     KG_ARG_MODE, KG_ARG_NONE},
    {"once", 2, 1, 1, dot_once, "FILE", "send the next result to FILE", NULL,
     KG_ARG_FILE, KG_ARG_NONE},
    {"output", 2, 0, 1, dot_output, "?FILE?",
     "send results to FILE (no FILE: back to the screen)", NULL, KG_ARG_FILE,
     KG_ARG_NONE},
    {"pager", 3, 1, 1, dot_pager, "on|off",
     "page results taller than the screen through $PAGER", NULL,
     KG_ARG_ONOFF, KG_ARG_NONE},
    {"param", 5, 1, -1, dot_param, "NAME VALUE | unset NAME | clear",
     "set $NAME for queries",
     "VALUE is JSON (42, \"text\", [1, 2], {\"a\": 1}, true, null), 'quoted\n"
     "text', or else the rest of the line as text. '.param NAME' shows one.",
     KG_ARG_PARAM, KG_ARG_NONE},
    {"params", 6, 0, 0, dot_params, "", "list the parameters", NULL,
     KG_ARG_NONE, KG_ARG_NONE},
    {"quit", 1, 0, 0, dot_quit, "", "leave the shell (also Ctrl-D)", NULL,
     KG_ARG_NONE, KG_ARG_NONE},
    {"read", 2, 1, 1, dot_read, "FILE", "run the statements in FILE", NULL,
     KG_ARG_FILE, KG_ARG_NONE},
    {"render", 3, 1, -1, dot_render,
     "FILE.svg|png|pdf ?--layout L? ?--hops N? ?QUERY?",
     "draw the last result (or QUERY's) with Graphviz",
     "The layout engine is dot for small graphs and sfdp for large ones;\n"
     "--layout chooses (dot, sfdp, neato, fdp, circo, twopi).", KG_ARG_FILE,
     KG_ARG_NONE},
    {"schema", 2, 0, 0, dot_schema, "",
     "labels, relationship types and property keys, with counts", NULL,
     KG_ARG_NONE, KG_ARG_NONE},
    {"search", 3, 1, -1, dot_search, "TEXT",
     "full-text search of names and note text",
     "TEXT uses SQLite FTS5 syntax: words, \"a phrase\", OR, NOT, prefix*.",
     KG_ARG_NONE, KG_ARG_NONE},
    {"show", 2, 1, -1, dot_show, "KEY",
     "a node's card: labels, properties, edges, text", 
     "KEY is a node key, name or alias. The card lists where the node and\n"
     "each edge were declared (file:line).", KG_ARG_KEY, KG_ARG_NONE},
    {"status", 3, 0, 0, dot_status, "",
     "the store: source, version, counts, diagnostics", NULL, KG_ARG_NONE,
     KG_ARG_NONE},
    {"sync", 2, 0, 2, dot_sync, "?REF?",
     "bring the store up to date with the repository",
     "'.sync --history ?REF?' records one version per commit that changed\n"
     "the dataset since the last sync (first-parent), not one for all.",
     KG_ARG_REV, KG_ARG_NONE},
    {"timer", 1, 1, 1, dot_timer, "on|off", "show how long each query took",
     NULL, KG_ARG_ONOFF, KG_ARG_NONE},
};
/* clang-format on */

#define NCMDS (sizeof kg_dot_cmds / sizeof kg_dot_cmds[0])

const kg_dot_cmd *kg_dot__table(size_t *n)
{
    *n = NCMDS;
    return kg_dot_cmds;
}

static const kg_dot_cmd *find_cmd(const char *name)
{
    size_t i, len = strlen(name);

    for (i = 0; i < NCMDS; i++)
        if (strcmp(kg_dot_cmds[i].name, name) == 0) return &kg_dot_cmds[i];
    for (i = 0; i < NCMDS; i++)
        if (len >= (size_t)kg_dot_cmds[i].min_prefix &&
            strncmp(kg_dot_cmds[i].name, name, len) == 0)
            return &kg_dot_cmds[i];
    return NULL;
}

/* Edit distance, for "did you mean". Names are short: a 32-wide row. */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), i, j, prev, cur, row[33];

    if (la > 32 || lb > 32) return 99;
    for (j = 0; j <= lb; j++)
        row[j] = j;
    for (i = 1; i <= la; i++) {
        prev = row[0];
        row[0] = i;
        for (j = 1; j <= lb; j++) {
            cur = row[j];
            row[j] =
                a[i - 1] == b[j - 1]
                    ? prev
                    : 1 + (prev < row[j - 1]
                               ? (prev < row[j] ? prev : row[j])
                               : (row[j - 1] < row[j] ? row[j - 1] : row[j]));
            prev = cur;
        }
    }
    return row[lb];
}

static const kg_dot_cmd *closest(const char *name)
{
    size_t i, d, best = 3;
    const kg_dot_cmd *c = NULL;

    for (i = 0; i < NCMDS; i++) {
        d = distance(name, kg_dot_cmds[i].name);
        if (d < best) {
            best = d;
            c = &kg_dot_cmds[i];
        }
    }
    return c;
}

/* DOT-COMMAND: .help
 * USAGE: .help ?COMMAND? */
static int dot_help(kg_shell *sh, int argc, char **argv, const char *rest)
{
    kg_out *o;
    const kg_dot_cmd *c;
    size_t i, w, width = 0;
    char head[128];

    if (argc == 2) {
        c = find_cmd(argv[1][0] == '.' ? argv[1] + 1 : argv[1]);
        if (c == NULL) return usage(sh, "help", "no command '%s'", argv[1]);
        o = kg_shell__out_begin(sh);
        kg_out__printf(o, ".%s%s%s\n    %s\n", c->name, c->usage[0] ? " " : "",
                       c->usage, c->help);
        if (c->details != NULL) {
            const char *p = c->details, *nl;
            while (*p) {
                nl = strchr(p, '\n');
                if (nl == NULL) nl = p + strlen(p);
                kg_out__printf(o, "    %.*s\n", (int)(nl - p), p);
                p = *nl ? nl + 1 : nl;
            }
        }
        kg_shell__out_end(sh);
        return KG_OK;
    }
    for (i = 0; i < NCMDS; i++) {
        snprintf(head, sizeof head, ".%s %s", kg_dot_cmds[i].name,
                 kg_dot_cmds[i].usage);
        w = strlen(head);
        if (w > width && w <= 28) width = w;
    }
    o = kg_shell__out_begin(sh);
    for (i = 0; i < NCMDS; i++) {
        snprintf(head, sizeof head, ".%s %s", kg_dot_cmds[i].name,
                 kg_dot_cmds[i].usage);
        if (strlen(head) > width)
            snprintf(head, sizeof head, ".%s ...", kg_dot_cmds[i].name);
        kg_out__printf(o, "%-*s  %s\n", (int)width, head, kg_dot_cmds[i].help);
    }
    kg_out__puts(
        o,
        "\nStatements end with ';' and may span lines; an empty line runs a\n"
        "statement that only lacks its ';'. Ctrl-C cancels, Ctrl-D leaves.\n"
        "'.help CMD' tells more about one command.\n");
    kg_shell__out_end(sh);
    return KG_OK;
}

/* ---- dispatch ---- */

/* Split a dot-command line into words: blanks separate, '...' and "..."
 * group (a backslash escapes inside "..."). Returns the word count or -1. */
static int tokenize(char *s, char **argv, int max)
{
    int argc = 0;
    char *out;

    while (*s != '\0') {
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s == '\0') break;
        if (argc == max) return -1;
        if (*s == '\'' || *s == '"') {
            char q = *s++;
            argv[argc++] = out = s;
            while (*s != '\0' && *s != q) {
                if (q == '"' && *s == '\\' && s[1] != '\0') s++;
                *out++ = *s++;
            }
            if (*s == q) s++;
            *out = '\0'; /* out trails s: this never clobbers unread text */
        } else {
            argv[argc++] = s;
            while (*s != '\0' && *s != ' ' && *s != '\t')
                s++;
            if (*s != '\0') *s++ = '\0';
        }
    }
    return argc;
}

int kg_dot__run(kg_shell *sh, const char *line, size_t len,
                const kg_srcpos *pos)
{
    /* pos is for messages; kg_feed sets sh->pos to it as well */
    char *copy = kg_strndup(line + 1, len - 1), *argv[KG_SHELL_MAX_ARGS];
    char *raw = kg_strndup(line + 1, len - 1); /* line need not end in NUL */
    const char *rest;
    const kg_dot_cmd *c, *near;
    int argc, rc = KG_OK;

    if (copy == NULL || raw == NULL) {
        kg_free(copy);
        kg_free(raw);
        kg_shell__errorf(sh, "out of memory");
        return KG_ENOMEM;
    }
    argc = tokenize(copy, argv, (int)KG_SHELL_MAX_ARGS);
    if (argc < 0) {
        kg_shell__errorf(sh, "more than %u words on one line",
                         KG_SHELL_MAX_ARGS);
        rc = KG_ELIMIT;
        goto done;
    }
    if (argc == 0) {
        kg_shell__errorf(sh, "'.' alone is not a command; try .help");
        rc = KG_ESYNTAX;
        goto done;
    }
    c = find_cmd(argv[0]);
    if (c == NULL) {
        near = closest(argv[0]);
        if (near != NULL)
            kg_shell__errorf(sh, "unknown command '.%s'; did you mean '.%s'?",
                             argv[0], near->name);
        else
            kg_shell__errorf(sh, "unknown command '.%s'; .help lists them",
                             argv[0]);
        rc = KG_ESYNTAX;
        goto done;
    }
    if (argc - 1 < c->min_args ||
        (c->max_args >= 0 && argc - 1 > c->max_args)) {
        rc = usage(sh, c->name,
                   argc - 1 < c->min_args ? ".%s: missing argument"
                                          : ".%s: too many arguments",
                   c->name);
        goto done;
    }
    rest = skip_words(raw, 1);
    sh->dot_raw = raw;
    rc = c->fn(sh, argc, argv, rest);
    sh->dot_raw = NULL;
done:
    kg_free(copy);
    kg_free(raw);
    return rc;
}
