/* kg_shell.h - the shell module: the kgsh command line and interactive shell.
 *
 * Concept word owned here: shell. Everything else in shell/ is private
 * (shell_int.h); the only public entry point is kg_shell_run, which main()
 * calls with the process arguments. The exit codes below are part of the
 * command-line contract: scripts test them, the man page (docs/kgsh.1)
 * lists them, and they never change meaning.
 */
#ifndef KG_SHELL_H
#define KG_SHELL_H

/* What kgsh returns to its caller. ORDER EXIT: docs/kgsh.1 "EXIT STATUS". */
typedef enum {
    KG_EXIT_OK = 0,    /* everything ran                                     */
    KG_EXIT_ERROR = 1, /* a query or data error: syntax, unknown name, type,
                          a failed .read, an interrupted query              */
    KG_EXIT_USAGE = 2, /* bad command line or system failure: unknown option,
                          unreadable store, out of memory, I/O error        */
    KG_EXIT_DATA = 3   /* `check` or `sync` found errors in the dataset     */
} kg_exit;

/**
 * Run kgsh with the process arguments: global options, a subcommand
 * (shell, query, sync, status, log, check, show, search, export) or a
 * script / -c text, or the interactive shell.
 *
 * @param argc argument count, as given to main
 * @param argv argument vector, as given to main (not modified)
 * @return a kg_exit code
 */
int kg_shell_run(int argc, char **argv);

#endif /* KG_SHELL_H */
