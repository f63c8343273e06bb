/* dataset_int.h - private interfaces shared by the note and table parsers.
 *
 * The parsers are split by concept: text.c (UTF-8 repair, positions, small
 * string set, scalar syntax shared by YAML and CSV), names.c (keys, relation
 * types, dispatch), note.c (Markdown body and wiki-links), frontmatter.c
 * (YAML front matter), csv.c (RFC 4180 records) and table.c (Neptune
 * bulk-load headers and typed cells). Only kg_dataset.h is public; the sync
 * engine has its own sync_int.h. Tests may include this header.
 */
#ifndef KG_DATASET_INT_H
#define KG_DATASET_INT_H

#include "kg_dataset.h"

/* Bytes examined for a NUL to call a file binary (as git does). */
#define KG_BINARY_SNIFF 8192u
/* Columns kept per CSV record; a wider header is a diagnostic. */
#define KG_TABLE_MAX_COLUMNS 4096u
/* Characters of a value quoted in a diagnostic before "...". */
#define KG_QUOTE_CHARS 48u
/* Buffer size that always holds a quoted value (escapes are 4 bytes). */
#define KG_QUOTE_BUF (KG_QUOTE_CHARS * 4 + 8)

/* ================================ text.c =============================== */

/** 1 when a NUL byte occurs in the first KG_BINARY_SNIFF bytes. */
int kg_text__is_binary(const char *s, size_t len);
/**
 * Length (1..4) of the valid UTF-8 sequence starting at s[0] (n bytes
 * available), 0 when s[0] starts no valid sequence or is a NUL byte.
 */
size_t kg_text__utf8_len(const char *s, size_t n);
/**
 * The checks every dataset file gets before parsing: over
 * KG_NOTE_MAX_BYTES, or binary (NUL in the first KG_BINARY_SNIFF bytes):
 * one diagnostic and *skip = 1. Invalid UTF-8 or a later NUL: one
 * diagnostic at the first bad byte and a repaired copy in fixed (use it
 * when fixed->data is set). what names the file kind ("note", "table").
 */
int kg_text__check(kg_doc *doc, const char *text, size_t len, kg_buf *fixed,
                   int *skip, const char *what);
/** Offset of the first NUL or invalid UTF-8 byte in s, len when none. */
size_t kg_text__first_bad(const char *s, size_t len);
/**
 * Append s to out with each NUL and each byte of invalid UTF-8 replaced by
 * U+FFFD, so that one bad byte still counts as one column. *nbad gets the
 * number of replacements. Returns KG_OK or KG_ENOMEM.
 */
int kg_text__repair(kg_buf *out, const char *s, size_t len, size_t *nbad);
/** Characters (code points; a stray byte counts as one) in s[0..len). */
uint32_t kg_text__cols(const char *s, size_t len);
/** 1-based line and column of s[off], counting lines from line1. */
void kg_text__locate(const char *s, size_t off, uint32_t line1, uint32_t *line,
                     uint32_t *col);
/** 1 when s[0..len) holds a C0 control character, DEL or a C1 control. */
int kg_text__has_ctrl(const char *s, size_t len);
/**
 * Write s[0..len) into buf (KG_QUOTE_BUF bytes) for a message: control
 * characters and invalid bytes escaped, cut after KG_QUOTE_CHARS characters
 * with "...". Returns buf.
 */
const char *kg_text__quote(char *buf, const char *s, size_t len);
/** 1 when s[0..len) is a valid calendar date written YYYY-MM-DD. */
int kg_text__is_date(const char *s, size_t len);
/**
 * Parse a decimal integer ([-+]?[0-9]+) in base 10, or digits only in base
 * 8 or 16. Returns 0 on success, 1 when the text is not such a number, 2
 * when it is but does not fit in int64_t.
 */
int kg_text__parse_int(const char *s, size_t len, int base, int64_t *out);
/**
 * Parse a decimal floating-point number ([-+]? digits, '.', exponent)
 * whatever the current locale's decimal point. No hex, inf or nan words:
 * the callers spell those per format. Returns 0 or 1 (not a number).
 */
int kg_text__parse_double(const char *s, size_t len, double *out);

/* A set of byte strings (borrowed, not copied) with one value each, for
 * duplicate detection: link targets, YAML keys, anchors, table ids. Open
 * addressing, so a file with 100000 links does not go quadratic. */
typedef struct {
    const char *s;
    uint32_t len;
    uint64_t hash;
    uintptr_t val;
} kg_strset_ent;

typedef struct {
    kg_strset_ent *ents;
    size_t cap, count;
    int nocase; /* ASCII case-insensitive keys */
} kg_strset;

/**
 * Add s[0..len) with val. Returns 1 when added, 0 when already present
 * (*found, when not NULL, gets the value stored first), KG_ENOMEM.
 */
int kg_strset__add(kg_strset *set, const char *s, size_t len, uintptr_t val,
                   uintptr_t *found);
/** Replace the value of s (adding it when absent). KG_OK or KG_ENOMEM. */
int kg_strset__put(kg_strset *set, const char *s, size_t len, uintptr_t val);
/** 1 and *val when s is present, else 0. */
int kg_strset__get(const kg_strset *set, const char *s, size_t len,
                   uintptr_t *val);
void kg_strset__free(kg_strset *set);

/* ================================ names.c ============================== */

/** 1 when path ends with ext (".md"), ASCII case-insensitively. */
int kg_dataset__has_ext(const char *path, const char *ext);
/**
 * The file name of path without its extension, as written, with invalid
 * UTF-8 repaired ("aws/SageMaker Studio.md" -> "SageMaker Studio").
 * Caller frees; NULL on OOM.
 */
char *kg_dataset__stem(const char *path);
/** kg_dataset_rel_type over s[0..len) (need not be NUL-terminated). */
char *kg_dataset__rel_type_n(const char *s, size_t len);

/* ================================ note.c =============================== */

/* What one note's parse shares between note.c and frontmatter.c: the node
 * being built and the count of links, so the KG_NOTE_MAX_LINKS limit covers
 * front-matter and body links together. */
typedef struct {
    kg_doc *doc;
    uint32_t node;   /* index of the note's node in doc->nodes      */
    uint32_t nlinks; /* edges added for this note so far            */
    int over;        /* the link-limit diagnostic has been given    */
    char *def_key;   /* key derived from the path (owned)           */
    char *def_name;  /* file stem as written (owned)                */
    kg_buf scratch;  /* NUL-terminated copies of slices             */
} kg_note_ctx;

/**
 * Add an edge from the note's node (type already normalised, dst the
 * target slice). Beyond KG_NOTE_MAX_LINKS adds nothing and gives one
 * diagnostic; *out (may be NULL) is then NULL. KG_OK or KG_ENOMEM.
 */
int kg_note__edge(kg_note_ctx *c, const char *type, const char *dst,
                  size_t dstlen, uint32_t line, uint32_t col,
                  kg_edge_rec **out);
/**
 * The target inside a wiki-link's brackets: before any '|' (label) and
 * '#' (heading or block), trimmed, without a ".md" suffix. Sets *off and
 * *tlen to the slice of s; returns 1 when the link had a '#' part.
 */
int kg_note__link_target(const char *s, size_t len, size_t *off, size_t *tlen);

/* ============================== yaml_fast.c ============================ */

struct yaml_event_s;
typedef int (*kg_yaml_emit_cb)(void *payload, const struct yaml_event_s *ev);

/**
 * Read yaml[0..len) if it lies in the plain subset most front matter uses
 * (see yaml_fast.c), passing cb the events libyaml would produce, with the
 * same marks. KG_ENOTFOUND as soon as the text leaves the subset (events
 * already passed must then be discarded), KG_OK, or cb's negative status.
 */
int kg_yaml__fast(const char *yaml, size_t len, kg_yaml_emit_cb cb,
                  void *payload);

/* ============================== yaml_tree.c ============================ */

enum { KG_Y_SCALAR, KG_Y_SEQ, KG_Y_MAP };

typedef struct kg_ynode kg_ynode;
typedef struct kg_yslot {
    kg_ynode *node;
    struct kg_yslot *next;
} kg_yslot;

/* One YAML node; an alias is the anchored node itself, shared. */
struct kg_ynode {
    uint8_t kind;  /* KG_Y_SCALAR, KG_Y_SEQ, KG_Y_MAP                   */
    uint8_t plain; /* plain scalar: its type comes from the schema      */
    uint8_t done;  /* closed: an alias may refer to it                  */
    uint8_t flow;  /* [ ] or { } style                                  */
    const char *tag;
    const char *s; /* scalar bytes, NUL-ended ("\0" escapes allowed)    */
    size_t len;
    uint32_t line, col; /* in the note                                   */
    uint32_t n;         /* children (a map holds key, value, key, value)     */
    kg_yslot *first, *last;
};

/* Reading one front matter: the tree, and the budgets that bound it. */
typedef struct {
    kg_doc *doc;     /* where diagnostics go                          */
    kg_arena *arena; /* every node and string of the tree             */
    const char *yaml;
    size_t len;
    uint32_t line0; /* the note line of the YAML's first line        */
    kg_ynode *stack[KG_YAML_MAX_DEPTH];
    unsigned depth;
    kg_ynode *root; /* NULL: empty, or not to be used after an error */
    kg_strset anchors;
    size_t events; /* read, against KG_YAML_MAX_NODES               */
    size_t visits; /* values made, against KG_YAML_MAX_NODES        */
    int ndocs;
    int over;            /* the budget diagnostic was given               */
    const kg_ynode *key; /* the top-level key being read, for messages   */
    kg_error *err;
} kg_yaml;

/** Prepare y to read yaml[0..len). KG_OK or KG_ENOMEM. */
int kg_yaml__init(kg_yaml *y, kg_doc *doc, const char *yaml, size_t len,
                  uint32_t line0, kg_error *err);
void kg_yaml__free(kg_yaml *y);
/**
 * Build y->root: use_fast 1 tries kg_yaml__fast first, 0 uses libyaml
 * only, 2 the fast reader only. KG_OK, KG_ENOMEM, KG_ENOTFOUND (2 only),
 * or KG_ESYNTAX / KG_ELIMIT after a diagnostic (y->root not to be used).
 */
int kg_yaml__build(kg_yaml *y, int use_fast);
/**
 * The value of node n (depth levels down): typed scalars, lists, maps.
 * Each node visited counts against KG_YAML_MAX_NODES; past it, one
 * diagnostic and KG_ELIMIT. Problems inside maps are reported and skipped.
 */
int kg_yaml__value(kg_yaml *y, const kg_ynode *n, unsigned depth,
                   kg_value *out);
/** The typed value of scalar n (*out null for a YAML null). */
int kg_yaml__scalar(kg_yaml *y, const kg_ynode *n, kg_value *out);
/** 1 when n is an untagged plain null: empty, ~, null, Null, NULL. */
int kg_yaml__is_null(const kg_ynode *n);
/**
 * 1 when key k is a usable name (a scalar, not empty, no control
 * character); else reports it as what ("key", "relation") and gives 0.
 * KG_ENOMEM.
 */
int kg_yaml__key_ok(kg_yaml *y, const kg_ynode *k, const char *what);
/** "a scalar", "a list", "a mapping". */
const char *kg_yaml__kind_name(const kg_ynode *n);
/** Add a diagnostic to y->doc (message built first: no va_list variant). */
int kg_yaml__diag(kg_yaml *y, int sev, uint32_t line, uint32_t col,
                  const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
/**
 * For tests and the fuzzer: build the tree of yaml[0..len) with libyaml
 * (fast = 0) or with kg_yaml__fast only (fast = 1) and write it to out as
 * one S-expression per node with kinds, styles, positions and text. KG_OK,
 * KG_ENOTFOUND (fast reader declined), KG_ESYNTAX (YAML error), KG_ENOMEM.
 */
int kg_yaml__dump(kg_buf *out, const char *yaml, size_t len, int fast,
                  kg_error *err);

/* ============================= frontmatter.c =========================== */

/**
 * Read the front matter yaml[0..len) (NULL when the note has none), whose
 * first line is line line0 of the note, and add the note's node to c->doc
 * with its labels, properties and front-matter links. The node is always
 * added: YAML errors become diagnostics and the node falls back to the
 * defaults in c. Returns KG_OK or KG_ENOMEM.
 */
int kg_frontmatter__parse(kg_note_ctx *c, const char *yaml, size_t len,
                          uint32_t line0, kg_error *err);

/* ================================ csv.c ================================ */

/* An RFC 4180 reader over a whole file in memory. Field bytes (quotes
 * removed, "" undone) go to one buffer, each NUL-terminated. */
typedef struct {
    const char *text;
    size_t len, pos;
    uint32_t line, col; /* position of text[pos]                      */
    uint32_t rec_line;  /* line the current record starts on          */
    kg_doc *doc;        /* where diagnostics go                       */
    kg_buf data;
    size_t *offs; /* field i starts at data.data + offs[i]      */
    uint32_t *lens, *lines, *cols;
    size_t nfields; /* fields kept (at most KG_TABLE_MAX_COLUMNS) */
    size_t nseen;   /* fields in the record, kept or not          */
    size_t cap;
    uint32_t nwarn; /* warnings given; quiet after KG_CSV_WARNINGS */
    int broken;     /* an unterminated quote ended the reading    */
    uint8_t *quoted; /* per field: 1 when it was written in quotes:
                        `""` (an empty string) is not an empty field */
} kg_csv;

/* Warnings about stray quotes per file before the reader goes quiet. */
#define KG_CSV_WARNINGS 20u

/** Start reading text (a UTF-8 BOM is skipped); diagnostics go to doc. */
void kg_csv__init(kg_csv *c, kg_doc *doc, const char *text, size_t len);
/**
 * Read the next record. Returns 1 with fields, 0 at the end (also after
 * an unterminated quote, reported as a diagnostic), KG_ENOMEM.
 */
int kg_csv__next(kg_csv *c, kg_error *err);
/** Field i of the current record (NUL-terminated; *len may be NULL). */
const char *kg_csv__field(const kg_csv *c, size_t i, size_t *len);
/** 1 when field i of the current record was quoted. */
int kg_csv__quoted(const kg_csv *c, size_t i);
void kg_csv__free(kg_csv *c);

#endif /* KG_DATASET_INT_H */
