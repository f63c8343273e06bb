-- The SQL side of extra.cypher for sqlite_run.py (same names). Relationship
-- uniqueness needs no care here: every multi-hop question below uses edges
-- that cannot be the same one (different types, or directed without loops),
-- except q40 (trails: edge rowids in a ',id,' string) and q42 (a walk that
-- repeats an edge ends where it started, which the WHERE excludes).
[q30_optional_match_count] SELECT n.id AS id, count(s.id) AS services FROM nodes n LEFT JOIN edges e ON e.dst=n.id AND e.type='IN_LAYER' LEFT JOIN nodes s ON s.id=e.src AND s.kind='Service' WHERE n.kind='Layer' GROUP BY n.id ORDER BY services DESC, id LIMIT 10;
[q31_with_where_on_aggregate] SELECT count(*) AS hubs, sum(c) AS total FROM (SELECT e.dst, count(*) AS c FROM edges e JOIN nodes s ON s.id=e.src AND s.kind='Service' JOIN nodes h ON h.id=e.dst AND h.kind='Hardware' WHERE e.type='RUNS_ON' GROUP BY e.dst HAVING count(*) >= 3);
[q32_distinct_property] SELECT DISTINCT status FROM nodes WHERE kind='Framework' ORDER BY status;
[q33_min_max_sum_avg] SELECT min(score) AS lo, max(score) AS hi, sum(score) AS total, count(score) AS n, avg(score) AS mean FROM nodes WHERE kind='Service';
[q34_unwind_contains] WITH t(tag) AS (VALUES ('grpc'),('rust'),('cuda'),('nosuchtag')) SELECT t.tag AS tag, count(*) AS n FROM t JOIN nodes n ON n.kind='Hardware' AND instr(n.tags, t.tag)>0 GROUP BY t.tag ORDER BY tag;
[q35_order_skip_limit] SELECT id, score FROM nodes WHERE kind='Objective' ORDER BY score DESC, id LIMIT 5 OFFSET 5;
[q36_string_functions] SELECT upper(name) AS up, length(name) AS len FROM nodes WHERE kind='Domain' AND substr(lower(name),1,1)='a' ORDER BY up LIMIT 5;
[q37_in_list_two_hop_filter] SELECT count(*) AS n FROM edges e JOIN nodes a ON a.id=e.src AND a.kind='Service' JOIN nodes b ON b.id=e.dst AND b.kind='Service' WHERE e.type='DEPENDS_ON' AND a.status IN ('deprecated','experimental') AND b.status='active';
[q38_not_exists_pattern] SELECT count(*) AS orphans FROM nodes n WHERE n.kind='Concept' AND NOT EXISTS (SELECT 1 FROM edges e WHERE e.src=n.id AND e.type='PART_OF');
[q39_collect_size] SELECT e.dst AS id, count(*) AS n FROM edges e JOIN nodes h ON h.id=e.dst AND h.kind='Hardware' WHERE e.type='RUNS_ON' GROUP BY e.dst ORDER BY n DESC, id LIMIT 5;
[q40_path_length_groups] WITH RECURSIVE w(n,d,p) AS (SELECT '{{A}}',0,',' UNION ALL SELECT e.dst, w.d+1, w.p||e.rowid||',' FROM w JOIN edges e ON e.src=w.n AND e.type='DEPENDS_ON' WHERE w.d<3 AND instr(w.p, ','||e.rowid||',')=0) SELECT d AS len, count(*) AS n FROM w WHERE d>=1 GROUP BY d ORDER BY len;
[q41_edge_property_filter] SELECT count(*) AS n, sum(e.weight) AS w FROM edges e JOIN nodes a ON a.id=e.src AND a.kind='Service' WHERE e.type='DEPENDS_ON' AND e.weight>=9 AND e.since<2012;
[q42_count_distinct_2hop] WITH u1(b) AS (SELECT dst FROM edges WHERE src='{{A}}' UNION ALL SELECT src FROM edges WHERE dst='{{A}}'), u2(c) AS (SELECT e.dst FROM u1 JOIN edges e ON e.src=u1.b UNION ALL SELECT e.src FROM u1 JOIN edges e ON e.dst=u1.b) SELECT count(DISTINCT c) AS reach FROM u2 WHERE c<>'{{A}}';
[q43_order_by_mixed_directions] SELECT status, score, id FROM nodes WHERE kind='Layer' ORDER BY status, score DESC, id LIMIT 12;
[q44_int_div_mod_negative] SELECT sum(score/7) AS a, sum(score%7) AS b, sum((-score)/7) AS c, sum((-score)%7) AS d FROM nodes WHERE kind='Layer';
[q45_and_or_precedence] SELECT count(*) AS c FROM nodes WHERE kind='Service' AND (score>50 AND score<60 OR status='deprecated' AND score=0);
[q46_group_by_expression] SELECT score%10 AS bucket, count(*) AS c FROM nodes WHERE kind='Hardware' GROUP BY bucket ORDER BY bucket;
[q47_with_order_limit_then_match] WITH top AS (SELECT e.dst AS b, count(*) AS indeg FROM edges e JOIN nodes a ON a.id=e.src AND a.kind='Service' WHERE e.type='DEPENDS_ON' GROUP BY e.dst ORDER BY indeg DESC, b LIMIT 3) SELECT top.b AS id, indeg, count(*) AS hw FROM top JOIN edges r ON r.src=top.b AND r.type='RUNS_ON' GROUP BY top.b ORDER BY id;
[q48_substring_group] SELECT substr(name,1,3) AS p, count(*) AS c FROM nodes WHERE kind='Domain' GROUP BY p ORDER BY c DESC, p LIMIT 5;
[q49_regex_full_match] SELECT count(*) AS c FROM nodes WHERE kind='Service' AND name GLOB 'Edge*1';
[q50_group_by_string] SELECT tags, count(*) AS c FROM nodes WHERE kind='Objective' GROUP BY tags ORDER BY c DESC, tags LIMIT 3;
[q51_nulls_sort_last] SELECT column1 AS x FROM (VALUES (3),(1),(NULL),(2)) ORDER BY x NULLS LAST;
[q52_avg_by_group] SELECT status AS s, avg(score) AS a, count(*) AS c FROM nodes WHERE kind='Layer' GROUP BY status ORDER BY s;
[q53_two_types_two_hops] SELECT count(*) AS c, count(DISTINCT p.dst) AS ds FROM edges s JOIN nodes o ON o.id=s.dst AND o.kind='Objective' JOIN edges p ON p.src=s.src AND p.type='PART_OF' JOIN nodes d ON d.id=p.dst AND d.kind='Domain' WHERE s.type='SUPPORTS';
[q54_chain_with_string_compare] SELECT count(*) AS paths FROM edges e1 JOIN nodes a ON a.id=e1.src AND a.kind='Service' JOIN nodes b ON b.id=e1.dst AND b.kind='Service' JOIN edges e2 ON e2.src=e1.dst AND e2.type='DEPENDS_ON' JOIN nodes c ON c.id=e2.dst AND c.kind='Service' WHERE e1.type='DEPENDS_ON' AND a.id < c.id;
[q55_order_desc_string] SELECT name FROM nodes WHERE kind='Framework' ORDER BY name DESC LIMIT 4;
