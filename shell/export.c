/* export.c - exporting a result as a graph, and drawing it with Graphviz.
 *
 * The subgraph of a result is every node, relationship and path in its
 * rows (cli.c collects their ids while the rows go by). When the rows hold
 * nodes but no relationship, the export takes the edges between those
 * nodes: `MATCH (s:Service) RETURN s` then `.export dot` should draw how
 * the services connect, not a field of dots. --hops N grows the subgraph
 * along edges either way (kg_subgraph_expand).
 *
 * The writers are graph/'s (kg_export, kg_export_csv); this file chooses
 * the subgraph, the files, and runs `dot` or `sfdp` on a DOT export. The
 * layout engine defaults by size (kg_export_layout_for); a missing Graphviz
 * is a clear message, not an exec error.
 */
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "shell_int.h"

extern char **environ;

static const char *const layouts[] = {"dot",   "sfdp",  "neato", "fdp",
                                      "circo", "twopi", "osage", "patchwork"};

/* ---- options ---- */

/* "--name VALUE" or "--name=VALUE": the value, advancing *i, or NULL. */
static const char *opt_value(int argc, char **argv, int *i, const char *name,
                             int *missing)
{
    const char *a = argv[*i];
    size_t n = strlen(name);

    if (strncmp(a, name, n) != 0) return NULL;
    if (a[n] == '=') {
        (*i)++;
        return a + n + 1;
    }
    if (a[n] != '\0') return NULL;
    if (*i + 1 >= argc) {
        *missing = 1;
        return NULL;
    }
    *i += 2;
    return argv[*i - 1];
}

int kg_shell__export_opt(kg_export_req *req, int argc, char **argv, int *i,
                         kg_error *err)
{
    static const char *const names[] = {"--hops",   "--rankdir", "--cluster-by",
                                        "--layout", "--render",  "--output",
                                        "-o",       "--format",  "--title"};
    const char *v = NULL;
    int missing = 0;
    size_t k;
    char *end;
    long hops;

    for (k = 0; k < sizeof names / sizeof names[0]; k++) {
        v = opt_value(argc, argv, i, names[k], &missing);
        if (v != NULL || missing) break;
    }
    if (missing)
        return kg_error_set(err, KG_ESYNTAX, NULL, (kg_span){0, 0},
                            "%s needs a value", names[k]);
    if (v == NULL) {
        if (argv[*i][0] == '-' && argv[*i][1] != '\0')
            return kg_error_set(err, KG_ESYNTAX, NULL, (kg_span){0, 0},
                                "unknown option '%s'", argv[*i]);
        return 0;
    }
    switch (k) {
    case 0:
        hops = strtol(v, &end, 10);
        if (*end != '\0' || end == v || hops < 0 || hops > 1000)
            return kg_error_set(
                err, KG_ESYNTAX, NULL, (kg_span){0, 0},
                "--hops needs a number from 0 to 1000, not '%s'", v);
        req->hops = (int)hops;
        break;
    case 1:
        req->rankdir = v;
        break;
    case 2:
        req->cluster_by = v;
        break;
    case 3:
        for (k = 0; k < sizeof layouts / sizeof layouts[0]; k++)
            if (strcmp(v, layouts[k]) == 0) break;
        if (k == sizeof layouts / sizeof layouts[0])
            return kg_error_set(err, KG_ESYNTAX, NULL, (kg_span){0, 0},
                                "unknown layout '%s' (dot, sfdp, neato, fdp, "
                                "circo, twopi, osage, patchwork)",
                                v);
        req->layout = v;
        break;
    case 4:
        req->render = v;
        break;
    case 5:
    case 6:
        req->output = strcmp(v, "-") == 0 ? NULL : v;
        break;
    case 7:
        req->format = v;
        break;
    default:
        req->title = v;
        break;
    }
    return 1;
}

/* ---- the subgraph ---- */

static int cmp_id(const void *a, const void *b)
{
    kg_id x = *(const kg_id *)a, y = *(const kg_id *)b;
    return (x > y) - (x < y);
}

/* Sort, drop repeats and ids no longer alive (a DELETE after the query). */
static size_t uniq(kg_id *v, size_t n, const kg_graph *g, kg_elem kind)
{
    size_t i, m = 0;

    if (n == 0) return 0; /* v may be NULL */
    qsort(v, n, sizeof *v, cmp_id);
    for (i = 0; i < n; i++) {
        if (m > 0 && v[m - 1] == v[i]) continue;
        if (!kg_graph_alive(g, kind, v[i])) continue;
        v[m++] = v[i];
    }
    return m;
}

/* ---- Graphviz ---- */

static const char *image_type(const char *path)
{
    static const char *const types[] = {"svg", "png", "pdf", "jpg", "jpeg",
                                        "gif", "ps",  "eps", "json"};
    const char *dot = strrchr(path, '.');
    size_t i;

    if (dot == NULL) return NULL;
    for (i = 0; i < sizeof types / sizeof types[0]; i++)
        if (kg_strcasecmp(dot + 1, types[i]) == 0) return types[i];
    return NULL;
}

/* Run `layout -Ttype -o path` with dot on its stdin. */
static int graphviz(const char *layout, const char *type, const char *path,
                    const kg_buf *dot, kg_error *err)
{
    char targ[32], *argv[5];
    int fds[2], status, rc;
    pid_t pid;
    posix_spawn_file_actions_t fa;
    struct sigaction ign, old;
    size_t off = 0;

    snprintf(targ, sizeof targ, "-T%s", type);
    argv[0] = (char *)layout;
    argv[1] = targ;
    argv[2] = (char *)"-o";
    argv[3] = (char *)path;
    argv[4] = NULL;
    if (pipe(fds) != 0)
        return kg_error_set(err, KG_EIO, NULL, (kg_span){0, 0},
                            "cannot run %s: %s", layout, strerror(errno));
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[0], STDIN_FILENO);
    posix_spawn_file_actions_addclose(&fa, fds[1]);
    rc = posix_spawnp(&pid, layout, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[0]);
    if (rc != 0) {
        close(fds[1]);
        if (rc == ENOENT)
            return kg_error_set(
                err, KG_EIO, NULL, (kg_span){0, 0},
                "Graphviz '%s' is not on PATH: install Graphviz "
                "(apt install graphviz, brew install graphviz), "
                "or export DOT with '.export dot FILE'",
                layout);
        return kg_error_set(err, KG_EIO, NULL, (kg_span){0, 0},
                            "cannot run %s: %s", layout, strerror(rc));
    }
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    sigaction(SIGPIPE, &ign, &old); /* Graphviz may stop reading on error */
    while (off < dot->len) {
        ssize_t w = write(fds[1], dot->data + off, dot->len - off);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) break;
        off += (size_t)w;
    }
    close(fds[1]);
    sigaction(SIGPIPE, &old, NULL);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return kg_error_set(err, KG_EIO, NULL, (kg_span){0, 0},
                            "%s failed drawing %s (exit status %d)", layout,
                            path, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return KG_OK;
}

/* ---- writing ---- */

static int write_file(const char *path, const kg_buf *b, kg_error *err)
{
    FILE *fp = fopen(path, "w");
    int ok;

    if (fp == NULL)
        return kg_error_set(err, KG_EIO, NULL, (kg_span){0, 0},
                            "cannot write %s: %s", path, strerror(errno));
    ok = (b->len == 0 || fwrite(b->data, 1, b->len, fp) == b->len);
    if (fclose(fp) != 0) ok = 0;
    if (!ok)
        return kg_error_set(err, KG_EIO, NULL, (kg_span){0, 0},
                            "cannot write %s: %s", path, strerror(errno));
    return KG_OK;
}

static int write_csv(kg_shell *sh, const kg_export_req *req, const kg_graph *g,
                     const kg_subgraph *sg, int gremlin, kg_error *err)
{
    kg_buf nodes = KG_BUF_INIT, edges = KG_BUF_INIT, path = KG_BUF_INIT;
    int rc;

    if (req->output == NULL)
        return kg_error_set(err, KG_ESYNTAX, NULL, (kg_span){0, 0},
                            "a CSV export is two files (nodes.csv, edges.csv): "
                            "give a directory to write them in");
    if (mkdir(req->output, 0777) != 0 && errno != EEXIST)
        return kg_error_set(err, KG_EIO, NULL, (kg_span){0, 0},
                            "cannot create directory %s: %s", req->output,
                            strerror(errno));
    rc = kg_export_csv(&nodes, &edges, g, sg, gremlin, err);
    if (rc == KG_OK) {
        kg_buf_printf(&path, "%s/nodes.csv", req->output);
        rc = write_file(path.data, &nodes, err);
    }
    if (rc == KG_OK) {
        kg_buf_reset(&path);
        kg_buf_printf(&path, "%s/edges.csv", req->output);
        rc = write_file(path.data, &edges, err);
    }
    if (rc == KG_OK && sh->stderr_tty)
        kg_shell__notef(sh, "Wrote %s/nodes.csv and %s/edges.csv.", req->output,
                        req->output);
    kg_buf_free(&nodes);
    kg_buf_free(&edges);
    kg_buf_free(&path);
    return rc;
}

static int write_export(kg_shell *sh, const kg_export_req *req,
                        const kg_graph *g, const kg_subgraph *sg, kg_format fmt,
                        size_t nn, size_t ne, kg_error *err)
{
    kg_export_opts opts;
    kg_buf b = KG_BUF_INIT;
    const char *type = NULL, *layout;
    int rc;

    if (fmt == KG_FMT_CSV_CYPHER || fmt == KG_FMT_CSV_GREMLIN)
        return write_csv(sh, req, g, sg, fmt == KG_FMT_CSV_GREMLIN, err);
    if (req->render != NULL) {
        if (fmt != KG_FMT_DOT)
            return kg_error_set(err, KG_ESYNTAX, NULL, (kg_span){0, 0},
                                "--render draws a DOT export, not %s",
                                kg_export_format_name(fmt));
        if ((type = image_type(req->render)) == NULL)
            return kg_error_set(err, KG_ESYNTAX, NULL, (kg_span){0, 0},
                                "cannot tell the image type of '%s': name it "
                                ".svg, .png or .pdf",
                                req->render);
    }
    memset(&opts, 0, sizeof opts);
    opts.format = fmt;
    opts.rankdir = req->rankdir;
    opts.cluster_by = req->cluster_by;
    opts.title = req->title;
    rc = kg_export(&b, g, sg, &opts, err);
    if (rc == KG_OK && b.oom)
        rc = kg_error_set(err, KG_ENOMEM, NULL, (kg_span){0, 0},
                          "out of memory");
    if (rc == KG_OK && req->output != NULL)
        rc = write_file(req->output, &b, err);
    else if (rc == KG_OK && req->render == NULL) {
        kg_shell__out_begin(sh);
        kg_out__put(&sh->out, b.data ? b.data : "", b.len);
        kg_shell__out_end(sh);
    }
    if (rc == KG_OK && req->render != NULL) {
        layout =
            req->layout != NULL ? req->layout : kg_export_layout_for(nn, ne);
        rc = graphviz(layout, type, req->render, &b, err);
    }
    if (rc == KG_OK && sh->stderr_tty && (req->output || req->render))
        kg_shell__notef(sh, "Wrote %zu nodes and %zu edges to %s.", nn, ne,
                        req->render != NULL ? req->render : req->output);
    kg_buf_free(&b);
    return rc;
}

int kg_shell__export(kg_shell *sh, const kg_export_req *req, kg_error *err)
{
    kg_format fmt;
    kg_result tmp, *r = NULL;
    kg_subgraph sg, *sgp = NULL;
    kg_id *xn = NULL, *xe = NULL;
    size_t nn = 0, ne = 0, xnn = 0, xne = 0;
    const kg_graph *g;
    kg_graph *cur;
    int rc;

    memset(&tmp, 0, sizeof tmp);
    if (kg_export_format(req->format, &fmt) < 0)
        return kg_error_set(err, KG_ESYNTAX, NULL, (kg_span){0, 0},
                            "unknown export format '%s' (dot, graphml, json, "
                            "csv, csv-gremlin, cypher)",
                            req->format);
    if ((rc = kg_session__current(sh, &cur, err)) < 0) return rc;
    g = cur;
    if (req->query != NULL) {
        kg_srcpos pos = req->qpos;
        if (pos.name == NULL) pos = (kg_srcpos){"<query>", 1, 1};
        if (kg_shell__query(sh, req->query, strlen(req->query), &pos, 0, &tmp) <
            0) {
            kg_result__free(&tmp);
            /* reported already, with its caret: an empty message says so */
            kg_error_set(err, KG_ESYNTAX, NULL, (kg_span){0, 0}, "%s", "");
            return KG_ESYNTAX;
        }
        r = &tmp;
    } else if (req->use_last) {
        if (sh->last.query == NULL)
            return kg_error_set(err, KG_ENOTFOUND, NULL, (kg_span){0, 0},
                                "no result to export yet: run a query first, "
                                "or give one after the file");
        r = &sh->last;
    }
    memset(&sg, 0, sizeof sg);
    if (r != NULL) {
        g = r->g != NULL ? r->g : g;
        nn = uniq(r->nodes, r->nnodes, g, KG_NODE);
        ne = uniq(r->edges, r->nedges, g, KG_EDGE);
        r->nnodes = nn;
        r->nedges = ne;
        if (nn == 0 && ne == 0) {
            rc = kg_error_set(err, KG_ENOTFOUND, NULL, (kg_span){0, 0},
                              "the result holds no node, relationship or path "
                              "to export (RETURN n, r or p)");
            goto done;
        }
        sg.nodes = r->nodes;
        sg.nnodes = nn;
        sg.edges = ne > 0 ? r->edges : NULL; /* see the file comment */
        sg.nedges = ne;
        sgp = &sg;
    }
    if (req->hops > 0 && sgp != NULL) { /* the whole graph has every hop */
        rc = kg_subgraph_expand(g, sgp, req->hops, &xn, &xnn, &xe, &xne);
        if (rc < 0) {
            kg_error_set(err, rc, NULL, (kg_span){0, 0},
                         "cannot grow the subgraph: %s", kg_status_str(rc));
            goto done;
        }
        sg.nodes = xn;
        sg.nnodes = xnn;
        sg.edges = xe;
        sg.nedges = xne;
    }
    if (sgp != NULL) {
        nn = sg.nnodes;
        ne = sg.edges != NULL ? sg.nedges : 0;
        if (sg.edges == NULL) { /* count the induced edges for the layout */
            size_t i, k, count;
            for (i = 0; i < sg.nnodes; i++) {
                const kg_id *es = kg_graph_out(g, sg.nodes[i], &count);
                for (k = 0; k < count; k++)
                    if (bsearch(&(kg_id){kg_graph_edge_dst(g, es[k])}, sg.nodes,
                                sg.nnodes, sizeof *sg.nodes, cmp_id) != NULL)
                        ne++;
            }
        }
    } else {
        nn = kg_graph_count(g, KG_NODE);
        ne = kg_graph_count(g, KG_EDGE);
    }
    rc = write_export(sh, req, g, sgp, fmt, nn, ne, err);
done:
    kg_free(xn);
    kg_free(xe);
    kg_result__free(&tmp);
    return rc;
}
