-- The SQL side of names in queries.cypher that the peers' queries.sql does
-- not have; bench_query.sh and tests/peers run sqlite_run.py on the peers'
-- file followed by this one. Edge rowids kept in a ',id,' string = trails.
[q10t_varlen_1_3_anytype_undirected_trail_reach] WITH RECURSIVE w(n,d,p) AS (SELECT '{{A}}',0,',' UNION ALL SELECT e.dst, w.d+1, w.p||e.rowid||',' FROM w JOIN edges e ON e.src=w.n WHERE w.d<3 AND instr(w.p, ','||e.rowid||',')=0 UNION ALL SELECT e.src, w.d+1, w.p||e.rowid||',' FROM w JOIN edges e ON e.dst=w.n WHERE w.d<3 AND instr(w.p, ','||e.rowid||',')=0) SELECT count(DISTINCT n) AS reach FROM w WHERE d>=1;
