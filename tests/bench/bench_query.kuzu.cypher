# Kùzu's side of the names in queries.cypher that the peers' file
# (../shared/peers/queries.cypher) does not have; bench_query.sh runs Kùzu
# on the peers' file followed by this one.
#
# q04w: walks, as Kùzu's q04 (kgsh asks it with two MATCH clauses).
[q04w_2hop_undirected_fixed_walk] MATCH (a {id:'{{A}}'})-[:DEPENDS_ON]-(b)-[:DEPENDS_ON]-(c) RETURN count(*) AS walks, count(DISTINCT c.id) AS reach
# q10t: trails, the question openCypher's q10 asks.
[q10t_varlen_1_3_anytype_undirected_trail_reach] MATCH (a {id:'{{A}}'})-[* TRAIL 1..3]-(b) RETURN count(DISTINCT b.id) AS reach
