/* note_parse_fuzzer.c - kg_note_parse on arbitrary bytes.
 *
 * Besides "no crash, no leak, no undefined behaviour", it checks what the
 * parser promises: one node at most, keys and link text valid UTF-8 with
 * no control characters, every diagnostic positioned. And it is the oracle
 * for the fast YAML reader: whenever kg_yaml__fast accepts the (repaired)
 * input, libyaml must build the identical tree from it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dataset_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_text(const char *s, int allow_empty)
{
    size_t n = strlen(s);
    if ((!allow_empty && n == 0) || kg_text__first_bad(s, n) != n ||
        kg_text__has_ctrl(s, n))
        abort();
}

static void check_doc(const kg_doc *d)
{
    uint32_t i, j;

    if (d->nnodes > 1) abort();
    for (i = 0; i < d->nnodes; i++) {
        check_text(d->nodes[i].key, 0);
        for (j = 0; j < d->nodes[i].nlabels; j++)
            check_text(d->nodes[i].labels[j], 0);
    }
    for (i = 0; i < d->nedges; i++) {
        check_text(d->edges[i].src, 0);
        check_text(d->edges[i].type, 0);
        check_text(d->edges[i].dst, 0);
        if (d->edges[i].line == 0 || d->edges[i].col == 0) abort();
    }
    for (i = 0; i < d->ndiags; i++)
        if (d->diags[i].line == 0 || d->diags[i].col == 0 ||
            d->diags[i].msg == NULL)
            abort();
}

/* The fast reader and libyaml must agree wherever the fast one answers. */
static void check_fast(const char *yaml, size_t len)
{
    kg_buf a = KG_BUF_INIT, b = KG_BUF_INIT;
    kg_error err;
    int rc;

    if (kg_yaml__dump(&b, yaml, len, 1, &err) == KG_OK) {
        rc = kg_yaml__dump(&a, yaml, len, 0, &err);
        if (rc != KG_OK || strcmp(a.data, b.data) != 0) abort();
    }
    kg_buf_free(&a);
    kg_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kg_doc d;
    kg_error err;
    kg_buf fixed = KG_BUF_INIT;
    const char *text = (const char *)data;

    if (kg_doc_init(&d, "fuzz/Fuzz Note.md") < 0) return 0;
    if (kg_note_parse(&d, text, size, &err) == KG_OK) check_doc(&d);
    kg_doc_free(&d);

    /* the YAML readers only ever see repaired text between the markers */
    if (size < 4096 && kg_text__repair(&fixed, text, size, NULL) == KG_OK) {
        const char *y = fixed.data, *end;
        size_t n = fixed.len;
        if (n >= 4 && memcmp(y, "---\n", 4) == 0) {
            y += 4;
            n -= 4;
        }
        for (end = y; (end = memchr(end, '\n', n - (size_t)(end - y))) != NULL;
             end++) {
            if (n - (size_t)(end - y) >= 4 && memcmp(end, "\n---", 4) == 0) {
                n = (size_t)(end - y) + 1;
                break;
            }
        }
        check_fast(y, n);
    }
    kg_buf_free(&fixed);
    return 0;
}
