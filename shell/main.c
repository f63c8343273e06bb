/* main.c - kgsh's command line: options, subcommands, their --help.
 *
 * kgsh [OPTIONS] [SUBCOMMAND [ARGS]] or kgsh [OPTIONS] [FILE]. Options may
 * come before or after the subcommand (git's habit, which people expect);
 * each subcommand adds its own. A usage error says what was wrong and how
 * to get help, and exits 2; the exit codes are kg_exit in kg_shell.h.
 *
 * What runs at start is kept to the minimum a statement needs: no libedit,
 * history or rc file unless the shell is interactive, no git unless a sync
 * runs, and the graph loaded only when something asks for it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shell_int.h"

typedef enum {
    CMD_NONE,
    CMD_SHELL,
    CMD_QUERY,
    CMD_SYNC,
    CMD_STATUS,
    CMD_LOG,
    CMD_CHECK,
    CMD_SHOW,
    CMD_SEARCH,
    CMD_EXPORT,
    CMD_HELP
} cmd_id; /* ORDER CMD */

typedef struct {
    const char *name;
    const char *args;
    const char *what;
    const char *options; /* subcommand options, one per line, or NULL */
} cmd_info;

static const cmd_info cmds[] = {
    /* ORDER CMD */
    {NULL, NULL, NULL, NULL},
    {"shell", "", "the interactive shell (the default on a terminal)", NULL},
    {"query", "[QUERY]",
     "run QUERY (or the statements on stdin) and print "
     "the result",
     NULL},
    {"sync", "", "bring the store up to date with the repository",
     "  --ref REV         the revision to sync (default HEAD)\n"
     "  --worktree        include uncommitted edits of a local work tree\n"
     "  --history         one version per commit since the last sync\n"
     "                    (first-parent), not one for all of them\n"},
    {"status", "",
     "source, ref, commit, version, counts, diagnostics, "
     "fingerprint",
     NULL},
    {"log", "", "versions, newest first, with what each changed",
     "  -n, --limit N     only the N newest versions\n"},
    {"check", "", "print every diagnostic; exit 3 when there are errors", NULL},
    {"show", "KEY", "a node's card: labels, properties, edges, text", NULL},
    {"search", "TEXT", "full-text search of names and note text (FTS5 syntax)",
     "  --limit N         at most N hits\n"},
    {"export", "[QUERY]", "export the graph, or the subgraph of QUERY's rows",
     "  --format F        dot, graphml, json, csv, csv-gremlin, cypher\n"
     "                    (default: from -o's extension, else dot)\n"
     "  -o, --output PATH a file; a directory for the csv formats\n"
     "  --hops N          grow the subgraph N steps along edges\n"
     "  --rankdir R       DOT: LR, TB, RL or BT\n"
     "  --cluster-by X    DOT: group nodes by a property or edge type\n"
     "  --title T         DOT: the graph's label\n"
     "  --render FILE     draw with Graphviz: FILE.svg, .png or .pdf\n"
     "  --layout L        dot, sfdp, neato, fdp, circo, twopi (default by "
     "size)\n"},
    {"help", "[SUBCOMMAND]", "this help, or a subcommand's", NULL},
};

#define NCMDS (sizeof cmds / sizeof cmds[0])

static const char global_options[] =
    "  -c, --command TEXT   run TEXT (statements and dot-command lines)\n"
    "  --db FILE            the store (default $XDG_DATA_HOME/kgsh/NAME.db)\n"
    "  --dataset SOURCE     a git repository, path or URL (default: bundled)\n"
    "  --subdir DIR         only this folder of the repository\n"
    "  --at REV             look at the version synced from REV\n"
    "  --mode MODE          box table markdown csv tsv json jsonl line\n"
    "                       (default: box on a terminal, else csv)\n"
    "  --headers, --no-headers   column names on or off\n"
    "  --maxrows N          head and tail of longer results (0: all)\n"
    "  --param NAME=VALUE   set $NAME (VALUE as for .param); repeatable\n"
    "  --bail               stop at the first error\n"
    "  --init FILE          run FILE first (instead of ~/.kgshrc)\n"
    "  --no-init            do not read ~/.kgshrc\n"
    "  --timer              print each statement's time\n"
    "  --no-pager           never page results\n"
    "  -h, --help           this help;  -V, --version   the version\n";

static void print_help(FILE *fp, cmd_id c)
{
    size_t i;

    if (c != CMD_NONE && c != CMD_HELP) {
        fprintf(fp, "Usage: kgsh %s [OPTIONS]%s%s\n\n%c%s.\n", cmds[c].name,
                cmds[c].args[0] ? " " : "", cmds[c].args,
                cmds[c].what[0] - 'a' + 'A', cmds[c].what + 1);
        if (cmds[c].options != NULL)
            fprintf(fp, "\nOptions:\n%s", cmds[c].options);
        fprintf(fp, "\nGlobal options:\n%s", global_options);
        return;
    }
    fprintf(fp, "Usage: kgsh [OPTIONS] [SUBCOMMAND [ARGS]]\n"
                "       kgsh [OPTIONS] FILE.cypher\n"
                "       ... | kgsh [OPTIONS]\n\n"
                "An offline knowledge graph shell: notes and tables in a git\n"
                "repository, queried with Cypher.\n\nSubcommands:\n");
    for (i = 1; i < NCMDS; i++)
        fprintf(fp, "  %-7s %-13s %s\n", cmds[i].name, cmds[i].args,
                cmds[i].what);
    fprintf(fp,
            "\nOptions:\n%s\nExit status: 0 ok, 1 query or data error, "
            "2 usage or system error,\n3 errors in the dataset (check, "
            "sync). See kgsh(1).\n",
            global_options);
}

/* ---- parsing ---- */

typedef struct {
    cmd_id cmd;
    const char *command; /* -c */
    const char *file;    /* kgsh FILE */
    const char *mode, *init;
    int no_init, help, version, headers, timer, no_pager;
    long maxrows;
    long limit;
    char **params; /* NAME=VALUE */
    int nparams;
    char **pos; /* the subcommand's positional arguments */
    int npos;
    kg_export_req ex;
} args;

static int bad_usage(const char *fmt, const char *arg)
{
    fputs("kgsh: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'kgsh --help'.\n", stderr);
    return KG_EXIT_USAGE;
}

static cmd_id find_cmd(const char *s)
{
    size_t i;

    for (i = 1; i < NCMDS; i++)
        if (strcmp(cmds[i].name, s) == 0) return (cmd_id)i;
    return CMD_NONE;
}

/* "--name VALUE" or "--name=VALUE" for one of two spellings. */
static int value_of(int argc, char **argv, int *i, const char *a, const char *b,
                    const char **out)
{
    const char *s = argv[*i];
    const char *names[2];
    size_t k, n;

    names[0] = a;
    names[1] = b;
    for (k = 0; k < 2; k++) {
        if (names[k] == NULL) continue;
        n = strlen(names[k]);
        if (strncmp(s, names[k], n) != 0) continue;
        if (s[n] == '=' && names[k][1] == '-') {
            *out = s + n + 1;
            return 1;
        }
        if (s[n] != '\0') continue;
        if (*i + 1 >= argc) return -1;
        *out = argv[++*i];
        return 1;
    }
    return 0;
}

static int parse_long(const char *s, long *out)
{
    char *end;

    errno = 0;
    *out = strtol(s, &end, 10);
    return errno == 0 && end != s && *end == '\0' && *out >= 0;
}

/* One option at argv[*i] into a (or sh's options); 0 when it is not one,
 * -1 on error (reported). */
static int option(kg_shell *sh, args *a, int argc, char **argv, int *i)
{
    static const struct {
        const char *l, *s;
        int kind;
    } valued[] = {
        {"--command", "-c", 0}, {"--db", NULL, 1},    {"--dataset", NULL, 2},
        {"--subdir", NULL, 3},  {"--at", NULL, 4},    {"--mode", NULL, 5},
        {"--param", NULL, 6},   {"--init", NULL, 7},  {"--maxrows", NULL, 8},
        {"--ref", NULL, 9},     {"--limit", "-n", 10}};
    const char *s = argv[*i], *v = NULL;
    size_t k;
    int r;
    kg_error err;

    if (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0)
        a->help = 1;
    else if (strcmp(s, "-V") == 0 || strcmp(s, "--version") == 0)
        a->version = 1;
    else if (strcmp(s, "--bail") == 0)
        sh->bail = 1;
    else if (strcmp(s, "--no-init") == 0)
        a->no_init = 1;
    else if (strcmp(s, "--headers") == 0)
        a->headers = 1;
    else if (strcmp(s, "--no-headers") == 0)
        a->headers = 0;
    else if (strcmp(s, "--timer") == 0)
        a->timer = 1;
    else if (strcmp(s, "--no-pager") == 0)
        a->no_pager = 1;
    else if (strcmp(s, "--worktree") == 0)
        sh->opt_worktree = 1;
    else if (strcmp(s, "--history") == 0)
        sh->opt_history = 1;
    else {
        for (k = 0; k < sizeof valued / sizeof valued[0]; k++) {
            r = value_of(argc, argv, i, valued[k].l, valued[k].s, &v);
            if (r < 0) return bad_usage("option '%s' needs a value", s), -1;
            if (r > 0) break;
        }
        if (k == sizeof valued / sizeof valued[0]) {
            if (a->cmd != CMD_EXPORT) return 0;
            kg_error_clear(&err);
            r = kg_shell__export_opt(&a->ex, argc, argv, i, &err);
            if (r < 0) return bad_usage("%s", err.msg), -1;
            if (r > 0) (*i)--; /* the caller steps past the last word */
            return r;
        }
        switch (valued[k].kind) {
        case 0:
            a->command = v;
            break;
        case 1:
            sh->opt_db = v;
            break;
        case 2:
            sh->opt_source = v;
            break;
        case 3:
            sh->opt_subdir = v;
            break;
        case 4:
            sh->opt_at = v;
            break;
        case 5:
            a->mode = v;
            break;
        case 6:
            a->params[a->nparams++] = (char *)v;
            break;
        case 7:
            a->init = v;
            break;
        case 8:
            if (!parse_long(v, &a->maxrows))
                return bad_usage("--maxrows needs a number >= 0, not '%s'", v),
                       -1;
            break;
        case 9:
            sh->opt_ref = v;
            break;
        default:
            if (!parse_long(v, &a->limit) || a->limit == 0)
                return bad_usage("--limit needs a number > 0, not '%s'", v), -1;
            break;
        }
    }
    return 1;
}

static int parse_args(kg_shell *sh, args *a, int argc, char **argv)
{
    int i, r, only_pos = 0;

    memset(a, 0, sizeof *a);
    a->headers = -1;
    a->maxrows = -1;
    a->params = kg_calloc((size_t)argc + 1, sizeof *a->params);
    a->pos = kg_calloc((size_t)argc + 1, sizeof *a->pos);
    if (a->params == NULL || a->pos == NULL) {
        fputs("kgsh: out of memory\n", stderr);
        return -1;
    }
    for (i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (!only_pos && strcmp(s, "--") == 0) {
            only_pos = 1;
            continue;
        }
        if (!only_pos && s[0] == '-' && s[1] != '\0') {
            r = option(sh, a, argc, argv, &i);
            if (r < 0) return -1;
            if (r == 0) {
                bad_usage("unknown option '%s'", s);
                return -1;
            }
            continue;
        }
        if (a->cmd == CMD_NONE && a->file == NULL && a->command == NULL &&
            (a->cmd = find_cmd(s)) != CMD_NONE)
            continue;
        if (a->cmd == CMD_NONE && a->file == NULL && a->command == NULL) {
            a->file = s;
            continue;
        }
        a->pos[a->npos++] = argv[i];
    }
    return 0;
}

/* ---- running ---- */

static int set_params(kg_shell *sh, const args *a)
{
    int i;

    for (i = 0; i < a->nparams; i++) {
        char *eq = strchr(a->params[i], '=');
        kg_value v;
        if (eq == NULL ||
            !kg_param__valid_name(a->params[i], (size_t)(eq - a->params[i])))
            return bad_usage("--param needs NAME=VALUE, not '%s'",
                             a->params[i]);
        if (kg_param__parse(&v, eq + 1) < 0 ||
            kg_param__set(sh, a->params[i], (size_t)(eq - a->params[i]), v) <
                0) {
            fputs("kgsh: out of memory\n", stderr);
            return KG_EXIT_USAGE;
        }
    }
    return KG_EXIT_OK;
}

static void run_init(kg_shell *sh, const args *a)
{
    const char *home = getenv("HOME");
    kg_buf path = KG_BUF_INIT;
    struct stat sb;

    if (a->init != NULL) {
        if (kg_shell__run_file(sh, a->init) < 0)
            kg_shell__fail(sh, KG_EXIT_USAGE);
        return;
    }
    if (a->no_init || !sh->interactive || home == NULL) return;
    kg_buf_printf(&path, "%s/.kgshrc", home);
    if (!path.oom && stat(path.data, &sb) == 0)
        kg_shell__run_file(sh, path.data);
    kg_buf_free(&path);
}

/* Join words with spaces (search TEXT may come unquoted). */
static char *join(char **v, int n)
{
    kg_buf b = KG_BUF_INIT;
    int i;

    for (i = 0; i < n; i++) {
        if (i > 0) kg_buf_putc(&b, ' ');
        kg_buf_puts(&b, v[i]);
    }
    return b.oom ? (kg_buf_free(&b), NULL) : kg_buf_detach(&b);
}

static const char *format_from_path(const char *path)
{
    const char *dot = path != NULL ? strrchr(path, '.') : NULL;

    if (dot == NULL) return "dot";
    if (strcmp(dot, ".graphml") == 0) return "graphml";
    if (strcmp(dot, ".json") == 0) return "json";
    if (strcmp(dot, ".cypher") == 0 || strcmp(dot, ".cyp") == 0)
        return "cypher";
    return "dot";
}

static int run_cmd(kg_shell *sh, args *a)
{
    kg_error err;
    kg_sync_result res;
    size_t errors = 0;
    char *text = NULL;
    int rc = KG_OK;

    kg_error_clear(&err);
    switch (a->cmd) {
    case CMD_SYNC:
        /* a sync that cannot run (no such ref, not a repository) is a
         * usage or system error; errors in the data are 3 */
        rc = kg_session__sync(sh, stdout, &res, &err);
        if (rc < 0) {
            kg_shell__report(sh, &err, NULL, 0, NULL);
            kg_shell__fail(sh, KG_EXIT_USAGE);
            rc = KG_OK;
        } else if (res.errors > 0) {
            kg_shell__fail(sh, KG_EXIT_DATA);
        }
        break;
    case CMD_STATUS:
        rc = kg_shell__status(sh, &err);
        break;
    case CMD_LOG:
        rc = kg_shell__log(sh, a->limit, &err);
        break;
    case CMD_CHECK:
        rc = kg_shell__check(sh, &errors, &err);
        if (rc == KG_OK && errors > 0) kg_shell__fail(sh, KG_EXIT_DATA);
        break;
    case CMD_SHOW:
    case CMD_SEARCH:
        text = join(a->pos, a->npos);
        if (text == NULL) return KG_EXIT_USAGE;
        rc = a->cmd == CMD_SHOW ? kg_shell__show(sh, text, &err)
                                : kg_shell__search(sh, text, a->limit, &err);
        break;
    case CMD_EXPORT:
        if (a->ex.format == NULL) a->ex.format = format_from_path(a->ex.output);
        text = a->npos > 0 ? join(a->pos, a->npos) : NULL;
        a->ex.query = text;
        rc = kg_shell__export(sh, &a->ex, &err);
        break;
    default:
        break;
    }
    if (rc < 0) kg_shell__report(sh, &err, NULL, 0, NULL);
    kg_free(text);
    return sh->status;
}

/* Every usage error is found before the store is opened: a typo must not
 * cost a first-run sync, and must exit 2 whatever state the store is in. */
static int validate(kg_shell *sh, args *a)
{
    int rc;

    if ((rc = set_params(sh, a)) != KG_EXIT_OK) return rc;
    if (a->command != NULL && a->npos > 0)
        return bad_usage("unexpected argument '%s' after -c", a->pos[0]);
    if (a->file != NULL) {
        if (a->npos > 0)
            return bad_usage("unexpected argument '%s'", a->pos[0]);
        if (access(a->file, R_OK) != 0) {
            fprintf(stderr, "kgsh: cannot open %s: %s\n", a->file,
                    strerror(errno));
            return KG_EXIT_USAGE;
        }
    }
    switch (a->cmd) {
    case CMD_SHOW:
    case CMD_SEARCH:
        if (a->npos == 0)
            return bad_usage("%s needs an argument", cmds[a->cmd].name);
        break;
    case CMD_QUERY:
    case CMD_EXPORT:
        break;
    default:
        if (a->npos > 0)
            return bad_usage("unexpected argument '%s'", a->pos[0]);
        break;
    }
    return KG_EXIT_OK;
}

static int run(kg_shell *sh, args *a)
{
    kg_error err;
    int rc, may_sync = a->cmd != CMD_SYNC;
    char *text;

    if ((rc = validate(sh, a)) != KG_EXIT_OK) return rc;
    kg_error_clear(&err);
    if ((rc = kg_session__open(sh, may_sync, &err)) < 0) {
        kg_shell__report(sh, &err, NULL, 0, NULL);
        return kg_shell__exit_code(rc) == KG_EXIT_ERROR ? KG_EXIT_ERROR
                                                        : KG_EXIT_USAGE;
    }
    run_init(sh, a);
    if (sh->quit) return sh->status;
    if (a->command != NULL)
        return kg_shell__run_string(sh, a->command, "<query>");
    if (a->file != NULL) {
        if (kg_shell__run_file(sh, a->file) < 0) return KG_EXIT_USAGE;
        return sh->status;
    }
    switch (a->cmd) {
    case CMD_QUERY:
        if (a->npos == 0) return kg_shell__run_stream(sh, stdin, "<stdin>");
        if ((text = join(a->pos, a->npos)) == NULL) return KG_EXIT_USAGE;
        rc = kg_shell__run_string(sh, text, "<query>");
        kg_free(text);
        return rc;
    case CMD_NONE:
    case CMD_SHELL:
        if (sh->interactive) return kg_repl__run(sh);
        return kg_shell__run_stream(sh, stdin, "<stdin>");
    default:
        return run_cmd(sh, a);
    }
}

static void settings(kg_shell *sh, const args *a)
{
    sh->stdin_tty = isatty(STDIN_FILENO);
    sh->stdout_tty = isatty(STDOUT_FILENO);
    sh->stderr_tty = isatty(STDERR_FILENO);
    sh->color = kg_out__color_ok(STDOUT_FILENO);
    sh->ecolor = kg_out__color_ok(STDERR_FILENO);
    sh->interactive = sh->stdin_tty && a->command == NULL && a->file == NULL &&
                      (a->cmd == CMD_NONE || a->cmd == CMD_SHELL);
    /* a terminal gets a box; a pipe gets CSV with a header, which every
     * language reads and which survives commas and quotes in note text */
    sh->mode = sh->stdout_tty ? KG_MODE_BOX : KG_MODE_CSV;
    sh->headers = a->headers;
    sh->maxrows = KG_SHELL_MAXROWS;
    if (a->maxrows >= 0) {
        sh->maxrows = (size_t)a->maxrows;
        sh->maxrows_set = 1;
    }
    sh->timer = a->timer;
    sh->pager = !a->no_pager;
    sh->max_mem = (size_t)KG_SHELL_MAX_MEM_MB << 20;
}

int kg_shell_run(int argc, char **argv)
{
    kg_shell sh;
    args a;
    int rc;

    memset(&sh, 0, sizeof sh);
    if (parse_args(&sh, &a, argc, argv) < 0) {
        rc = KG_EXIT_USAGE;
        goto done;
    }
    if (a.help || a.cmd == CMD_HELP) {
        cmd_id c = a.cmd;
        if (a.cmd == CMD_HELP && a.npos > 0 &&
            (c = find_cmd(a.pos[0])) == CMD_NONE) {
            rc = bad_usage("no subcommand '%s'", a.pos[0]);
            goto done;
        }
        print_help(stdout, c);
        rc = KG_EXIT_OK;
        goto done;
    }
    if (a.version) {
        printf("kgsh %s\n", KG_VERSION);
        rc = KG_EXIT_OK;
        goto done;
    }
    settings(&sh, &a);
    if (a.mode != NULL) {
        int m = kg_mode__find(a.mode);
        if (m < 0) {
            rc = bad_usage("unknown mode '%s' (box, table, markdown, csv, tsv, "
                           "json, jsonl, line)",
                           a.mode);
            goto done;
        }
        sh.mode = m;
    }
    kg_shell__signals(&sh);
    rc = run(&sh, &a);
    /* a person at the prompt saw each error; leaving is not one */
    if (!sh.interactive && rc < sh.status) rc = sh.status;
done:
    if (sh.redirect != NULL) fclose(sh.redirect);
    if (sh.once != NULL) fclose(sh.once);
    kg_result__free(&sh.last);
    kg_value_release(&sh.params);
    kg_buf_free(&sh.capture);
    kg_session__close(&sh);
    kg_free(a.params);
    kg_free(a.pos);
    return rc;
}

int main(int argc, char **argv)
{
    return kg_shell_run(argc, argv);
}
