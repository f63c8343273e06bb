/* params.c - the $parameters of a session: .param, .params, --param.
 *
 * Parameters live in one KG_VMAP that the query env points at
 * (env.params), so a query sees them exactly as set. A value is read the
 * way a person types it on a command line: JSON when it parses as JSON
 * (42, "text", [1, 2], {"a": 1}, true, null), 'quoted text' with '' for a
 * quote (as in Cypher and SQL), and otherwise the text as written, so that
 * `--param day=2021-08-24` is the string it looks like, not 1989.
 */
#include <string.h>

#include "shell_int.h"

int kg_param__parse(kg_value *out, const char *text)
{
    size_t len = strlen(text), i, n = 0;
    char *s;

    if (kg_json_parse(out, text, len, 0, NULL) == KG_OK) return KG_OK;
    if (len < 2 || text[0] != '\'' || text[len - 1] != '\'') {
        *out = kg_value_string(text, len);
        return out->type == KG_VNULL ? KG_ENOMEM : KG_OK;
    }
    if ((s = kg_malloc(len)) == NULL) return KG_ENOMEM;
    for (i = 1; i + 1 < len; i++) {
        s[n++] = text[i];
        if (text[i] == '\'' && text[i + 1] == '\'' && i + 2 < len) i++;
    }
    *out = kg_value_string(s, n);
    kg_free(s);
    return out->type == KG_VNULL ? KG_ENOMEM : KG_OK;
}

/* A Cypher parameter name: a letter or '_', then letters, digits, '_'. */
int kg_param__valid_name(const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        char c = s[i];
        int alpha =
            (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
        if (!alpha && (i == 0 || c < '0' || c > '9')) return 0;
    }
    return len > 0;
}

int kg_param__set(kg_shell *sh, const char *name, size_t len, kg_value v)
{
    if (sh->params.type != KG_VMAP) {
        sh->params = kg_value_map();
        if (sh->params.type != KG_VMAP) {
            kg_value_release(&v);
            return KG_ENOMEM;
        }
    }
    return kg_value_map_set(&sh->params, name, len, v) < 0 ? KG_ENOMEM : KG_OK;
}

const kg_value *kg_param__get(const kg_shell *sh, const char *name)
{
    return sh->params.type == KG_VMAP ? kg_value_map_get(&sh->params, name)
                                      : NULL;
}

/* Maps have no delete: build the map again without the name. */
int kg_param__unset(kg_shell *sh, const char *name)
{
    kg_value next;
    uint32_t i;
    const kg_vmap *m;

    if (kg_param__get(sh, name) == NULL) return KG_ENOTFOUND;
    m = sh->params.u.map;
    next = kg_value_map();
    if (next.type != KG_VMAP) return KG_ENOMEM;
    for (i = 0; i < m->len; i++) {
        if (strcmp(m->keys[i]->s, name) == 0) continue;
        if (kg_value_map_set(&next, m->keys[i]->s, m->keys[i]->len,
                             kg_value_retain(&m->vals[i])) < 0) {
            kg_value_release(&next);
            return KG_ENOMEM;
        }
    }
    kg_value_release(&sh->params);
    sh->params = next;
    return KG_OK;
}

void kg_param__print(kg_out *o, const char *name, const kg_value *v)
{
    kg_buf b = KG_BUF_INIT;

    kg_query_format_value(&b, NULL, v, 1);
    kg_out__puts(o, "$");
    kg_out__safe(o, name, strlen(name));
    kg_out__puts(o, " = ");
    kg_out__safe(o, b.data ? b.data : "", b.len);
    kg_out__puts(o, "\n");
    kg_buf_free(&b);
}

void kg_param__list(kg_shell *sh)
{
    kg_out *o = kg_shell__out_begin(sh);
    uint32_t i, n = sh->params.type == KG_VMAP ? sh->params.u.map->len : 0;

    for (i = 0; i < n; i++)
        kg_param__print(o, sh->params.u.map->keys[i]->s,
                        &sh->params.u.map->vals[i]);
    if (n == 0 && o->tty)
        kg_out__puts(o, "(no parameters; .param NAME VALUE sets one)\n");
    kg_shell__out_end(sh);
}
