/* tck.h - the openCypher TCK runner's private interface.
 *
 * The runner reads the TCK's .feature files as they are (from ../shared/tck
 * at test time, never copied), runs each scenario against a fresh in-memory
 * graph through the public kg_query API, and compares results after putting
 * both sides in a canonical text form (tck_value.c), so that formatting
 * choices such as label or map-key order never decide a result.
 */
#ifndef KG_TCK_H
#define KG_TCK_H

#include "kg_query.h"

#define TCK_MAX_COLS 64

typedef struct {
    char **cells;   /* ncols cells, trimmed, pipes unescaped */
    int ncols;
} tck_row;

typedef struct {
    tck_row *rows;  /* rows[0] is the header when the step has one */
    int nrows;
} tck_table;

typedef struct {
    char *text;       /* step text after Given/When/Then/And/But      */
    char *doc;        /* the """ block, or NULL                       */
    tck_table table;  /* the | table, nrows == 0 when none            */
    int line;
} tck_step;

typedef struct {
    char *feature;    /* file name stem, "Match1"                     */
    char *folder;     /* "clauses/match", "expressions/list"         */
    char *name;       /* "[2] Matching all nodes"                     */
    char *id;         /* "Match1 [2] Matching all nodes" (+ " #k" for outline rows) */
    tck_step *steps;
    int nsteps;
    int line;
} tck_scenario;

typedef struct {
    tck_scenario *v;
    int n, cap;
} tck_scenarios;

/** Read one feature file and append its scenarios (outlines expanded). */
int tck_feature_read(tck_scenarios *out, const char *path, kg_error *err);
void tck_scenarios_free(tck_scenarios *s);

/**
 * Canonical form of a TCK value literal (node, relationship, path, list,
 * map, string, number, boolean, null): labels and keys sorted, numbers
 * reprinted, lists sorted when unordered_lists is set. Returns a new string,
 * or NULL when text is not a value (then *bad points at the offending byte).
 */
char *tck_value_canon(const char *text, int unordered_lists, const char **bad);

#endif /* KG_TCK_H */
