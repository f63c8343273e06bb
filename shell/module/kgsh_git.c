/* kgsh_git.c - the git module's one exported symbol (see git_module.h). */
#include "git_module.h"

const kg_git_module kgsh_git_module = {
    KG_GIT_MODULE_ABI,
    kg_sync_run,
    kg_sync_find_version,
};
