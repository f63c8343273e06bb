/* json_parse_fuzzer.c - kg_json_parse and kg_json_write on arbitrary bytes.
 *
 * The store keeps every property as JSON and reads it back with this
 * parser, and users hand it query parameters, so the parser must reject
 * everything malformed with a positioned error, and what it accepts must
 * survive the writer. In the typed encoding (the store's) parse -> write
 * -> parse gives an equal value with an equal hash; in both encodings
 * writing that again gives the same bytes (the store compares property
 * text to decide "changed"). Plain JSON has no infinities or NaN (they are
 * written as null), so equality is not asked of it there. The first
 * input byte picks which encoding is tried first; both get the whole
 * input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kg_graph.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_error(const kg_error *err, size_t len)
{
    if (err->msg[0] == '\0' || err->code >= 0) abort();
    if ((size_t)err->span.offset > len ||
        (size_t)err->span.offset + err->span.len > len)
        abort();
    /* an error position must name a real place: line 1 col 1 at least */
    if (err->line == 0 || err->col == 0) abort();
}

static void round_trip(const char *text, size_t len, int typed)
{
    kg_value v = KG_NULL_VALUE, v2 = KG_NULL_VALUE, v3 = KG_NULL_VALUE;
    kg_buf a = KG_BUF_INIT, b = KG_BUF_INIT;
    kg_error err;

    memset(&err, 0, sizeof err);
    if (kg_json_parse(&v, text, len, typed, &err) < 0) {
        if (err.code != KG_ENOMEM) check_error(&err, len);
        return;
    }
    if (kg_json_write(&a, &v, typed) < 0 || a.data == NULL) goto done;
    memset(&err, 0, sizeof err);
    if (kg_json_parse(&v2, a.data, a.len, typed, &err) < 0) {
        if (err.code == KG_ENOMEM) goto done;
        abort(); /* the writer produced something the reader refuses */
    }
    /* untyped JSON has no infinities or NaN: they are written as null, so
     * only the typed encoding must give back an equal value */
    if (typed && !kg_value_equal(&v, &v2)) abort();
    if (kg_json_write(&b, &v2, typed) < 0 || b.data == NULL) goto done;
    if (a.len != b.len || memcmp(a.data, b.data, a.len) != 0) abort();
    /* equal values hash equally (the query engine's DISTINCT relies on it) */
    if (typed && kg_value_hash(&v) != kg_value_hash(&v2)) abort();
    v3 = kg_value_retain(&v2);
    if (!kg_value_equal(&v3, &v2)) abort();
done:
    kg_value_release(&v);
    kg_value_release(&v2);
    kg_value_release(&v3);
    kg_buf_free(&a);
    kg_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    int first = size > 0 && (data[0] & 1);

    round_trip(text, size, first);
    round_trip(text, size, !first);
    return 0;
}
