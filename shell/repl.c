/* repl.c - the interactive shell: prompts, history, Ctrl-C, on libedit.
 *
 * libedit's readline() returns NULL both at end of input and when SIGINT
 * interrupts the read; the flag our handler sets tells the two apart, so
 * Ctrl-C clears the line (and any unfinished statement) and Ctrl-D on an
 * empty line leaves. While a query runs, the same flag is the query's
 * env.interrupt: the executor checks it and the statement ends with
 * "Interrupted." and the prompt comes back.
 *
 * History is one file per user and dataset under $XDG_STATE_HOME/kgsh
 * (KGSH_HISTFILE overrides it, empty turns it off). A statement typed over
 * several lines is kept as one entry, joined by spaces, so that the up
 * arrow brings back what ran rather than its last line; the file is
 * rewritten after each entry so a killed shell loses nothing.
 */
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <editline/readline.h>

#include "shell_int.h"

#define HISTORY_MAX 2000

/* The flag SIGINT sets: a signal handler can only reach a global. */
static volatile int *interrupt_flag;
static int interactive_signals;

static void on_sigint(int sig)
{
    (void)sig;
    /* in a script, a second Ctrl-C while the first is being honoured means
     * "stop now": fall back to the default action */
    if (!interactive_signals && interrupt_flag != NULL && *interrupt_flag) {
        signal(SIGINT, SIG_DFL);
        raise(SIGINT);
        return;
    }
    if (interrupt_flag != NULL) *interrupt_flag = 1;
}

void kg_shell__signals(kg_shell *sh)
{
    struct sigaction sa;

    interrupt_flag = &sh->interrupt;
    interactive_signals = sh->interactive;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: a blocked read must return EINTR */
    sigaction(SIGINT, &sa, NULL);
}

/* ---- history ---- */

static char *history_path(const kg_shell *sh)
{
    const char *env = getenv("KGSH_HISTFILE"), *user = getenv("USER");
    struct passwd *pw;
    char *dir;
    kg_buf b = KG_BUF_INIT;

    if (env != NULL) return env[0] != '\0' ? kg_strdup(env) : NULL;
    if ((pw = getpwuid(getuid())) != NULL && pw->pw_name != NULL)
        user = pw->pw_name;
    if (user == NULL || user[0] == '\0') user = "user";
    dir = kg_session__xdg_dir("STATE", ".local/state");
    if (dir == NULL) return NULL;
    kg_buf_printf(&b, "%s/%s.%s.history", dir, sh->dataset, user);
    kg_free(dir);
    return b.oom ? (kg_buf_free(&b), NULL) : kg_buf_detach(&b);
}

/* ---- prompts ---- */

static void main_prompt(kg_shell *sh, kg_buf *b)
{
    kg_buf_reset(b);
    if (sh->version != sh->latest && sh->version > 0)
        kg_buf_printf(b, "kgsh@v%lld> ", (long long)sh->version);
    else
        kg_buf_puts(b, "kgsh> ");
}

/* "  ...> " as wide as the main prompt, naming what is still open. */
static void cont_prompt(const kg_buf *main, const kg_feed *f, kg_buf *b)
{
    kg_split_state st;
    char hint[3] = {0, 0, 0};
    size_t width = main->len, body;

    kg_feed__state(f, &st);
    if (st.quote != 0)
        hint[0] = st.quote;
    else if (st.comment)
        hint[0] = '*', hint[1] = '/';
    else if (st.depth > 0)
        hint[0] = st.open;
    body = 5 + strlen(hint); /* "..." + hint + "> " */
    kg_buf_reset(b);
    while (width > body) {
        kg_buf_putc(b, ' ');
        width--;
    }
    kg_buf_printf(b, "...%s> ", hint);
}

/* ---- the banner ---- */

static void banner(kg_shell *sh)
{
    const kg_version_info *v;
    kg_graph *g = NULL;
    kg_error err;
    char sc[16], dt[32];
    int color = sh->color;

    kg_error_clear(&err);
    v = kg_session__vinfo(sh, &err);
    if (v != NULL && kg_session__current(sh, &g, &err) < 0) g = NULL;
    printf("%skgsh %s%s", color ? "\x1b[1m" : "", KG_VERSION,
           color ? "\x1b[0m" : "");
    if (v != NULL) {
        printf(" - %s, version %lld%s (commit %s, %s)", sh->dataset,
               (long long)v->id, sh->version == sh->latest ? "" : " (older)",
               kg_session__short(v->commit, sc), kg_session__date(v->time, dt));
        if (g != NULL)
            printf(": %zu nodes, %zu edges", kg_graph_count(g, KG_NODE),
                   kg_graph_count(g, KG_EDGE));
    }
    printf(".\nEnter Cypher ending in ';', or .help for commands. "
           "Ctrl-D leaves.\n");
    fflush(stdout);
    if (v == NULL) kg_shell__report(sh, &err, NULL, 0, NULL);
}

/* ---- the loop ---- */

static int blank_line(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return *s == '\0';
}

int kg_repl__run(kg_shell *sh)
{
    kg_feed f;
    kg_buf prompt = KG_BUF_INIT, cprompt = KG_BUF_INIT, entry = KG_BUF_INIT;
    char *hist = history_path(sh), *line;
    int more = 0;

    rl_readline_name = "kgsh";
    using_history();
    stifle_history(HISTORY_MAX);
    if (hist != NULL) read_history(hist);
    kg_complete__install(sh);
    banner(sh);
    kg_feed__init(&f, "<query>", 1);
    while (!sh->quit) {
        main_prompt(sh, &prompt);
        if (more) cont_prompt(&prompt, &f, &cprompt);
        sh->interrupt = 0;
        line = readline(more ? cprompt.data : prompt.data);
        if (line == NULL) {
            if (sh->interrupt) { /* Ctrl-C: drop the line and the statement */
                fputs("^C\n", stdout);
                fflush(stdout);
                kg_buf_reset(&f.buf);
                kg_buf_reset(&entry);
                more = 0;
                continue;
            }
            fputs("\n", stdout); /* Ctrl-D: leave on a fresh line */
            break;
        }
        if (!blank_line(line)) {
            if (entry.len > 0) kg_buf_putc(&entry, ' ');
            kg_buf_puts(&entry, line);
        }
        more = kg_feed__line(sh, &f, line, strlen(line));
        free(line); /* readline's buffer comes from malloc */
        if (!more && entry.len > 0 && !entry.oom) {
            add_history(entry.data);
            if (hist != NULL) write_history(hist);
            kg_buf_reset(&entry);
        }
    }
    kg_feed__free(&f);
    kg_buf_free(&prompt);
    kg_buf_free(&cprompt);
    kg_buf_free(&entry);
    kg_free(hist);
    kg_complete__reset();
    return KG_EXIT_OK;
}
