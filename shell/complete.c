/* complete.c - tab completion that knows the graph.
 *
 * What a word can be depends on what precedes it, so completion first reads
 * the context from the line up to the cursor:
 *   .he|                  dot-command names
 *   .mode j|  .read d/f|  the command's argument kind (kg_dot_cmd.arg1/2)
 *   (n:Ser|   (:A:B|      labels
 *   [r:IN_|   [:A|B|      relationship types
 *   n.na|                 property keys
 *   'Sage|  "sage|        node keys and names (inside quotes, spaces kept)
 *   $na|                  parameter names
 *   anything else         keywords and functions (kg_query_words)
 * libedit cuts the word it replaces at fixed break characters (its word
 * break hook only sets "special prefixes"), which suit Cypher but not a
 * file name (dots, slashes) or a quoted name (spaces). So each context
 * finds where its own word starts; candidates are matched against that
 * whole word and handed back without the part before libedit's cut.
 *
 * Word lists from the graph are built on first use and kept until the
 * version changes (kg_complete__reset). libedit's API is global, so the
 * shell it serves is too: one per process.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <editline/readline.h>

#include "shell_int.h"

typedef enum { W_LABELS, W_TYPES, W_PROPS, W_KEYS, W_NKINDS } wkind;

typedef struct {
    char **v;
    size_t n, cap;
    int built;
} wordlist;

static kg_shell *csh;
static wordlist lists[W_NKINDS];

/* The candidates the generator walks for the current completion. */
static const char *const *cand;
static size_t ncand;
static wordlist extra; /* candidates made for this completion only    */
static int lower;      /* the user types keywords in lower case       */
static char *word;     /* the context's whole word up to the cursor   */
static size_t cut;     /* bytes of word before libedit's word start   */

/* ---- word lists ---- */

static void list_free(wordlist *l)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* The lists hold malloc'd strings: libedit frees what the generator
 * returns with free(), so everything here uses the C allocator. */
static void list_add(wordlist *l, const char *s)
{
    char *copy;

    if (s == NULL || s[0] == '\0') return;
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 64;
        char **nv = realloc(l->v, ncap * sizeof *nv);
        if (nv == NULL) return;
        l->v = nv;
        l->cap = ncap;
    }
    if ((copy = strdup(s)) != NULL) l->v[l->n++] = copy;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_sort_uniq(wordlist *l)
{
    size_t i, m = 0;

    if (l->n == 0) return; /* l->v may be NULL */
    qsort(l->v, l->n, sizeof *l->v, cmp_str);
    for (i = 0; i < l->n; i++) {
        if (m > 0 && strcmp(l->v[m - 1], l->v[i]) == 0) {
            free(l->v[i]);
            continue;
        }
        l->v[m++] = l->v[i];
    }
    l->n = m;
}

static void build(wkind k)
{
    kg_graph *g;
    kg_error err;
    size_t i, j, cap, nl, np;
    const kg_atom *ls;
    kg_atom key, name;
    wordlist *l = &lists[k];

    l->built = 1;
    if (csh == NULL || kg_session__current(csh, &g, &err) < 0) return;
    name = kg_graph_atom_find(g, "name", 4);
    cap = kg_graph_cap(g, k == W_TYPES ? KG_EDGE : KG_NODE);
    for (i = 0; i < cap; i++) {
        kg_id id = (kg_id)i;
        if (k == W_TYPES) {
            if (!kg_graph_alive(g, KG_EDGE, id)) continue;
            list_add(l, kg_graph_atom_str(g, kg_graph_edge_type(g, id)));
            continue;
        }
        if (!kg_graph_alive(g, KG_NODE, id)) continue;
        if (k == W_LABELS) {
            ls = kg_graph_labels(g, id, &nl);
            for (j = 0; j < nl; j++)
                list_add(l, kg_graph_atom_str(g, ls[j]));
        } else if (k == W_KEYS) {
            const kg_value *v =
                name != KG_NONE ? kg_graph_prop(g, KG_NODE, id, name) : NULL;
            list_add(l, kg_graph_node_key(g, id));
            if (v != NULL && v->type == KG_VSTRING) list_add(l, v->u.str->s);
        } else {
            np = kg_graph_prop_count(g, KG_NODE, id);
            for (j = 0; j < np; j++) {
                kg_graph_prop_at(g, KG_NODE, id, j, &key);
                list_add(l, kg_graph_atom_str(g, key));
            }
        }
    }
    if (k == W_PROPS) { /* relationship properties too */
        cap = kg_graph_cap(g, KG_EDGE);
        for (i = 0; i < cap; i++) {
            if (!kg_graph_alive(g, KG_EDGE, (kg_id)i)) continue;
            np = kg_graph_prop_count(g, KG_EDGE, (kg_id)i);
            for (j = 0; j < np; j++) {
                kg_graph_prop_at(g, KG_EDGE, (kg_id)i, j, &key);
                list_add(l, kg_graph_atom_str(g, key));
            }
        }
    }
    list_sort_uniq(l);
}

static void use_list(wkind k)
{
    if (!lists[k].built) build(k);
    cand = (const char *const *)lists[k].v;
    ncand = lists[k].n;
}

void kg_complete__reset(void)
{
    int k;

    for (k = 0; k < W_NKINDS; k++)
        list_free(&lists[k]);
    list_free(&extra);
    free(word);
    word = NULL;
}

static void use_extra(void)
{
    cand = (const char *const *)extra.v;
    ncand = extra.n;
}

/* ---- the generators ---- */

/* Candidates that start with the whole word (ASCII case-insensitive), each
 * returned without its first `cut` bytes: libedit replaces only the part
 * after its own word start. */
static char *generator(const char *text, int state)
{
    static size_t i;
    size_t len = strlen(word);

    (void)text;
    if (state == 0) i = 0;
    while (i < ncand) {
        const char *c = cand[i++];
        if (strncasecmp(c, word, len) == 0 && strlen(c) >= cut) {
            char *out = strdup(c + cut), *p;
            if (out != NULL && lower) { /* MATCH typed as "mat" stays lower */
                for (p = out; *p; p++)
                    if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
            }
            return out;
        }
    }
    return NULL;
}

static char *file_generator(const char *text, int state)
{
    char *m;

    (void)text;
    while ((m = rl_filename_completion_function(word, state)) != NULL) {
        state = 1;
        if (strlen(m) >= cut) {
            memmove(m, m + cut, strlen(m + cut) + 1);
            return m;
        }
        free(m);
    }
    return NULL;
}

/* Complete the word that starts at byte from (<= libedit's start). */
static char **matches(int from, int start, int end,
                      char *(*gen)(const char *, int))
{
    free(word);
    word = strndup(rl_line_buffer + from, (size_t)(end - from));
    if (word == NULL) return NULL;
    cut = (size_t)(start - from);
    return rl_completion_matches(rl_line_buffer + start, gen);
}

/* ---- reading the context ---- */

static int ident_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || (unsigned char)c >= 0x80;
}

/* Skip blanks backwards from p (exclusive); returns the new end. */
static int back_blank(const char *line, int p)
{
    while (p > 0 && (line[p - 1] == ' ' || line[p - 1] == '\t'))
        p--;
    return p;
}

/* The innermost bracket open at position end: '(', '[', '{' or 0. */
static char open_bracket(const char *line, int end)
{
    int depth = 0, i;

    for (i = end - 1; i >= 0; i--) {
        char c = line[i];
        if (c == ')' || c == ']' || c == '}')
            depth++;
        else if (c == '(' || c == '[' || c == '{') {
            if (depth == 0) return c;
            depth--;
        }
    }
    return 0;
}

static void params_list(void)
{
    size_t i;

    if (csh != NULL && csh->params.type == KG_VMAP)
        for (i = 0; i < csh->params.u.map->len; i++)
            list_add(&extra, csh->params.u.map->keys[i]->s);
}

/* Dot-command argument candidates of kind k; *files for file names. */
static void dot_args(kg_arg_kind k, int *files)
{
    static const char *const formats[] = {"dot", "graphml",     "json",
                                          "csv", "csv-gremlin", "cypher"};
    size_t i, n;
    const kg_dot_cmd *t;
    char num[32];

    list_free(&extra);
    switch (k) {
    case KG_ARG_FILE:
        *files = 1;
        return;
    case KG_ARG_KEY:
        use_list(W_KEYS);
        return;
    case KG_ARG_MODE:
        for (i = 0; i < KG_MODE__COUNT; i++)
            list_add(&extra, kg_mode__info((int)i)->name);
        break;
    case KG_ARG_ONOFF:
        list_add(&extra, "on");
        list_add(&extra, "off");
        break;
    case KG_ARG_CMD:
        t = kg_dot__table(&n);
        for (i = 0; i < n; i++)
            list_add(&extra, t[i].name);
        break;
    case KG_ARG_FORMAT:
        for (i = 0; i < sizeof formats / sizeof formats[0]; i++)
            list_add(&extra, formats[i]);
        break;
    case KG_ARG_REV:
        list_add(&extra, "latest");
        for (i = 1; csh != NULL && (int64_t)i <= csh->latest; i++) {
            snprintf(num, sizeof num, "#%zu", i);
            list_add(&extra, num);
        }
        break;
    case KG_ARG_PARAM:
        list_add(&extra, "unset");
        list_add(&extra, "clear");
        params_list();
        break;
    default:
        break;
    }
    use_extra();
}

/* A dot-command line: words are cut at blanks only. */
static char **complete_dot(int start, int end)
{
    const char *line = rl_line_buffer;
    size_t n, i;
    const kg_dot_cmd *t, *c = NULL;
    int words = 0, p = 0, from, files = 0;
    char name[32];

    while (line[p] == ' ' || line[p] == '\t')
        p++;
    from = end;
    while (from > p && line[from - 1] != ' ' && line[from - 1] != '\t')
        from--;
    rl_completion_append_character = ' ';
    if (from == p) { /* the command itself */
        list_free(&extra);
        t = kg_dot__table(&n);
        for (i = 0; i < n; i++) {
            snprintf(name, sizeof name, ".%s", t[i].name);
            list_add(&extra, name);
        }
        use_extra();
        return matches(from, start, end, generator);
    }
    /* which argument is being typed, and of which command */
    n = strcspn(line + p + 1, " \t");
    if (n >= sizeof name) return NULL;
    memcpy(name, line + p + 1, n);
    name[n] = '\0';
    t = kg_dot__table(&i);
    while (i-- > 0) /* exact names only: an abbreviation would guess */
        if (strcmp(t[i].name, name) == 0) c = &t[i];
    if (c == NULL) return NULL;
    for (p = p + 1 + (int)n; p < from; p++)
        if ((line[p] == ' ' || line[p] == '\t') && line[p + 1] != ' ' &&
            line[p + 1] != '\t')
            words++;
    if (words > 2) return NULL;
    dot_args(words == 1 ? c->arg1 : c->arg2, &files);
    if (files) {
        rl_completion_append_character = '\0';
        return matches(from, start, end, file_generator);
    }
    return matches(from, start, end, generator);
}

static char **attempt(const char *text, int start, int end)
{
    const char *line = rl_line_buffer;
    kg_split_state st;
    int p, q;
    char br;

    (void)text;
    rl_attempted_completion_over = 1; /* no file names unless we say so */
    lower = 0;
    p = 0;
    while (line[p] == ' ' || line[p] == '\t')
        p++;
    if (line[p] == '.') return complete_dot(start, end);
    kg_split__next(line, (size_t)end, &st);
    if (st.quote == '\'' || st.quote == '"') {
        for (p = end; p > 0 && line[p - 1] != st.quote; p--) {
        }
        use_list(W_KEYS);
        rl_completion_append_character = st.quote;
        return matches(p, start, end, generator);
    }
    if (st.quote != 0) return NULL; /* `name`: nothing to offer */
    rl_completion_append_character = '\0';
    p = back_blank(line, start);
    if (p > 0 && line[p - 1] == '$') {
        list_free(&extra);
        params_list();
        use_extra();
        return matches(start, start, end, generator);
    }
    if (p > 0 && (line[p - 1] == ':' || line[p - 1] == '|')) {
        br = open_bracket(line, p);
        if (br == '(' || br == '[') {
            use_list(br == '(' ? W_LABELS : W_TYPES);
            return matches(start, start, end, generator);
        }
    }
    if (start > 1 && line[start - 1] == '.' && ident_char(line[start - 2])) {
        use_list(W_PROPS);
        return matches(start, start, end, generator);
    }
    /* keywords and functions, in the case the user types them */
    cand = kg_query_words();
    for (ncand = 0; cand != NULL && cand[ncand] != NULL; ncand++) {
    }
    for (q = start; q < end; q++) {
        if (line[q] >= 'a' && line[q] <= 'z') lower = 1;
        if (line[q] >= 'A' && line[q] <= 'Z') {
            lower = 0;
            break;
        }
    }
    rl_completion_append_character = ' ';
    return matches(start, start, end, generator);
}

void kg_complete__install(kg_shell *sh)
{
    csh = sh;
    rl_attempted_completion_function = attempt;
    /* Cypher's punctuation and quotes; see the file comment for the rest */
    rl_basic_word_break_characters = " \t\n()[]{}:,.;=<>+-*/|!$%^&~'\"`";
}
