/* git_module.h - the interface between kgsh and its git module.
 *
 * Everything that needs libgit2 (sync, resolving revision names) lives in
 * kgsh-git.so, which kgsh loads with dlopen the first time it needs it.
 * libgit2 brings some twenty shared libraries (Kerberos, TLS, SSH, PCRE),
 * whose loading and relocation cost more than the rest of a `kgsh -c`
 * start-up; a query on an up-to-date store never pays it. The module is
 * the dataset module (kg_dataset) and its own copy of kg_graph, linked
 * with -Bsymbolic; this table is its only exported symbol.
 */
#ifndef KG_GIT_MODULE_H
#define KG_GIT_MODULE_H

#include "kg_dataset.h"

/* Bump when the table, or any structure passed through it (kg_sync_opts,
 * kg_sync_result, kg_error), changes layout: a kgsh must never call a
 * module built from other headers. 2: kg_sync_opts.history, .interrupt. */
#define KG_GIT_MODULE_ABI 2
#define KG_GIT_MODULE_FILE "kgsh-git.so"
#define KG_GIT_MODULE_SYMBOL "kgsh_git_module"

typedef struct {
    int abi; /* KG_GIT_MODULE_ABI */
    int (*sync_run)(kg_store *st, const kg_sync_opts *opts, kg_sync_result *res,
                    kg_error *err);
    int (*find_version)(kg_store *st, const char *rev, int64_t *vid,
                        kg_error *err);
} kg_git_module;

extern const kg_git_module kgsh_git_module;

#endif /* KG_GIT_MODULE_H */
