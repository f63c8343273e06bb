/* test_frontmatter.c - YAML front matter: keys, types, links, errors with
 * file positions, limits on aliases and depth, and the fast reader giving
 * the same tree as libyaml. */
#include <stdio.h>

#include "parse_test.h"

static void test_dataset_frontmatter__node_fields(void)
{
    kg_doc d;
    const kg_value *a;

    note(&d, "x/Some File.md",
         "---\nid: sagemaker-studio\nkind: [Service, Managed]\n"
         "name: SageMaker Studio\naliases: [Studio, \"SM Studio\"]\n---\n");
    kg_assert_str(d.nodes[0].key, "sagemaker-studio");
    kg_assert_int(d.nodes[0].nlabels, 2);
    kg_assert_str(d.nodes[0].labels[0], "Service");
    kg_assert_str(d.nodes[0].labels[1], "Managed");
    kg_assert_str(vstr(nprop(&d.nodes[0], "name")), "SageMaker Studio");
    a = nprop(&d.nodes[0], "aliases");
    kg_assert(a && a->type == KG_VLIST && a->u.list->len == 2);
    kg_assert_str(vstr(&a->u.list->items[1]), "SM Studio");
    kg_assert_int(d.ndiags, 0);
    kg_doc_free(&d);

    note(&d, "x/Some File.md", "---\nkind: Service\naliases: Solo\n---\n");
    kg_assert_str(d.nodes[0].key, "some-file");
    kg_assert(has_label(&d.nodes[0], "Service"));
    kg_assert(!has_label(&d.nodes[0], "Note"));
    kg_assert_str(vstr(nprop(&d.nodes[0], "name")), "Some File");
    kg_assert_int(nprop(&d.nodes[0], "aliases")->u.list->len, 1);
    kg_doc_free(&d);
}

static void test_dataset_frontmatter__types(void)
{
    kg_doc d;
    const kg_node_rec *n;

    note(&d, "t.md",
         "---\ni: -42\nhex: 0x1F\noct: 0o17\nf: 2.5e3\ninf: -.inf\n"
         "t: true\nF: False\nnul: ~\ndate: 2021-08-24\nbaddate: 2021-02-30\n"
         "q: \"42\"\ns: '2021-08-24'\nstr: !!str 7\nint: !!int \"8\"\n"
         "list: [1, two, 3.0]\nmap: {a: 1}\nbig: 99999999999999999999\n"
         "when: 2021-08-24T10:00:00Z\n---\n");
    n = &d.nodes[0];
    kg_assert_int(nprop(n, "i")->u.i, -42);
    kg_assert_int(nprop(n, "hex")->u.i, 31);
    kg_assert_int(nprop(n, "oct")->u.i, 15);
    kg_assert(nprop(n, "f")->type == KG_VFLOAT && nprop(n, "f")->u.f == 2500.0);
    kg_assert(nprop(n, "inf")->u.f < -1e308);
    kg_assert(nprop(n, "t")->type == KG_VBOOL && nprop(n, "t")->u.b == 1);
    kg_assert(nprop(n, "F")->type == KG_VBOOL && nprop(n, "F")->u.b == 0);
    kg_assert(nprop(n, "nul") == NULL); /* null is no property */
    kg_assert_int(nprop(n, "date")->type, KG_VDATE);
    kg_assert_str(vstr(nprop(n, "date")), "2021-08-24");
    kg_assert_int(nprop(n, "baddate")->type, KG_VSTRING);
    kg_assert_int(nprop(n, "q")->type, KG_VSTRING);
    kg_assert_int(nprop(n, "s")->type, KG_VSTRING);
    kg_assert_str(vstr(nprop(n, "str")), "7");
    kg_assert_int(nprop(n, "int")->u.i, 8);
    kg_assert_int(nprop(n, "list")->u.list->items[1].type, KG_VSTRING);
    kg_assert_int(nprop(n, "list")->u.list->items[2].type, KG_VFLOAT);
    kg_assert_int(kg_value_map_get(nprop(n, "map"), "a")->u.i, 1);
    kg_assert_int(nprop(n, "big")->type, KG_VSTRING);
    kg_assert_int(nprop(n, "when")->type, KG_VSTRING);
    kg_assert_int(d.ndiags, 1);
    kg_assert_str(d.diags[0].msg, "integer '99999999999999999999' does not "
                                  "fit in 64 bits; kept as a string");
    kg_assert_int(d.diags[0].line, 18);
    kg_assert_int(d.diags[0].col, 6);
    kg_doc_free(&d);
}

static void test_dataset_frontmatter__links(void)
{
    kg_doc d;
    const kg_edge_rec *e;

    note(&d, "l.md",
         "---\nid: me\nlinks:\n  in_layer: platform\n  inLayer: \"[[Plat]]\"\n"
         "  usesService: [s3, {to: ecr, source: seed-003, weight: 2}]\n"
         "  none:\n  nomap: {source: x}\n  C#: \"C#\"\n"
         "layer: \"[[Platform Services|the layer]]\"\n"
         "related: [\"[[A]]\", plain, \"[[B#h]]\"]\n"
         "loose: [[Unquoted]]\n---\n");
    kg_assert((e = edge_to(&d, "IN_LAYER", "platform")) != NULL);
    kg_assert_str(e->src, "me");
    kg_assert_int(e->line, 4);
    kg_assert_int(e->col, 13);
    kg_assert(edge_to(&d, "IN_LAYER", "Plat") != NULL);
    kg_assert(edge_to(&d, "USES_SERVICE", "s3") != NULL);
    kg_assert((e = edge_to(&d, "USES_SERVICE", "ecr")) != NULL);
    kg_assert_int(e->nprops, 2);
    kg_assert_str(vstr(prop_of(e->props, e->nprops, "source")), "seed-003");
    kg_assert_int(prop_of(e->props, e->nprops, "weight")->u.i, 2);
    kg_assert(edge_to(&d, "C", "C#") != NULL); /* a bare name keeps '#' */
    kg_assert(edge_to(&d, "LAYER", "Platform Services") != NULL);
    kg_assert(edge_to(&d, "RELATED", "A") != NULL);
    kg_assert(edge_to(&d, "RELATED", "B") != NULL);
    kg_assert_int(nprop(&d.nodes[0], "related")->u.list->len, 1);
    kg_assert(edge_to(&d, "LOOSE", "Unquoted") != NULL);
    kg_assert_int(d.nedges, 9);
    kg_assert(diag_with(&d, "empty target for relation NONE") != NULL);
    kg_assert(diag_with(&d, "target of NOMAP has no 'to' key") != NULL);
    kg_assert(diag_with(&d, "unquoted [[...]] is a list in a list") != NULL);
    kg_doc_free(&d);
}

static void test_dataset_frontmatter__bad_entries(void)
{
    kg_doc d;
    const kg_diag *g;

    note(&d, "bad.md",
         "---\ndup: 1\nid: \"a\\tb\"\nkind: [A, {x: 1}, 42, \"\"]\n"
         "links: [a, b]\ndup: 2\nm: {k: 1, k: 2}\nname: [x]\n---\n");
    kg_assert_str(d.nodes[0].key, "bad");
    kg_assert_int(d.nodes[0].nlabels, 1);
    kg_assert_str(d.nodes[0].labels[0], "A");
    kg_assert_int(nprop(&d.nodes[0], "dup")->u.i, 1);
    kg_assert_str(vstr(nprop(&d.nodes[0], "name")), "bad");
    kg_assert((g = diag_with(&d, "duplicate key 'dup'")) != NULL);
    kg_assert_str(g->msg, "duplicate key 'dup' (first at 2:1); this one is "
                          "ignored");
    kg_assert_int(g->line, 6);
    kg_assert_str(diag_with(&d, "id has")->msg,
                  "id has a control character: 'a\\tb'; the key 'bad' from "
                  "the file name is used");
    kg_assert(diag_with(&d, "a mapping at 4:11 ignored") != NULL);
    kg_assert(diag_with(&d, "kind must be a string, not Integer '42'") != NULL);
    kg_assert(diag_with(&d, "kind '' is empty") != NULL);
    kg_assert(diag_with(&d, "links must be a mapping") != NULL);
    kg_assert(diag_with(&d, "duplicate key 'k'; this one is ignored") != NULL);
    kg_assert(diag_with(&d, "name must be a non-empty string") != NULL);
    kg_assert_int(d.ndiags, 8);
    kg_doc_free(&d);

    note(&d, "e.md", "---\nid:\n---\n");
    kg_assert_str(d.nodes[0].key, "e");
    kg_assert(diag_with(&d, "id is empty") != NULL);
    kg_doc_free(&d);
}

static void test_dataset_frontmatter__yaml_errors(void)
{
    kg_doc d;

    /* a tab cannot indent; the position is in the note, not the YAML */
    note(&d, "t.md", "---\na: 1\nb:\n\t- x\n---\n");
    kg_assert_int(d.ndiags, 1);
    kg_assert_int(d.diags[0].line, 4);
    kg_assert_int(d.diags[0].col, 1);
    kg_assert(strstr(d.diags[0].msg, "front matter ignored") != NULL);
    kg_doc_free(&d);

    note(&d, "q.md", "---\na: \"open\n---\n[[Body]]\n");
    kg_assert_int(d.ndiags, 1);
    kg_assert(strstr(d.diags[0].msg, "while scanning a quoted scalar at 2:4") !=
              NULL);
    kg_assert(edge_to(&d, "MENTIONS", "Body") != NULL);
    kg_doc_free(&d);

    note(&d, "c.md", "---\na: b\nc: \x01\n---\n");
    kg_assert_int(d.ndiags, 1);
    kg_assert_str(d.diags[0].msg, "invalid front matter: control characters "
                                  "are not allowed; front matter ignored");
    kg_assert_int(d.diags[0].line, 3);
    kg_assert_int(d.diags[0].col, 4);
    kg_doc_free(&d);

    note(&d, "s.md", "---\njust a string\n---\n");
    kg_assert_str(d.diags[0].msg, "front matter is a scalar, expected "
                                  "'key: value' lines; ignored");
    kg_doc_free(&d);
}

static void test_dataset_frontmatter__alias_limits(void)
{
    kg_doc d;
    kg_buf b = KG_BUF_INIT;
    int i, j;

    /* nine levels of nine aliases each would be 387 million values */
    kg_buf_puts(&b, "---\nok: 1\na0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for (i = 1; i < 9; i++) {
        kg_buf_printf(&b, "a%d: &a%d [", i, i);
        for (j = 0; j < 9; j++)
            kg_buf_printf(&b, "%s*a%d", j ? ", " : "", i - 1);
        kg_buf_puts(&b, "]\n");
    }
    kg_buf_puts(&b, "---\n");
    note(&d, "bomb.md", b.data);
    kg_buf_free(&b);
    kg_assert_int(nprop(&d.nodes[0], "ok")->u.i, 1);
    kg_assert(nprop(&d.nodes[0], "a3") != NULL);
    kg_assert(nprop(&d.nodes[0], "a8") == NULL);
    kg_assert_int(d.ndiags, 1);
    kg_assert(strstr(d.diags[0].msg, "past 100000 values through aliases"));
    kg_doc_free(&d);

    note(&d, "cyc.md", "---\na: &a [1, *a]\n---\n");
    kg_assert_str(d.diags[0].msg, "alias '*a' is inside the node it names (a "
                                  "cycle); front matter ignored");
    kg_doc_free(&d);

    note(&d, "und.md", "---\na: *nope\n---\n");
    kg_assert_str(d.diags[0].msg, "alias '*nope' refers to no anchor; front "
                                  "matter ignored");
    kg_doc_free(&d);

    kg_buf_puts(&b, "---\ndeep: ");
    for (i = 0; i < 100; i++)
        kg_buf_putc(&b, '[');
    for (i = 0; i < 100; i++)
        kg_buf_putc(&b, ']');
    kg_buf_puts(&b, "\n---\n");
    note(&d, "deep.md", b.data);
    kg_buf_free(&b);
    kg_assert_int(d.ndiags, 1);
    kg_assert_str(d.diags[0].msg, "front matter nests deeper than 64 levels; "
                                  "front matter ignored");
    kg_assert_int(d.diags[0].col, 70); /* the root map is level 1 */
    kg_doc_free(&d);
}

/* Whenever the fast reader accepts a text, libyaml must build the same
 * tree, positions and styles included. */
static void test_dataset_frontmatter__fast_equals_libyaml(void)
{
    static const char *const ok[] = {
        "id: a\nkind: [S, M]\nname: N n\nlinks:\n  in: l\n  uses: [x]\n",
        "a: 1\nb:\nc: \"x y\"\nd: 'z'\ne: []\n",
        "tags:\n- a\n- \"b\"\nnext: 1\n",
        "links:\n  uses:\n    - s3\n  in: x\n  out:\n  - y\n",
        "# c\nkey: value # t\nk2:   # c\n\nk3: [ a , b ]  # c\n",
        "t: C# and http://x/#y it's\nx: -5\ny: .5\nz: café\n",
        "a:\n  b:\n    c: 1\n  d:\n",
        "k: v\r\nk2: v2\r\n",
        "",
        "# only\n",
        NULL};
    static const char *const declined[] = {"a: b\n  c\n",
                                           "a: &x 1\n",
                                           "a: [1, [2]]\n",
                                           "a: x: y\n",
                                           "a: |\n  x\n",
                                           "a: \"\\n\"\n",
                                           "  a: 1\n",
                                           "a: {b: 1}\n",
                                           "a:\n  # c\n  b: 1\n",
                                           "a: 'it''s'\n",
                                           "a: !!str 1\n",
                                           "a: [x,]\n",
                                           "a:\n- - x\n",
                                           NULL};
    kg_buf a = KG_BUF_INIT, b = KG_BUF_INIT;
    kg_error err;
    int i;

    for (i = 0; ok[i]; i++) {
        kg_buf_reset(&a);
        kg_buf_reset(&b);
        kg_assert_int(kg_yaml__dump(&a, ok[i], strlen(ok[i]), 0, &err), KG_OK);
        kg_assert_int(kg_yaml__dump(&b, ok[i], strlen(ok[i]), 1, &err), KG_OK);
        kg_assert_str(b.data, a.data);
    }
    kg_assert_str(a.data, "()"); /* the comment-only text: no document */
    for (i = 0; declined[i]; i++)
        kg_assert_int(
            kg_yaml__dump(&b, declined[i], strlen(declined[i]), 1, &err),
            KG_ENOTFOUND);
    kg_buf_reset(&a);
    kg_yaml__dump(&a, "k: [a, 'b']\nm:\n", 15, 0, &err);
    kg_assert_str(a.data, "(map@1:1 (scalar@1:1 plain \"k\") (seq@1:4 flow "
                          "(scalar@1:5 plain \"a\") (scalar@1:8 quoted \"b\")) "
                          "(scalar@2:1 plain \"m\") (scalar@2:3 plain \"\"))");
    kg_buf_free(&a);
    kg_buf_free(&b);
}

/* ---- generated front matter near the edge of the fast subset ---- */

static uint32_t rng = 12345;

static uint32_t rnd(uint32_t n)
{
    rng = rng * 1103515245u + 12345u; /* deterministic: failures reproduce */
    return (rng >> 8) % n;
}

static void gen_scalar(kg_buf *b, int flow)
{
    static const char *const parts[] = {
        "a",  "Zz", "x y", "1",           "-5",   "0x1F", "2021-08-24", "true",
        "~",  ".5", "C#",  " #c",         ":",    ": ",   "é",          "it's",
        "\"", "'",  ",",   "[",           "]",    "{",    "}",          "-",
        "- ", "?",  "&a",  "*a",          "!t",   "|",    ">",          "%",
        "@",  "`",  "\t",  "http://x/#y", "null", "\\",   "..."};
    const uint32_t all = sizeof parts / sizeof *parts;
    int i, n = 1 + (int)rnd(3);

    if (rnd(5) == 0) {
        char q = rnd(2) ? '"' : '\'';
        kg_buf_putc(b, q);
        for (i = 0; i < n; i++)
            kg_buf_puts(b, parts[rnd(flow ? 12 : all)]);
        kg_buf_putc(b, q);
        return;
    }
    for (i = 0; i < n; i++)
        kg_buf_puts(b, parts[rnd(rnd(3) ? 12 : all)]);
}

static void gen_value(kg_buf *b, int indent, int depth)
{
    int i, n;

    switch (rnd(depth < 3 ? 6 : 4)) {
    case 0:
    case 1:
        kg_buf_putc(b, ' ');
        gen_scalar(b, 0);
        break;
    case 2:
        kg_buf_puts(b, rnd(2) ? " [" : " [ ");
        for (i = 0, n = (int)rnd(4); i < n; i++) {
            if (i) kg_buf_puts(b, rnd(3) ? ", " : ",");
            gen_scalar(b, 1);
        }
        kg_buf_puts(b, rnd(8) ? "]" : ", ]");
        break;
    case 3:
        break; /* empty: null */
    case 4:
        for (i = 0, n = 1 + (int)rnd(3); i < n; i++) {
            kg_buf_printf(b, "\n%*s- ", indent + 2 * (int)rnd(2), "");
            gen_scalar(b, 0);
        }
        break;
    default:
        for (i = 0, n = 1 + (int)rnd(3); i < n; i++) {
            kg_buf_printf(b, "\n%*sk%u:", indent + 2, "", rnd(4));
            gen_value(b, indent + 2, depth + 1);
        }
    }
    if (rnd(6) == 0) kg_buf_puts(b, rnd(2) ? " # note" : "  #");
}

static void test_dataset_frontmatter__fast_random(void)
{
    kg_buf y = KG_BUF_INIT, a = KG_BUF_INIT, b = KG_BUF_INIT;
    kg_error err;
    int i, j, n, accepted = 0;

    for (i = 0; i < 20000; i++) {
        kg_buf_reset(&y);
        for (j = 0, n = 1 + (int)rnd(6); j < n; j++) {
            switch (rnd(12)) {
            case 0:
                kg_buf_puts(&y, "# comment\n");
                break;
            case 1:
                kg_buf_puts(&y, rnd(2) ? "\n" : "  # in\n");
                break;
            case 2:
                kg_buf_puts(&y, " "); /* a stray indent */
                /* fall through */
            default:
                kg_buf_printf(&y, "%s%u:", rnd(8) ? "key" : "k-.", rnd(5));
                gen_value(&y, 0, 0);
                kg_buf_puts(&y, rnd(10) ? "\n" : "\r\n");
            }
        }
        kg_buf_reset(&b);
        if (kg_yaml__dump(&b, y.data, y.len, 1, &err) != KG_OK) continue;
        accepted++;
        kg_buf_reset(&a);
        kg_assert_int(kg_yaml__dump(&a, y.data, y.len, 0, &err), KG_OK);
        if (strcmp(a.data, b.data) != 0)
            fprintf(stderr, "input:\n%s\nlibyaml: %s\nfast:    %s\n", y.data,
                    a.data, b.data);
        kg_assert_str(b.data, a.data);
    }
    printf("fast reader accepted %d of 20000 generated front matters\n",
           accepted);
    kg_assert(accepted > 2000); /* the test must exercise the fast path */
    kg_buf_free(&y);
    kg_buf_free(&a);
    kg_buf_free(&b);
}

KG_TEST_LIST = {
    {"node_fields", test_dataset_frontmatter__node_fields},
    {"types", test_dataset_frontmatter__types},
    {"links", test_dataset_frontmatter__links},
    {"bad_entries", test_dataset_frontmatter__bad_entries},
    {"yaml_errors", test_dataset_frontmatter__yaml_errors},
    {"alias_limits", test_dataset_frontmatter__alias_limits},
    {"fast_equals_libyaml", test_dataset_frontmatter__fast_equals_libyaml},
    {"fast_random", test_dataset_frontmatter__fast_random},
    {NULL, NULL}};

KG_TEST_MAIN
