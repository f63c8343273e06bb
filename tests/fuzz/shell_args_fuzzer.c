/* shell_args_fuzzer.c - the shell's own parsers on arbitrary bytes.
 *
 * kgsh parses four kinds of text before any query runs, each reachable
 * from a command line, a script or the prompt:
 *   0  the command line: argv is the input split at NUL bytes, handed to
 *      kg_shell_run after a leading "--help". parse_args reads every word
 *      (options, subcommands, export options) and reports usage errors,
 *      and "--help" then stops kgsh before it opens a store, so nothing
 *      touches the disk whatever the words say;
 *   1  a dot-command line through kg_dot__run: the word splitter, command
 *      lookup by prefix, "did you mean", argument counts and the argument
 *      parsers of the commands that need no store (.mode, .headers, .limit,
 *      .maxrows, .timer, .pager, .param, .params, .help, .last, .quit).
 *      Lines naming any other command are skipped here: they read or write
 *      files, sync, or need a store, and the shell tests cover them;
 *   2  statement splitting (kg_split__next, kg_split__blank): every split
 *      point is inside the text, ends in ';', and splitting the rest again
 *      always terminates;
 *   3  parameter values (kg_param__parse, kg_param__valid_name): JSON,
 *      'quoted', or text.
 * The first input byte picks the kind; the rest is the text. stdout goes to
 * /dev/null; run libFuzzer with -close_fd_mask=2 to silence usage
 * messages on stderr.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shell_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_WORDS 64

static void quiet_stdout(void)
{
    static int done;

    if (!done) {
        done = 1;
        if (freopen("/dev/null", "w", stdout) == NULL) abort();
    }
}

/* ---- 0: the command line ---- */

static void fuzz_argv(const char *text, size_t len)
{
    char *copy = malloc(len + 1), *argv[FUZZ_MAX_WORDS + 3];
    size_t i, start = 0;
    int argc = 0, rc;

    if (copy == NULL) return;
    memcpy(copy, text, len);
    copy[len] = '\0';
    argv[argc++] = (char *)"kgsh";
    argv[argc++] = (char *)"--help"; /* first: no later word can eat it */
    for (i = 0; i <= len && argc < FUZZ_MAX_WORDS + 2; i++) {
        if (i == len || copy[i] == '\0') {
            argv[argc++] = copy + start;
            start = i + 1;
        }
    }
    argv[argc] = NULL;
    rc = kg_shell_run(argc, argv);
    if (rc != KG_EXIT_OK && rc != KG_EXIT_USAGE) abort();
    free(copy);
}

/* ---- 1: dot-command lines ---- */

/* The first word as kg_dot__run's tokenizer reads it. */
static void first_word(const char *line, char *out, size_t max)
{
    const char *s = line;
    size_t n = 0;

    while (*s == ' ' || *s == '\t') s++;
    if (*s == '\'' || *s == '"') {
        char q = *s++;
        while (*s != '\0' && *s != q && n + 1 < max) {
            if (q == '"' && *s == '\\' && s[1] != '\0') s++;
            out[n++] = *s++;
        }
    } else {
        while (*s != '\0' && *s != ' ' && *s != '\t' && n + 1 < max)
            out[n++] = *s++;
    }
    out[n] = '\0';
}

/* 1 when name resolves (as find_cmd in dot.c does) to a command that needs
 * no store and no file, or to none at all (the "unknown command" path). */
static int safe_command(const char *name)
{
    static const char *const safe[] = {"mode", "headers", "maxrows", "timer",
                                       "pager", "param", "params", "help",
                                       "limit", "last", "quit", "exit"};
    size_t n, i, k, len = strlen(name);
    const kg_dot_cmd *t = kg_dot__table(&n), *c = NULL;

    for (i = 0; i < n && c == NULL; i++)
        if (strcmp(t[i].name, name) == 0) c = &t[i];
    for (i = 0; i < n && c == NULL; i++)
        if (len >= (size_t)t[i].min_prefix &&
            strncmp(t[i].name, name, len) == 0)
            c = &t[i];
    if (c == NULL) return 1;
    for (k = 0; k < sizeof safe / sizeof safe[0]; k++)
        if (strcmp(c->name, safe[k]) == 0) return 1;
    return 0;
}

static void fuzz_dot(const char *text, size_t len)
{
    kg_shell sh;
    kg_srcpos pos = {"<fuzz>", 1, 1};
    char *line = malloc(len + 2), word[256];

    if (line == NULL) return;
    line[0] = '.';
    memcpy(line + 1, text, len);
    line[len + 1] = '\0';
    /* the shell copies the line up to its first NUL, so judge that part */
    first_word(line + 1, word, sizeof word);
    if (!safe_command(word)) {
        free(line);
        return;
    }
    memset(&sh, 0, sizeof sh);
    sh.mode = KG_MODE_CSV;
    sh.headers = -1;
    sh.maxrows = KG_SHELL_MAXROWS;
    sh.pos = &pos;
    kg_dot__run(&sh, line, len + 1, &pos);
    /* twice: commands that print state (.params, .mode) see what the
     * first run set */
    kg_dot__run(&sh, line, len + 1, &pos);
    kg_value_release(&sh.params);
    kg_buf_free(&sh.capture);
    kg_result__free(&sh.last);
    free(line);
}

/* ---- 2: statement splitting ---- */

static void fuzz_split(const char *text, size_t len)
{
    kg_split_state st;
    size_t off = 0, n, rounds = 0;

    memset(&st, 0, sizeof st);
    kg_split__blank(text, len);
    while (off < len) {
        n = kg_split__next(text + off, len - off, &st);
        if (n == 0) break;
        if (n > len - off || text[off + n - 1] != ';') abort();
        kg_split__blank(text + off, n);
        off += n;
        if (++rounds > len) abort(); /* each split eats at least one byte */
    }
    if (st.depth < 0) abort();
}

/* ---- 3: parameter values ---- */

static void fuzz_param(const char *text, size_t len)
{
    char *s = malloc(len + 1);
    kg_value v = KG_NULL_VALUE;

    if (s == NULL) return;
    memcpy(s, text, len);
    s[len] = '\0';
    kg_param__valid_name(text, len);
    if (kg_param__parse(&v, s) == KG_OK) {
        kg_buf b = KG_BUF_INIT;
        kg_query_format_value(&b, NULL, &v, 1);
        kg_buf_free(&b);
        kg_value_release(&v);
    }
    free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data + 1;

    if (size == 0) return 0;
    quiet_stdout();
    switch (data[0] & 3) {
    case 0: fuzz_argv(text, size - 1); break;
    case 1: fuzz_dot(text, size - 1); break;
    case 2: fuzz_split(text, size - 1); break;
    default: fuzz_param(text, size - 1); break;
    }
    return 0;
}
