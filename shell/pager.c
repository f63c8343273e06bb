/* pager.c - page output taller than the screen through $PAGER.
 *
 * The REPL captures each statement's output in memory (kg_shell__out_begin)
 * so that it can count the lines before deciding: a result that fits is
 * written as is, a taller one goes to $PAGER (default "less -FRSX": quit
 * if one screen, keep colours, no wrapping, leave the screen as it was).
 * `.pager off` or PAGER set to "" turns it off. SIGPIPE is ignored while
 * the pager reads, so quitting the pager early is not an error.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "shell_int.h"

static size_t count_lines(const char *text, size_t len)
{
    size_t n = 0;
    const char *p = text, *end = text + len;

    while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        n++;
        p++;
    }
    return n;
}

static int write_all(FILE *fp, const char *text, size_t len)
{
    if (len > 0 && fwrite(text, 1, len, fp) != len) return -1;
    return fflush(fp) == 0 ? 0 : -1;
}

int kg_pager__show(kg_shell *sh, const char *text, size_t len)
{
    const char *pager = getenv("PAGER");
    size_t rows = kg_out__term_rows(STDOUT_FILENO);
    struct sigaction ign, old;
    FILE *fp;
    int rc;

    if (len == 0) return 0;
    if (pager == NULL) pager = "less -FRSX";
    if (!sh->pager || !sh->stdout_tty || !sh->stdin_tty || pager[0] == '\0' ||
        rows == 0 || count_lines(text, len) < rows - 1)
        return write_all(stdout, text, len);
    fflush(stdout);
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    sigaction(SIGPIPE, &ign, &old);
    fp = popen(pager, "w");
    if (fp == NULL) {
        sigaction(SIGPIPE, &old, NULL);
        return write_all(stdout, text, len);
    }
    write_all(fp, text, len); /* the pager may quit early: not an error */
    rc = pclose(fp);
    sigaction(SIGPIPE, &old, NULL);
    /* 127: the shell found no such pager; show the text anyway */
    if (rc == -1 || (WIFEXITED(rc) && WEXITSTATUS(rc) == 127))
        return write_all(stdout, text, len);
    return 0;
}
