# Kùzu's side of extra.cypher (its dialect: lower/upper, 1-based substring,
# regexp_matches, EXISTS { MATCH }, "* TRAIL").
[q30_optional_match_count] MATCH (n:Layer) OPTIONAL MATCH (n)<-[:IN_LAYER]-(s:Service) RETURN n.id AS id, count(s) AS services ORDER BY services DESC, id LIMIT 10
[q31_with_where_on_aggregate] MATCH (s:Service)-[:RUNS_ON]->(h:Hardware) WITH h, count(*) AS c WHERE c >= 3 RETURN count(*) AS hubs, sum(c) AS total
[q32_distinct_property] MATCH (n:Framework) RETURN DISTINCT n.status AS status ORDER BY status
[q33_min_max_sum_avg] MATCH (n:Service) RETURN min(n.score) AS lo, max(n.score) AS hi, sum(n.score) AS total, count(n.score) AS n, avg(n.score) AS mean
[q34_unwind_contains] UNWIND ['grpc', 'rust', 'cuda', 'nosuchtag'] AS t MATCH (n:Hardware) WHERE n.tags CONTAINS t RETURN t AS tag, count(*) AS n ORDER BY tag
[q35_order_skip_limit] MATCH (n:Objective) RETURN n.id AS id, n.score AS score ORDER BY score DESC, id SKIP 5 LIMIT 5
[q36_string_functions] MATCH (n:Domain) WHERE lower(n.name) STARTS WITH 'a' RETURN upper(n.name) AS up, size(n.name) AS len ORDER BY up LIMIT 5
[q37_in_list_two_hop_filter] MATCH (a:Service)-[:DEPENDS_ON]->(b:Service) WHERE a.status IN ['deprecated', 'experimental'] AND b.status = 'active' RETURN count(*) AS n
[q38_not_exists_pattern] MATCH (n:Concept) WHERE NOT EXISTS { MATCH (n)-[:PART_OF]->() } RETURN count(*) AS orphans
[q39_collect_size] MATCH (h:Hardware)<-[:RUNS_ON]-(s) WITH h, collect(s.id) AS users RETURN h.id AS id, size(users) AS n ORDER BY n DESC, id LIMIT 5
[q40_path_length_groups] MATCH p = (a {id:'{{A}}'})-[:DEPENDS_ON* TRAIL 1..3]->(b) RETURN length(p) AS len, count(*) AS n ORDER BY len
[q41_edge_property_filter] MATCH (a:Service)-[r:DEPENDS_ON]->(b) WHERE r.weight >= 9 AND r.since < 2012 RETURN count(*) AS n, sum(r.weight) AS w
[q42_count_distinct_2hop] MATCH (a {id:'{{A}}'})-[]-(b)-[]-(c) WHERE c.id <> a.id RETURN count(DISTINCT c.id) AS reach
[q43_order_by_mixed_directions] MATCH (n:Layer) RETURN n.status AS status, n.score AS score, n.id AS id ORDER BY status, score DESC, id LIMIT 12
[q44_int_div_mod_negative] MATCH (n:Layer) RETURN sum(n.score / 7) AS a, sum(n.score % 7) AS b, sum((-n.score) / 7) AS c, sum((-n.score) % 7) AS d
[q45_and_or_precedence] MATCH (n:Service) WHERE n.score > 50 AND n.score < 60 OR n.status = 'deprecated' AND n.score = 0 RETURN count(*) AS c
[q46_group_by_expression] MATCH (n:Hardware) RETURN n.score % 10 AS bucket, count(*) AS c ORDER BY bucket
[q47_with_order_limit_then_match] MATCH (a:Service)-[:DEPENDS_ON]->(b) WITH b, count(a) AS indeg ORDER BY indeg DESC, b.id LIMIT 3 MATCH (b)-[:RUNS_ON]->(h) RETURN b.id AS id, indeg, count(h) AS hw ORDER BY id
[q48_substring_group] MATCH (n:Domain) RETURN substring(n.name, 1, 3) AS p, count(*) AS c ORDER BY c DESC, p LIMIT 5
[q49_regex_full_match] MATCH (n:Service) WHERE regexp_matches(n.name, '^Edge.*1$') RETURN count(*) AS c
[q50_group_by_string] MATCH (n:Objective) RETURN n.tags AS tags, count(*) AS c ORDER BY c DESC, tags LIMIT 3
[q51_nulls_sort_last] UNWIND [3, 1, null, 2] AS x RETURN x ORDER BY x
[q52_avg_by_group] MATCH (n:Layer) RETURN n.status AS s, avg(n.score) AS a, count(*) AS c ORDER BY s
[q53_two_types_two_hops] MATCH (o:Objective)<-[:SUPPORTS]-(x)-[:PART_OF]->(d:Domain) RETURN count(*) AS c, count(DISTINCT d.id) AS ds
[q54_chain_with_string_compare] MATCH (a:Service)-[:DEPENDS_ON]->(b:Service)-[:DEPENDS_ON]->(c:Service) WHERE a.id < c.id RETURN count(*) AS paths
[q55_order_desc_string] MATCH (n:Framework) RETURN n.name AS name ORDER BY name DESC LIMIT 4
