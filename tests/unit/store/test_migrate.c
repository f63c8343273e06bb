/* test_migrate.c - opening a schema 1 store upgrades it to schema 2: the
 * same graphs, diagnostics, history and change counts as a store that was
 * written by schema 2 from the same documents, and later syncs find
 * changes against the upgraded rows correctly. A store whose rows cannot
 * be read is refused and left as it was.
 *
 * The schema 1 file is made with plain SQL, as kgsh 0.1 wrote it: that
 * schema and its JSON encodings are frozen, which is why they are spelled
 * out here rather than taken from the code. */
#include <math.h>

#include "store_int.h"
#include "store_test.h"

static const char v1_schema[] =
    "PRAGMA journal_mode=WAL;"
    "CREATE TABLE meta(key TEXT PRIMARY KEY NOT NULL, val TEXT) WITHOUT ROWID;"
    "CREATE TABLE versions(id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " commit_id TEXT NOT NULL DEFAULT '', source TEXT, ref TEXT,"
    " author TEXT, message TEXT, time INTEGER NOT NULL DEFAULT 0,"
    " synced_at INTEGER NOT NULL DEFAULT 0, draft INTEGER NOT NULL DEFAULT 0,"
    " nodes_added INTEGER NOT NULL DEFAULT 0,"
    " nodes_removed INTEGER NOT NULL DEFAULT 0,"
    " nodes_changed INTEGER NOT NULL DEFAULT 0,"
    " edges_added INTEGER NOT NULL DEFAULT 0,"
    " edges_removed INTEGER NOT NULL DEFAULT 0,"
    " edges_changed INTEGER NOT NULL DEFAULT 0,"
    " fingerprint INTEGER NOT NULL DEFAULT 0,"
    " mark_docs INTEGER NOT NULL DEFAULT 0,"
    " mark_nodes INTEGER NOT NULL DEFAULT 0,"
    " mark_edges INTEGER NOT NULL DEFAULT 0,"
    " mark_diags INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX versions_commit ON versions(commit_id);"
    "CREATE TABLE paths(id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE);"
    "CREATE TABLE docs(id INTEGER PRIMARY KEY, path_id INTEGER NOT NULL,"
    " hash INTEGER NOT NULL, v_from INTEGER NOT NULL, v_to INTEGER);"
    "CREATE INDEX docs_live ON docs(path_id) WHERE v_to IS NULL;"
    "CREATE INDEX docs_ended ON docs(v_to) WHERE v_to IS NOT NULL;"
    "CREATE TABLE nodes(id INTEGER PRIMARY KEY, path_id INTEGER NOT NULL,"
    " key TEXT NOT NULL, name TEXT, labels TEXT, props TEXT, text TEXT,"
    " line INTEGER NOT NULL, v_from INTEGER NOT NULL, v_to INTEGER,"
    " chg INTEGER NOT NULL DEFAULT 0, gone INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX nodes_live ON nodes(path_id) WHERE v_to IS NULL;"
    "CREATE INDEX nodes_ended ON nodes(v_to) WHERE v_to IS NOT NULL;"
    "CREATE INDEX nodes_key ON nodes(key);"
    "CREATE TABLE edges(id INTEGER PRIMARY KEY, path_id INTEGER NOT NULL,"
    " src TEXT NOT NULL, type TEXT NOT NULL, dst TEXT NOT NULL, props TEXT,"
    " line INTEGER NOT NULL, col INTEGER NOT NULL, v_from INTEGER NOT NULL,"
    " v_to INTEGER, chg INTEGER NOT NULL DEFAULT 0,"
    " gone INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX edges_live ON edges(path_id) WHERE v_to IS NULL;"
    "CREATE INDEX edges_ended ON edges(v_to) WHERE v_to IS NOT NULL;"
    "CREATE TABLE diags(id INTEGER PRIMARY KEY, path_id INTEGER NOT NULL,"
    " line INTEGER NOT NULL, col INTEGER NOT NULL,"
    " severity INTEGER NOT NULL, msg TEXT NOT NULL,"
    " v_from INTEGER NOT NULL, v_to INTEGER);"
    "CREATE INDEX diags_live ON diags(path_id) WHERE v_to IS NULL;"
    "CREATE INDEX diags_ended ON diags(v_to) WHERE v_to IS NOT NULL;"
    "CREATE VIRTUAL TABLE nodes_fts USING fts5(name, text,"
    " content='nodes', content_rowid='id');"
    "CREATE TABLE fts_state(upto INTEGER NOT NULL);"
    "INSERT INTO fts_state VALUES(0);"
    "PRAGMA application_id=1801941864; PRAGMA user_version=1;";

/* Two versions. v1: a.md (node a, USES b w=2, REL c), b.md (node b, LINK
 * to nowhere), c.md (node c, a parse diagnostic). v2: a.md rewritten with
 * n=2, USES b w=3, REL c gone, MENTIONS by alias. */
#define A_PROPS(n)                                                             \
    "'{\"aliases\":[\"al\"],\"d\":{\"$date\":\"2024-01-02\"},"                 \
    "\"f\":{\"$float\":\"NaN\"},\"m\":{\"$map\":{\"$date\":\"x\"}},"           \
    "\"n\":" #n ",\"name\":\"Alpha\"}'"
static const char v1_data[] =
    "INSERT INTO versions(id, commit_id, nodes_added, edges_added, mark_docs,"
    " mark_nodes, mark_edges, mark_diags) VALUES(1, 'c1', 3, 3, 0, 0, 0, 0);"
    "INSERT INTO versions(id, commit_id, nodes_changed, edges_added,"
    " edges_removed, edges_changed, mark_docs, mark_nodes, mark_edges,"
    " mark_diags) VALUES(2, 'c2', 1, 1, 1, 1, 3, 3, 3, 1);"
    "INSERT INTO paths VALUES(1, 'a.md'), (2, 'b.md'), (3, 'c.md');"
    "INSERT INTO docs VALUES(1, 1, 11, 1, 2), (2, 2, 22, 1, NULL),"
    " (3, 3, 33, 1, NULL), (4, 1, 44, 2, NULL);"
    "INSERT INTO nodes VALUES(1, 1, 'a', 'Alpha', '[\"Service\"]', " A_PROPS(
        1) ", 'body a', 1, 1, 2, 1, 0);"
           "INSERT INTO nodes VALUES(2, 2, 'b', 'b', NULL, NULL, NULL, 1, 1, "
           "NULL,"
           " 1, 0);"
           "INSERT INTO nodes VALUES(3, 3, 'c', 'Gamma', "
           "'[\"Concept\",\"Managed\"]',"
           " '{\"name\":\"Gamma\"}', 'body c', 2, 1, NULL, 1, 0);"
           "INSERT INTO nodes VALUES(4, 1, 'a', 'Alpha', "
           "'[\"Service\"]', " A_PROPS(
               2) ", 'body a', 1, 2, NULL, 2, 0);"
                  "INSERT INTO edges VALUES(1, 1, 'a', 'USES', 'b', "
                  "'{\"w\":2}', 5, 3, 1, 2,"
                  " 1, 0);"
                  "INSERT INTO edges VALUES(2, 1, 'a', 'REL', 'c', NULL, 6, 3, "
                  "1, 2, 1, 1);"
                  "INSERT INTO edges VALUES(3, 2, 'b', 'LINK', 'zzz', NULL, 2, "
                  "1, 1, NULL,"
                  " 1, 0);"
                  "INSERT INTO edges VALUES(4, 1, 'a', 'USES', 'b', "
                  "'{\"w\":3}', 5, 3, 2,"
                  " NULL, 2, 0);"
                  "INSERT INTO edges VALUES(5, 1, 'a', 'MENTIONS', 'al', NULL, "
                  "9, 1, 2, NULL,"
                  " 1, 0);"
                  "INSERT INTO diags VALUES(1, 3, 3, 4, 1, 'odd thing', 1, "
                  "NULL);";

/* The same documents, for a store written by schema 2. */
static int doc_a(kg_doc *d, int version)
{
    kg_node_rec *n;
    kg_edge_rec *e;
    kg_value al = kg_value_list(1), m = kg_value_map();
    int bad = 0;

    kg_value_list_set(&al, 0, kg_value_string("al", 2));
    bad |= kg_value_map_set(&m, "$date", 5, kg_value_string("x", 1)) < 0;
    if (kg_doc_init(d, "a.md") < 0 || (n = kg_doc_node(d, "a", 1)) == NULL)
        return KG_ENOMEM;
    bad |= kg_doc_node_label(n, "Service") < 0;
    bad |= kg_doc_node_prop(n, "name", kg_value_string("Alpha", 5)) < 0;
    bad |= kg_doc_node_prop(n, "n", kg_value_int(version)) < 0;
    bad |= kg_doc_node_prop(n, "aliases", al) < 0;
    bad |= kg_doc_node_prop(n, "d", kg_value_date("2024-01-02", 10)) < 0;
    bad |= kg_doc_node_prop(n, "f", kg_value_float(NAN)) < 0;
    bad |= kg_doc_node_prop(n, "m", m) < 0;
    bad |= (n->text = kg_strdup("body a")) == NULL;
    bad |= (e = kg_doc_edge(d, "a", "USES", "b", 5, 3)) == NULL ||
           kg_doc_edge_prop(e, "w", kg_value_int(version + 1)) < 0;
    if (version == 1)
        bad |= kg_doc_edge(d, "a", "REL", "c", 6, 3) == NULL;
    else
        bad |= kg_doc_edge(d, "a", "MENTIONS", "al", 9, 1) == NULL;
    return bad ? KG_ENOMEM : KG_OK;
}

static int put_fresh(kg_store *st, kg_error *err)
{
    kg_doc d;
    kg_node_rec *n;
    int64_t vid;
    int rc;

    if ((rc = st_begin(st, "c1", 0, &vid, err)) < 0) return rc;
    if ((rc = doc_a(&d, 1)) == KG_OK) rc = kg_store_put_doc(st, &d, 11, err);
    kg_doc_free(&d);
    if (rc < 0) return rc;
    if ((rc = kg_doc_init(&d, "b.md")) < 0) return rc;
    if (kg_doc_node(&d, "b", 1) == NULL ||
        kg_doc_edge(&d, "b", "LINK", "zzz", 2, 1) == NULL)
        rc = KG_ENOMEM;
    if (rc == KG_OK) rc = kg_store_put_doc(st, &d, 22, err);
    kg_doc_free(&d);
    if (rc < 0) return rc;
    if ((rc = kg_doc_init(&d, "c.md")) < 0) return rc;
    if ((n = kg_doc_node(&d, "c", 2)) == NULL ||
        kg_doc_node_label(n, "Concept") < 0 ||
        kg_doc_node_label(n, "Managed") < 0 ||
        kg_doc_node_prop(n, "name", kg_value_string("Gamma", 5)) < 0 ||
        (n->text = kg_strdup("body c")) == NULL ||
        kg_doc_diag(&d, KG_SEV_WARNING, 3, 4, "odd thing") < 0)
        rc = KG_ENOMEM;
    if (rc == KG_OK) rc = kg_store_put_doc(st, &d, 33, err);
    kg_doc_free(&d);
    if (rc < 0 || (rc = kg_store_commit(st, err)) < 0) return rc;
    if ((rc = st_begin(st, "c2", 0, &vid, err)) < 0) return rc;
    if ((rc = doc_a(&d, 2)) == KG_OK) rc = kg_store_put_doc(st, &d, 44, err);
    kg_doc_free(&d);
    if (rc < 0) return rc;
    return kg_store_commit(st, err);
}

static int sql(const char *path, const char *text)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open(path, &db);

    if (rc == SQLITE_OK) rc = sqlite3_exec(db, text, NULL, NULL, NULL);
    sqlite3_close(db);
    return rc;
}

static int64_t sql_int(kg_store *st, const char *q)
{
    sqlite3_stmt *s = NULL;
    int64_t v = -1;

    if (sqlite3_prepare_v2(st->db, q, -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

static int add_diag(const char *path, const kg_diag *d, void *payload)
{
    kg_buf_printf((kg_buf *)payload, "%s:%u:%u %d %s;", path, (unsigned)d->line,
                  (unsigned)d->col, d->severity, d->msg);
    return 0;
}

static int add_hist(const kg_history_item *h, void *payload)
{
    kg_buf_printf((kg_buf *)payload, "%lld %s %s:%u;", (long long)h->version,
                  h->what, h->path, (unsigned)h->line);
    return 0;
}

/* Fingerprints, edge counts and diagnostics of v1 and v2 into b. */
static int describe(kg_store *st, kg_buf *b, kg_error *err)
{
    int64_t v;
    int rc;

    for (v = 1; v <= 2; v++) {
        kg_graph *g = NULL;
        if ((rc = kg_store_load(st, v, &g, err)) < 0) return rc;
        kg_buf_printf(b, "v%lld %016llx n=%zu e=%zu ", (long long)v,
                      (unsigned long long)kg_graph_fingerprint(g),
                      kg_graph_count(g, KG_NODE), kg_graph_count(g, KG_EDGE));
        rc = kg_store_diags(st, v, g, add_diag, b, err);
        kg_graph_free(g);
        if (rc < 0) return rc;
    }
    return kg_store_history(st, "a", add_hist, b, err);
}

static void test_store_migrate__v1_to_v2(void)
{
    char path[600], fresh[600];
    kg_store *st = NULL, *ref = NULL;
    kg_buf got = KG_BUF_INIT, want = KG_BUF_INIT;
    kg_version_info v;
    kg_graph *g = NULL;
    kg_error err;
    kg_doc d;
    int64_t vid;

    kg_assert(st_tmpfile(path, sizeof path, "old.db") == 0);
    kg_assert(sql(path, v1_schema) == SQLITE_OK);
    kg_assert(sql(path, v1_data) == SQLITE_OK);
    kg_assert_int(kg_store_open(&st, path, 0, &err), KG_OK);
    kg_assert_int(sql_int(st, "PRAGMA user_version"), 2);
    kg_assert_int(sql_int(st, "SELECT count(*) FROM sqlite_master"
                              " WHERE name LIKE '%edges%'"),
                  0);
    kg_assert_int(sql_int(st, "SELECT sum(nedges) FROM docs"), 5);
    kg_assert_int(sql_int(st, "SELECT e_gone FROM docs WHERE id=1"), 1);
    kg_assert_int(sql_int(st, "SELECT count(*) FROM nodes"
                              " WHERE typeof(props) = 'text'"),
                  0);

    kg_assert(st_tmpfile(fresh, sizeof fresh, "new.db") == 0);
    kg_assert_int(kg_store_open(&ref, fresh, KG_STORE_CREATE, &err), KG_OK);
    kg_assert_int(put_fresh(ref, &err), KG_OK);
    kg_assert_int(describe(ref, &want, &err), KG_OK);
    kg_assert_int(describe(st, &got, &err), KG_OK);
    kg_assert_str(got.data, want.data);
    kg_assert(strstr(got.data, "v2 ") != NULL &&
              strstr(got.data, "n=3 e=2 b.md:2:1 0 unresolved link target "
                               "'zzz'") != NULL);

    /* The typed values came through the re-encoding. */
    kg_assert_int(kg_store_load(st, 2, &g, &err), KG_OK);
    {
        kg_id a = kg_graph_node_find(g, "a");
        kg_atom f = kg_graph_atom_find(g, "f", 1);
        kg_atom dd = kg_graph_atom_find(g, "d", 1);
        const kg_value *x = kg_graph_prop(g, KG_NODE, a, f);
        kg_assert(x != NULL && x->type == KG_VFLOAT && isnan(x->u.f));
        x = kg_graph_prop(g, KG_NODE, a, dd);
        kg_assert(x != NULL && x->type == KG_VDATE);
        kg_assert_str(x->u.str->s, "2024-01-02");
        const kg_id *out;
        size_t nout;
        kg_assert_int(st_prop_int(g, "a", "n"), 2);
        /* Edges keep their document order. */
        out = kg_graph_out(g, a, &nout);
        kg_assert_int(nout, 2);
        kg_assert_str(kg_graph_atom_str(g, kg_graph_edge_type(g, out[0])),
                      "USES");
        kg_assert_str(kg_graph_atom_str(g, kg_graph_edge_type(g, out[1])),
                      "MENTIONS");
    }
    kg_graph_free(g);

    /* Counts recorded before the upgrade stay; a rewrite with the same
     * content finds no change; removing b.md removes its one edge. */
    kg_assert_int(kg_store_version(st, 2, &v, &err), KG_OK);
    kg_assert_int(v.edges_changed + v.edges_added + v.edges_removed, 3);
    kg_version_info_clear(&v);
    kg_assert_int(st_begin(st, "c3", 0, &vid, &err), KG_OK);
    kg_assert_int(doc_a(&d, 2), KG_OK);
    kg_assert_int(kg_store_put_doc(st, &d, 45, &err), KG_OK);
    kg_doc_free(&d);
    kg_assert_int(kg_store_remove_doc(st, "b.md", &err), KG_OK);
    kg_assert_int(kg_store_commit(st, &err), KG_OK);
    kg_assert_int(kg_store_version(st, vid, &v, &err), KG_OK);
    kg_assert_int(v.nodes_added + v.nodes_changed, 0);
    kg_assert_int(v.edges_added + v.edges_changed, 0);
    kg_assert_int(v.nodes_removed, 1);
    kg_assert_int(v.edges_removed, 1);
    kg_version_info_clear(&v);

    kg_store_close(st);
    kg_store_close(ref);
    kg_buf_free(&got);
    kg_buf_free(&want);
    st_remove(path);
    st_remove(fresh);
}

/* Rows that do not parse stop the upgrade; the file stays schema 1. */
static void test_store_migrate__bad_rows(void)
{
    char path[600];
    kg_store *st = NULL;
    kg_error err;
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    int ver = -1;

    kg_assert(st_tmpfile(path, sizeof path, "old.db") == 0);
    kg_assert(sql(path, v1_schema) == SQLITE_OK);
    kg_assert(sql(path, v1_data) == SQLITE_OK);
    kg_assert(sql(path, "UPDATE nodes SET props='{\"n\":' WHERE id=3") ==
              SQLITE_OK);
    kg_assert_int(kg_store_open(&st, path, 0, &err), KG_ESTORE);
    kg_assert(st == NULL);
    kg_assert(strstr(err.msg, "upgrading the store: the properties of row 3 "
                              "cannot be read (") != NULL);
    kg_assert(sqlite3_open(path, &db) == SQLITE_OK);
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL) ==
            SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        ver = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    kg_assert_int(ver, 1);
    kg_assert_int(kg_store_open(&st, path, KG_STORE_READONLY, &err), KG_ESTORE);
    kg_assert_str(err.msg, "store schema 1 needs an upgrade; open it once for "
                           "writing");
    st_remove(path);
}

KG_TEST_LIST = {{"store::migrate::v1_to_v2", test_store_migrate__v1_to_v2},
                {"store::migrate::bad_rows", test_store_migrate__bad_rows},
                {NULL, NULL}};

KG_TEST_MAIN
