/* table_parse_fuzzer.c - kg_table_parse on arbitrary bytes.
 *
 * Checks, besides memory safety: ids, labels, edge ends and types are
 * non-empty valid UTF-8 without control characters; edge types are
 * normalised (what kg_dataset_rel_type gives back is itself); every
 * diagnostic has a position.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dataset_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_text(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || kg_text__first_bad(s, n) != n || kg_text__has_ctrl(s, n))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kg_doc d;
    kg_error err;
    uint32_t i, j;

    if (kg_doc_init(&d, "fuzz/t.csv") < 0) return 0;
    if (kg_table_parse(&d, (const char *)data, size, &err) == KG_OK) {
        for (i = 0; i < d.nnodes; i++) {
            check_text(d.nodes[i].key);
            for (j = 0; j < d.nodes[i].nlabels; j++)
                check_text(d.nodes[i].labels[j]);
        }
        for (i = 0; i < d.nedges; i++) {
            char *t = kg_dataset_rel_type(d.edges[i].type);
            check_text(d.edges[i].src);
            check_text(d.edges[i].dst);
            check_text(d.edges[i].type);
            if (t == NULL || strcmp(t, d.edges[i].type) != 0) abort();
            kg_free(t);
        }
        for (i = 0; i < d.ndiags; i++)
            if (d.diags[i].line == 0 || d.diags[i].col == 0) abort();
    }
    kg_doc_free(&d);
    return 0;
}
