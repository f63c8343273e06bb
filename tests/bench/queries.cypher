# The peers' questions (../shared/peers/queries.cypher) in openCypher as kgsh
# runs it: labels(n)[0] for Kùzu's label(n), type(r) for label(r), trails
# (openCypher's default) for Kùzu's "* TRAIL", shortestPath() for "* SHORTEST".
# Names match, so compare.py sets the answers side by side.
[q01_1hop_any] MATCH (a {id:'{{A}}'})-[r]-(b) RETURN type(r) AS type, b.id AS id ORDER BY type, id
[q01b_1hop_any_labeled_start] MATCH (a:Service {id:'{{A}}'})-[r]-(b) RETURN type(r) AS type, b.id AS id ORDER BY type, id
[q02_1hop_out_typed] MATCH (a {id:'{{A}}'})-[r:DEPENDS_ON]->(b) RETURN b.id AS id, labels(b)[0] AS kind, r.weight AS w ORDER BY id
[q03_2hop_typed] MATCH (a {id:'{{A}}'})-[:DEPENDS_ON]->(b)-[:RUNS_ON]->(h:Hardware) RETURN h.id AS id, count(*) AS paths ORDER BY paths DESC, id
[q04_2hop_undirected_fixed] MATCH (a {id:'{{A}}'})-[:DEPENDS_ON]-(b)-[:DEPENDS_ON]-(c) RETURN count(*) AS walks, count(DISTINCT c.id) AS reach
[q05_2hop_undirected_trail] MATCH (a {id:'{{A}}'})-[:DEPENDS_ON*2..2]-(c) RETURN count(*) AS trails, count(DISTINCT c.id) AS reach
[q07_varlen_1_3_out_trail] MATCH (a {id:'{{A}}'})-[:DEPENDS_ON*1..3]->(b) RETURN count(*) AS paths, count(DISTINCT b.id) AS reach
[q09_varlen_1_3_undirected_trail] MATCH (a {id:'{{A}}'})-[:DEPENDS_ON*1..3]-(b) RETURN count(*) AS paths, count(DISTINCT b.id) AS reach
[q10_varlen_1_3_anytype_undirected_reach] MATCH (a {id:'{{A}}'})-[*1..3]-(b) RETURN count(DISTINCT b.id) AS reach
[q11_shortest_undirected] MATCH p = shortestPath((a {id:'{{A}}'})-[*..10]-(b {id:'{{B}}'})) RETURN length(p) AS hops
[q12_shortest_directed_dep] MATCH p = shortestPath((a {id:'{{A}}'})-[:DEPENDS_ON*..30]->(b {id:'{{F}}'})) RETURN length(p) AS hops
[q13_count_by_kind] MATCH (n) RETURN labels(n)[0] AS kind, count(*) AS n ORDER BY kind
[q14_count_by_type] MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n ORDER BY type
[q15_top10_degree] MATCH (n)-[r]-() RETURN n.id AS id, count(*) AS deg ORDER BY deg DESC, id LIMIT 10
[q16_hub_in_by_type] MATCH (h {id:'{{H}}'})<-[r]-(x) RETURN type(r) AS type, labels(x)[0] AS kind, count(*) AS n ORDER BY type, kind
[q17_starts_with_or_contains] MATCH (n:Service) WHERE n.name STARTS WITH '{{PREFIX}}' OR n.tags CONTAINS '{{TAG}}' RETURN n.id AS id, n.name AS name ORDER BY id LIMIT 20
[q18_contains_scan_all_labels] MATCH (n) WHERE n.name CONTAINS 'Cache 1' RETURN count(*) AS n
[q19_orderby_limit_agg] MATCH (s:Service)-[:SUPPORTS]->(o:Objective) WHERE s.status = 'active' RETURN o.id AS id, count(*) AS n ORDER BY n DESC, id LIMIT 10
[q20_orderby_prop_limit] MATCH (n:Concept) WHERE n.created >= '2024-01-01' RETURN n.id AS id, n.score AS score ORDER BY score DESC, id LIMIT 10
