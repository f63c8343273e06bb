/* table_int.h - what the two halves of the table reader share: the
 * header (table_header.c: system and property columns, their types) and
 * the rows (table.c: cells, values, nodes and edges). See table.c for the
 * format. Included by those two files only. */
#ifndef KG_TABLE_INT_H
#define KG_TABLE_INT_H

#include "dataset_int.h"

typedef enum {
    C_PROP,
    C_ID,
    C_LABEL,
    C_START,
    C_END,
    C_TYPE,
    C_EDGE_ID,
    C_SKIP
} ckind;

typedef enum {
    T_STRING,
    T_BYTE,
    T_SHORT,
    T_INT,
    T_LONG,
    T_FLOAT,
    T_DOUBLE,
    T_BOOL,
    T_DATE
} ctype; /* ORDER CTYPE */

typedef struct {
    ckind kind;
    ctype type;
    int split;  /* ';' separates values                               */
    int array;  /* Type[]: always a list                              */
    int single; /* Gremlin (single) cardinality                       */
    int json;   /* NAME@Json:String: typed JSON text                  */
    int first;  /* the first column of this property (itself if alone) */
    int shared; /* another column holds the same property             */
    char *name; /* property name (C_PROP; C_ID written name:ID)       */
    char *head; /* the header cell as written, for messages           */
} tcol;

typedef struct {
    kg_doc *doc;
    kg_csv csv;
    tcol *cols;
    size_t ncols;
    int edges;       /* an edge file                                */
    int sys[C_SKIP]; /* column index of each system kind, -1 none   */
    kg_strset ids;   /* node ids seen, for duplicates               */
    kg_buf part;     /* one value of a multi-value cell             */
    uint32_t row;    /* data row number, 1 = first after the header */
    uint32_t *filled; /* per first column of a shared property: the
                         row that gave it a value, and the column  */
    uint32_t *filled_by;
    kg_error *err;
} table;

/** Read the header row into t->cols and t->sys, decide nodes or edges;
 * bad columns are reported and skipped. Negative only on OOM or a header
 * that leaves the table unreadable (reported too). */
int kg_table__header(table *t);

#endif /* KG_TABLE_INT_H */
