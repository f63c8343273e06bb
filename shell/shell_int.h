/* shell_int.h - what the files of shell/ share, and nothing else includes.
 *
 * The shell is a few layers, each its own file:
 *   main.c      argv, global options, subcommands and their --help
 *   cli.c       running statements: feeding lines, splitting, prepare/step,
 *               errors with carets, the last result, .last and .explain
 *   split.c     where a statement ends (quotes, brackets, comments)
 *   repl.c      the interactive loop on libedit: prompts, history, Ctrl-C
 *   complete.c  tab completion that knows the graph
 *   dot.c       the dot-command table (dispatch and help in one place)
 *   params.c    $parameters (.param, --param)
 *   info.c      status, log, check, history, diff
 *   schema.c    .schema
 *   show.c      the node card (.show) and full-text search
 *   export.c    exports and Graphviz rendering
 *   session.c   the store, sync, versions, the graph cache, query env
 *   gitload.c   loading the git module (git_module.h, module/kgsh_git.c)
 *   out.c       the one output layer (colour, terminal size, the sink)
 *   out_modes.c output modes as a data table, cell text, JSON
 *   render.c    box/table/markdown layout by display width
 *   progress.c  a progress bar on stderr when it is a terminal
 *   pager.c     $PAGER for output taller than the screen
 * Names follow STYLE C2: kg_<concept>__<name> for what crosses files here.
 */
#ifndef KG_SHELL_INT_H
#define KG_SHELL_INT_H

#include <signal.h>
#include <stdio.h>

#include "kg_dataset.h"
#include "kg_query.h"
#include "kg_shell.h"

/* ---- limits and defaults (docs/kgsh.1 lists them) ---- */
/* clang-format off */
#define KG_SHELL_KEEP_ROWS 10000u   /* rows of the last result kept (.last) */
#define KG_SHELL_CACHE 4u           /* graphs of versions kept loaded       */
#define KG_SHELL_MAXROWS 40u        /* default .maxrows on a terminal       */
/* Default query bounds: no row or time limit (Ctrl-C cancels), and a
 * memory bound that stops a runaway pattern long before the machine
 * swaps. .limit changes them. */
#define KG_SHELL_MAX_MEM_MB 2048u
#define KG_SHELL_MAX_ARGS 64u       /* words on one dot-command line        */
#define KG_SHELL_MAX_READ_DEPTH 16u /* .read nesting (a file reading itself) */
/* clang-format on */

/* SGR colour codes used by the output layer. */
#define KG_SGR_BOLD "1"
#define KG_SGR_DIM "2"
#define KG_SGR_RED "31"
#define KG_SGR_GREEN "32"
#define KG_SGR_YELLOW "33"
#define KG_SGR_CYAN "36"

typedef struct kg_shell kg_shell;

/* ================================ out.c ================================ */

/* Everything kgsh prints on its result stream goes through a kg_out, which
 * either writes to a FILE or captures into memory (for the pager and for
 * .once), and which owns the decision to colour. */
typedef struct {
    FILE *fp;    /* destination when cap is NULL                      */
    kg_buf *cap; /* non-NULL: append here instead of writing fp       */
    int color;   /* SGR escapes allowed                               */
    int tty;     /* the final destination is a terminal               */
    int failed;  /* a write failed (disk full, closed pipe); sticky   */
} kg_out;

void kg_out__put(kg_out *o, const char *s, size_t len);
void kg_out__puts(kg_out *o, const char *s);
void kg_out__printf(kg_out *o, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/** Write s escaped by kg_buf_put_safe: note text cannot drive the terminal. */
void kg_out__safe(kg_out *o, const char *s, size_t len);
/** Start SGR code (KG_SGR_*) when colour is on; kg_out__sgr(o, NULL) resets. */
void kg_out__sgr(kg_out *o, const char *code);
/** Columns and rows of the terminal on fd; 0 when fd is not a terminal. */
size_t kg_out__term_width(int fd);
size_t kg_out__term_rows(int fd);
/** 1 when colour may be used on fd: a terminal, NO_COLOR unset, TERM != dumb.
 */
int kg_out__color_ok(int fd);

/* ============================ out_modes.c ============================= */

typedef enum {
    KG_MODE_BOX,
    KG_MODE_TABLE,
    KG_MODE_MARKDOWN,
    KG_MODE_CSV,
    KG_MODE_TSV,
    KG_MODE_JSON,
    KG_MODE_JSONL,
    KG_MODE_LINE,
    KG_MODE__COUNT
} kg_mode; /* ORDER MODE */

typedef struct kg_sink kg_sink;

/* One row per mode: how a result is laid out. Aligned modes keep the rows
 * and lay them out at the end (render.c); the others stream. */
typedef struct {
    const char *name;
    const char *help;
    int aligned;           /* rows buffered, widths computed by render.c */
    int header;            /* column names shown by default              */
    const char *null_text; /* how null prints                            */
    void (*begin)(kg_sink *s);
    void (*row)(kg_sink *s, const kg_value *vals);
    void (*end)(kg_sink *s);
} kg_mode_info;

const kg_mode_info *kg_mode__info(int mode);
/** The mode named name (also a unique prefix), or -1. */
int kg_mode__find(const char *name);
/**
 * Append v as display text: strings as written, everything else as
 * kg_query_format_value prints it, and all of it escaped by kg_buf_put_safe.
 */
int kg_mode__text(kg_buf *b, const kg_graph *g, const kg_value *v);
/** Append v as JSON; nodes and relationships become objects. */
int kg_mode__json(kg_buf *b, const kg_graph *g, const kg_value *v);
/** Append s as a JSON string; control characters and C1 become \u escapes. */
int kg_mode__json_string(kg_buf *b, const char *s, size_t len);

/* A cell of an aligned result: its display text, already made safe. */
typedef struct {
    char *text;
    uint32_t len, width;
    uint8_t type; /* kg_vtype of the value, for alignment and colour */
} kg_cell;

/* The sink takes a result row by row and prints it in the current mode. */
struct kg_sink {
    kg_out *out;
    const kg_mode_info *m;
    int mode;
    int headers;
    size_t maxrows; /* aligned modes: show head and tail; 0 = all */
    size_t width;   /* aligned modes: terminal columns; 0 = any   */
    size_t ncols;
    char **names;          /* owned copies                               */
    const kg_graph *g;     /* what node/rel values refer to              */
    uint64_t nrows;        /* rows given so far                          */
    kg_cell *head;         /* first rows (all rows when maxrows == 0)    */
    size_t nhead, caphead; /* in rows                                    */
    kg_cell *tail;         /* ring of the last rows                      */
    size_t ntail, captail; /* rows held, ring capacity in rows           */
    uint64_t tailpos;      /* rows written into the ring so far          */
    kg_buf tmp;
    int oom;
};

/**
 * Start a result with ncols columns named names (copied) in the shell's
 * current mode, writing to out. g may be NULL when no value is a node.
 */
int kg_sink__begin(kg_sink *s, kg_shell *sh, kg_out *out, size_t ncols,
                   const char *const *names, const kg_graph *g);
/** One row of ncols values (borrowed for the call only). */
int kg_sink__row(kg_sink *s, const kg_value *vals);
/** Print what is buffered and free the sink. */
void kg_sink__end(kg_sink *s);
/** Free without printing (after an error). */
void kg_sink__free(kg_sink *s);

/* Tables the shell's own commands print (status, log, schema...): a row of
 * values is filled cell by cell, then handed to the sink, so these obey
 * .mode like query results do. */
#define KG_TABLE_MAX_COLS 12u

typedef struct {
    kg_shell *sh;
    kg_sink sink;
    kg_out *o;
    int open;
    kg_value row[KG_TABLE_MAX_COLS];
    size_t ncols;
} kg_table;

int kg_table__begin(kg_table *t, kg_shell *sh, const char *const *names,
                    size_t ncols, const kg_graph *g);
/** Set column i of the pending row; takes ownership of v. */
void kg_table__cell(kg_table *t, size_t i, kg_value v);
void kg_table__str(kg_table *t, size_t i, const char *s); /* NULL: null */
void kg_table__int(kg_table *t, size_t i, int64_t n);
/** Print the pending row and clear it. */
int kg_table__row(kg_table *t);
/** Finish: lay out, with footer a row count, and end the output. */
void kg_table__end(kg_table *t, int footer);

/* ============================== render.c ============================== */

/** Lay out an aligned result (box, table, markdown) from the sink's rows. */
void kg_render__table(kg_sink *s);
/** Bytes of s[0..len) that fit in width columns; *w gets their width. */
size_t kg_render__fit(const char *s, size_t len, size_t width, size_t *w);

/* ============================== split.c =============================== */

/* Where the scan stands at the end of the text, for the continuation
 * prompt: inside a quote, a comment, or brackets. */
typedef struct {
    char quote;  /* ', ", ` or 0                                       */
    int comment; /* inside a block comment                            */
    int depth;   /* open ( [ { not yet closed                         */
    char open;   /* the innermost open bracket, 0 when none           */
} kg_split_state;

/**
 * Find the first statement in text[0..len): return the offset just past
 * its terminating ';' (outside quotes, comments and brackets), or 0 when
 * the text holds no complete statement; st (may be NULL) describes the
 * state at the end of the scanned text.
 */
size_t kg_split__next(const char *text, size_t len, kg_split_state *st);
/** 1 when text holds only white space, comments and semicolons. */
int kg_split__blank(const char *text, size_t len);

/* ============================== session.c ============================= */

typedef struct {
    int64_t vid;
    kg_graph *g;
    uint64_t used; /* LRU clock */
} kg_cache_entry;

/**
 * Open the store named by the options (creating it when missing) and, when
 * it holds no version yet and may_sync is set, sync the dataset first with
 * progress. Sets sh->version to --at or the latest.
 */
int kg_session__open(kg_shell *sh, int may_sync, kg_error *err);
void kg_session__close(kg_shell *sh);
/** The graph of version vid, loaded once and cached (borrowed). */
int kg_session__graph(kg_shell *sh, int64_t vid, kg_graph **out, kg_error *err);
/** The graph of the current version (borrowed), loading it on first use. */
int kg_session__current(kg_shell *sh, kg_graph **out, kg_error *err);
/** Resolve rev ("latest", "#3", "HEAD~1", a commit) to a version id. */
int kg_session__resolve(kg_shell *sh, const char *rev, int64_t *vid,
                        kg_error *err);
/** Make rev the current version (.at); "latest" returns to the newest. */
int kg_session__set_version(kg_shell *sh, const char *rev, kg_error *err);
/**
 * Sync from the options' source, else the one the store came from, else the
 * bundled dataset, with progress on a terminal; print a summary on report
 * (NULL: stderr). The current version follows the newest if it was on it.
 */
int kg_session__sync(kg_shell *sh, FILE *report, kg_sync_result *res,
                     kg_error *err);
/** Fill env for a query on the current graph. */
int kg_session__env(kg_shell *sh, kg_query_env *env, kg_error *err);
/** The current version's information (cached, borrowed); NULL on error. */
const kg_version_info *kg_session__vinfo(kg_shell *sh, kg_error *err);
/** $XDG_<kind>_HOME/kgsh (kind "DATA" or "STATE"), created. Caller frees. */
char *kg_session__xdg_dir(const char *kind, const char *fallback);
/** Short commit id (7 hex digits) or "-" for none, into buf[16]. */
const char *kg_session__short(const char *commit, char buf[16]);
/** Local date "YYYY-MM-DD HH:MM" into buf[32], or "-". */
const char *kg_session__date(int64_t t, char buf[32]);

/* ============================== gitload.c ============================= */

/** kg_sync_run and kg_sync_find_version, from the git module (loaded on
 * first use; KG_EIO when it cannot be). */
int kg_git__sync_run(kg_store *st, const kg_sync_opts *opts,
                     kg_sync_result *res, kg_error *err);
int kg_git__find_version(kg_store *st, const char *rev, int64_t *vid,
                         kg_error *err);

/* ============================== progress.c ============================ */

typedef struct {
    int enabled;     /* stderr is a terminal                        */
    int drawn;       /* something is on the line                    */
    int64_t last_ms; /* last redraw                                 */
    char phase[32];
} kg_progress;

void kg_progress__init(kg_progress *p);
/** A kg_progress_cb; payload is a kg_progress. */
void kg_progress__cb(const char *phase, size_t done, size_t total,
                     void *payload);
/** Clear the bar so that the next line starts clean. */
void kg_progress__done(kg_progress *p);

/* =============================== pager.c ============================== */

/**
 * Show text through $PAGER when it is taller than the terminal and the
 * pager is on; otherwise write it to stdout. Returns 0, or -1 on a write
 * failure.
 */
int kg_pager__show(kg_shell *sh, const char *text, size_t len);

/* ================================ cli.c =============================== */

/* Where a statement came from, so errors name the file and line. */
typedef struct {
    const char *name;   /* "<query>", "<stdin>", a file path            */
    uint32_t line, col; /* where the statement's first byte is, 1-based */
} kg_srcpos;

/* The last result, kept for .last and .export. */
typedef struct {
    char *query;       /* statement text                               */
    const kg_graph *g; /* the graph its values refer to (cached)       */
    size_t ncols;
    char **names;
    kg_value *cells; /* nrows * ncols values, retained               */
    size_t nrows, caprows;
    uint64_t total;       /* rows the query returned                      */
    kg_id *nodes, *edges; /* every element met in any row (may repeat)    */
    size_t nnodes, capnodes, nedges, capedges;
} kg_result;

void kg_result__free(kg_result *r);

/* Collects lines into statements and runs each as it completes. */
typedef struct {
    const char *name;  /* source name for errors                      */
    kg_buf buf;        /* text not yet run                            */
    uint32_t line;     /* number of the last line fed                 */
    uint32_t buf_line; /* line and column of buf's first byte         */
    uint32_t buf_col;
    int interactive; /* a blank line may end a complete statement   */
} kg_feed;

void kg_feed__init(kg_feed *f, const char *name, int interactive);
void kg_feed__free(kg_feed *f);
/**
 * Feed one line (without its newline). Runs every statement it completes;
 * returns 1 when more input is needed to finish a statement, else 0.
 */
int kg_feed__line(kg_shell *sh, kg_feed *f, const char *line, size_t len);
/** End of input: run what is left. */
void kg_feed__finish(kg_shell *sh, kg_feed *f);
/** The prompt state for the text collected so far. */
void kg_feed__state(const kg_feed *f, kg_split_state *st);

/**
 * Run one query statement and print its result in the current mode. With
 * keep NULL and print 0 the rows are only collected into res (export).
 * Returns KG_OK or the error's code (already reported).
 */
int kg_shell__query(kg_shell *sh, const char *text, size_t len,
                    const kg_srcpos *pos, int print, kg_result *res);
/** Run a script from fp (a file or stdin) named name. */
int kg_shell__run_stream(kg_shell *sh, FILE *fp, const char *name);
/** Run the statements of text (-c, rc files). */
int kg_shell__run_string(kg_shell *sh, const char *text, const char *name);
/** Run a file (.read, --init, kgsh FILE). */
int kg_shell__run_file(kg_shell *sh, const char *path);
/** Print the kept rows of the last result again, in the current mode. */
int kg_shell__last(kg_shell *sh);
/** Print the plan of text (a query; a trailing ';' is allowed). */
int kg_shell__explain(kg_shell *sh, const char *text);

/** Report err on stderr (text: what the span points into); counts it. */
void kg_shell__report(kg_shell *sh, kg_error *err, const char *text, size_t len,
                      const kg_srcpos *pos);
/** Report a message on stderr as "error: ..." (with source:line in scripts). */
void kg_shell__errorf(kg_shell *sh, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/** A one-line note on stderr for the person at the terminal. */
void kg_shell__notef(kg_shell *sh, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/** The kg_exit code for a kg_status. */
int kg_shell__exit_code(int status);
/** Open the per-statement output (.once, capture for the pager). */
kg_out *kg_shell__out_begin(kg_shell *sh);
/** Flush what kg_shell__out_begin captured (pager), close .once. */
void kg_shell__out_end(kg_shell *sh);
/** Print a footer line: "3 rows", the time, write counts. */
void kg_shell__footer(kg_shell *sh, kg_out *o, uint64_t rows, int had_cols,
                      double ms, const kg_query_stats *st);
double kg_shell__now_ms(void);

/* ================================ dot.c =============================== */

/* Kinds of argument a dot-command takes, for completion. */
typedef enum {
    KG_ARG_NONE,
    KG_ARG_FILE,
    KG_ARG_MODE,
    KG_ARG_ONOFF,
    KG_ARG_KEY,
    KG_ARG_CMD,
    KG_ARG_FORMAT,
    KG_ARG_REV,
    KG_ARG_PARAM
} kg_arg_kind;

typedef struct {
    const char *name;
    int min_prefix;         /* shortest abbreviation accepted              */
    int min_args, max_args; /* -1: any number                            */
    int (*fn)(kg_shell *sh, int argc, char **argv, const char *rest);
    const char *usage;      /* arguments, after the name                   */
    const char *help;       /* one line for .help                          */
    const char *details;    /* more for .help CMD, may be NULL             */
    kg_arg_kind arg1, arg2; /* what the first two arguments are          */
} kg_dot_cmd;

/** The command table and its length. */
const kg_dot_cmd *kg_dot__table(size_t *n);
/** Run one dot-command line (starting with '.'). */
int kg_dot__run(kg_shell *sh, const char *line, size_t len,
                const kg_srcpos *pos);

/* ============================== params.c ============================== */

/** A parameter value as typed: JSON, 'quoted' ('' a quote), else the text. */
int kg_param__parse(kg_value *out, const char *text);
/** 1 when s[0..len) is a Cypher parameter name. */
int kg_param__valid_name(const char *s, size_t len);
/** Set $name to v (takes ownership of v, also on failure). */
int kg_param__set(kg_shell *sh, const char *name, size_t len, kg_value v);
/** $name's value (borrowed) or NULL. */
const kg_value *kg_param__get(const kg_shell *sh, const char *name);
/** Remove $name (KG_ENOTFOUND when unset). */
int kg_param__unset(kg_shell *sh, const char *name);
void kg_param__print(kg_out *o, const char *name, const kg_value *v);
/** Print every parameter, "$name = value" per line. */
void kg_param__list(kg_shell *sh);

/* ============================ info.c / show.c ========================= */

int kg_shell__status(kg_shell *sh, kg_error *err);
int kg_shell__log(kg_shell *sh, long limit, kg_error *err);
/** Print every diagnostic; *errors counts those of severity error. */
int kg_shell__check(kg_shell *sh, size_t *errors, kg_error *err);
int kg_shell__schema(kg_shell *sh, kg_error *err);
int kg_shell__history(kg_shell *sh, const char *key, kg_error *err);
int kg_shell__diff(kg_shell *sh, const char *a, const char *b, kg_error *err);
int kg_shell__show(kg_shell *sh, const char *key, kg_error *err);
int kg_shell__search(kg_shell *sh, const char *text, long limit, kg_error *err);

/* ============================== export.c ============================== */

typedef struct {
    const char *format; /* dot, graphml, json, csv, csv-gremlin, cypher */
    const char *output; /* file or directory (csv); NULL = stdout      */
    const char *query;  /* NULL = last result (shell) or whole graph   */
    kg_srcpos qpos;     /* where query sits, for its errors (optional) */
    int hops;
    const char *rankdir, *cluster_by, *title;
    const char *render; /* image file to render with Graphviz          */
    const char *layout; /* Graphviz engine; NULL = by size             */
    int use_last;       /* take the subgraph from the last result      */
} kg_export_req;

int kg_shell__export(kg_shell *sh, const kg_export_req *req, kg_error *err);
/**
 * Parse export options (--hops N, --rankdir R, --cluster-by X, --layout L,
 * --render FILE, -o FILE, --format F) from argv[*i]; advances *i.
 * Returns 1 when argv[*i] was an option, 0 when not, -1 on error.
 */
int kg_shell__export_opt(kg_export_req *req, int argc, char **argv, int *i,
                         kg_error *err);

/* ============================= complete.c ============================= */

/** Point libedit's completion at the shell. */
void kg_complete__install(kg_shell *sh);
/** Forget the words collected from a graph (after .at, .sync). */
void kg_complete__reset(void);

/* ================================ repl.c ============================== */

/** The interactive loop; returns a kg_exit code. */
int kg_repl__run(kg_shell *sh);
/** Install the SIGINT handler that sets sh->interrupt. */
void kg_shell__signals(kg_shell *sh);

/* ============================== the shell ============================= */

struct kg_shell {
    /* options from the command line */
    const char *opt_db, *opt_source, *opt_subdir, *opt_ref, *opt_at;
    int opt_worktree;
    int opt_history; /* sync one version per commit (--history)  */

    /* session */
    kg_store *store;
    char *db_path;         /* the store's file                         */
    char *dataset;         /* name used for the history file           */
    int64_t latest;        /* newest version in the store              */
    int64_t version;       /* the current one (.at, --at)              */
    kg_version_info vinfo; /* of version, when vinfo_vid == version    */
    int64_t vinfo_vid;
    kg_cache_entry cache[KG_SHELL_CACHE];
    uint64_t clock;
    kg_value params;        /* KG_VMAP of $parameters                   */
    volatile int interrupt; /* set by SIGINT; env.interrupt points here */
    int warned_writes;      /* told once that writes stay in memory     */
    int64_t use_vid;        /* version a USE in the running query chose */
    uint64_t max_rows;      /* query bounds (.limit); 0 = none           */
    uint64_t max_ms;
    size_t max_mem;

    /* output settings */
    int mode;    /* kg_mode                                  */
    int headers; /* -1: the mode's default                   */
    size_t maxrows;
    int maxrows_set; /* set by .maxrows (applies off a terminal) */
    int timer;
    int pager;
    int color;  /* colour on stdout                         */
    int ecolor; /* colour on stderr                         */
    int stdout_tty, stderr_tty, stdin_tty;
    FILE *redirect; /* .output FILE                             */
    FILE *once;     /* .once FILE, closed after one statement   */
    int once_pending;
    kg_out out;     /* the current statement's result stream    */
    kg_buf capture; /* what the pager will show                 */
    int capturing;

    /* running */
    int interactive;
    int bail;
    int quit;   /* .quit seen                               */
    int status; /* worst kg_exit code so far                */
    int read_depth;
    const kg_srcpos *pos; /* the statement being run, for messages    */
    const char *dot_raw;  /* the dot-command line being run (its text
                             after the '.'), to place errors in it      */
    kg_result last;
};

/** Record an outcome: the exit code becomes the worst one seen. */
void kg_shell__fail(kg_shell *sh, int exit_code);

#endif /* KG_SHELL_INT_H */
