#!/usr/bin/env node
// export_kuzu.js - load kgsh's openCypher CSV export into Kùzu and ask both
// engines the same questions (tests/peers/export_kuzu.sh runs it).
//
// usage: NODE_PATH=.../node_modules node export_kuzu.js KGSH STORE.db CSVDIR
//                                         QUERIES DATASET
//
// The CSV files are read with kgsh's conventions (dataset/table.c): RFC
// 4180; an empty field is no value, `""` the empty string (String) or the
// empty list (Type[]); multi-values split on ';' with "\;" and "\\";
// `NAME@TYPE:TYPE` and `NAME@Json:String` columns are separate Kùzu
// columns (Kùzu holds one type per column), named as in the header.
//
// Rows are inserted with parameters, not Kùzu's COPY FROM: that wants a
// file per table, reads `""` and an empty field both as NULL, and lists
// as [a,b], so the files as they are would lose what is checked here.
//
// Schema (Kùzu needs typed tables):
//   - one node table per label; a node with several labels goes into the
//     table of its first label as written in :LABEL, and every table has a
//     column `_labels STRING[]` with all of them, so "has label L" is
//     list_contains(n._labels, 'L') in Kùzu; nodes without a label go into
//     `_Unlabeled`. The primary key is `id`, the node key (kgsh's n.id).
//   - one rel table per :TYPE with a FROM/TO pair per (source table,
//     target table) seen; every node (rel) table has every property
//     column of the node (edge) file.
//
// QUERIES holds blocks, one question each, in both dialects:
//   [name] datasets=all|NAME,NAME
//   kgsh: <openCypher>
//   kuzu: <Kùzu Cypher>
// {{A}} (the node with most outgoing edges, ties by key), {{H}} (most edges
// in and out) and {{P}} (the first 3 characters of A's name) are set from
// the data. A question with ORDER BY must give the same rows in the same
// order, one without the same multiset. Floats compare to 9 digits. A
// block marked `expect=diff` after its datasets must differ: the check
// that the comparison can fail.
// Prints one line per question (AGREE or DIFF with both answers); exit 1
// on a DIFF or an error.
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const cp = require("child_process");
const kuzu = require("kuzu");

// ---- CSV (RFC 4180), fields with a "quoted" flag ----
function readCsv(file) {
  const t = fs.readFileSync(file, "utf8");
  const rows = [];
  let row = [], i = 0;
  const n = t.length;
  while (i < n) {
    let val = "", quoted = false;
    if (t[i] === '"') {
      quoted = true;
      i++;
      for (;;) {
        const q = t.indexOf('"', i);
        if (q < 0) throw new Error(file + ": unterminated quote");
        val += t.slice(i, q);
        i = q + 1;
        if (t[i] === '"') { val += '"'; i++; continue; }
        break;
      }
    } else {
      let j = i;
      while (j < n && t[j] !== "," && t[j] !== "\r" && t[j] !== "\n") j++;
      val = t.slice(i, j);
      i = j;
    }
    row.push({ v: val, q: quoted });
    if (t[i] === ",") { i++; continue; }
    if (t[i] === "\r") i++;
    if (t[i] === "\n") i++;
    rows.push(row);
    row = [];
  }
  return rows;
}

function splitMulti(s) {
  const out = [];
  let cur = "";
  for (let i = 0; i <= s.length; i++) {
    if (i === s.length || s[i] === ";") {
      if (cur.length) out.push(cur);
      cur = "";
    } else if (s[i] === "\\" && (s[i + 1] === ";" || s[i + 1] === "\\")) {
      cur += s[++i];
    } else {
      cur += s[i];
    }
  }
  return out;
}

const KTYPE = { string: "STRING", int: "INT64", long: "INT64", short: "INT64",
  byte: "INT64", integer: "INT64", float: "DOUBLE", double: "DOUBLE",
  bool: "BOOLEAN", boolean: "BOOLEAN", date: "DATE" };

// A header cell -> {sys} or {name, type, array}; name as Kùzu's column.
function headCell(h) {
  if (h.startsWith(":") || h.startsWith("~")) return { sys: h };
  let name = "", j = 0;
  for (; j < h.length; j++) {
    if (h[j] === "\\" && (h[j + 1] === ":" || h[j + 1] === "@")) name += h[++j];
    else if (h[j] === ":") break;
    else name += h[j];
  }
  let ty = h.slice(j + 1).replace(/\((single|set)\)$/, "");
  const array = ty.endsWith("[]");
  if (array) ty = ty.slice(0, -2);
  const k = KTYPE[ty.toLowerCase()];
  if (!k) throw new Error("unknown type in header cell " + h);
  return { name, type: k, array };
}

function scalar(type, s) {
  switch (type) {
    case "STRING": return s;
    case "INT64": { const b = BigInt(s); return Number.isSafeInteger(Number(b)) ? Number(b) : b; }
    case "DOUBLE":
      if (/^nan$/i.test(s)) return NaN;
      if (/^\+?inf(inity)?$/i.test(s)) return Infinity;
      if (/^-inf(inity)?$/i.test(s)) return -Infinity;
      return Number(s);
    case "BOOLEAN": return /^true$/i.test(s);
    case "DATE": return new Date(s + "T00:00:00Z");
  }
  throw new Error("type " + type);
}

function value(col, f) {
  if (f.v === "") {
    if (!f.q) return null;
    if (col.array) return [];
    return col.type === "STRING" ? "" : null;
  }
  if (col.array) return splitMulti(f.v).map((x) => scalar(col.type, x));
  return scalar(col.type, f.v);
}

function q(s) { return "`" + s.replace(/`/g, "``") + "`"; }

function readFile(file) {
  const rows = readCsv(file);
  const head = rows[0].map((f) => headCell(f.v));
  const seen = new Map();
  for (const c of head) {
    if (c.sys) continue;
    const low = c.name.toLowerCase(); // Kùzu's names ignore case
    if (seen.has(low) || low === "id" || low === "_labels")
      throw new Error(`${file}: column ${c.name} collides in Kùzu with ${seen.get(low) || c.name}`);
    seen.set(low, c.name);
  }
  return { head, rows: rows.slice(1) };
}

async function load(conn, dir) {
  const run = async (s, p) => {
    let r;
    if (p) { const ps = await conn.prepare(s); r = await conn.execute(ps, p); }
    else r = await conn.query(s);
    const rows = await r.getAll();
    r.close();
    return rows;
  };
  const nf = readFile(path.join(dir, "nodes.csv"));
  const ef = readFile(path.join(dir, "edges.csv"));
  const idc = nf.head.findIndex((c) => c.sys === ":ID");
  const labc = nf.head.findIndex((c) => c.sys === ":LABEL");
  const nprops = nf.head.map((c, i) => [c, i]).filter(([c]) => !c.sys);
  const colDefs = (props) => props.map(([c]) => `, ${q(c.name)} ${c.type}${c.array ? "[]" : ""}`).join("");
  const tableOf = new Map(), byTable = new Map();
  for (const r of nf.rows) {
    const labels = splitMulti(r[labc].v);
    const t = labels.length ? labels[0] : "_Unlabeled";
    tableOf.set(r[idc].v, t);
    if (!byTable.has(t)) byTable.set(t, []);
    byTable.get(t).push([r, labels]);
  }
  const seenT = new Map();
  for (const t of byTable.keys()) {
    const low = t.toLowerCase();
    if (seenT.has(low)) throw new Error(`labels ${t} and ${seenT.get(low)} are one table name in Kùzu`);
    seenT.set(low, t);
    await run(`CREATE NODE TABLE ${q(t)}(id STRING PRIMARY KEY, _labels STRING[]${colDefs(nprops)})`);
  }
  await run("BEGIN TRANSACTION");
  for (const [t, rows] of byTable) {
    const set = nprops.map(([c], k) => `, ${q(c.name)}: $p${k}`).join("");
    const st = await conn.prepare(`CREATE (:${q(t)} {id: $id, _labels: $labels${set}})`);
    for (const [r, labels] of rows) {
      const p = { id: r[idc].v, labels };
      nprops.forEach(([c, i], k) => { p["p" + k] = value(c, r[i]); });
      (await conn.execute(st, p)).close();
    }
  }
  await run("COMMIT");
  const sc = ef.head.findIndex((c) => c.sys === ":START_ID");
  const dc = ef.head.findIndex((c) => c.sys === ":END_ID");
  const tc = ef.head.findIndex((c) => c.sys === ":TYPE");
  const eprops = ef.head.map((c, i) => [c, i]).filter(([c]) => !c.sys);
  const pairs = new Map(); // type -> Map("S\0D" -> rows)
  for (const r of ef.rows) {
    const s = tableOf.get(r[sc].v), d = tableOf.get(r[dc].v);
    if (!s || !d) throw new Error("edge endpoint not in nodes.csv: " + r[sc].v + " -> " + r[dc].v);
    const t = r[tc].v;
    if (!pairs.has(t)) pairs.set(t, new Map());
    const k = s + "\0" + d;
    if (!pairs.get(t).has(k)) pairs.get(t).set(k, []);
    pairs.get(t).get(k).push(r);
  }
  for (const [t, m] of pairs) {
    const fromTo = [...m.keys()].map((k) => { const [s, d] = k.split("\0"); return `FROM ${q(s)} TO ${q(d)}`; });
    await run(`CREATE REL TABLE ${q(t)}(${fromTo.join(", ")}${colDefs(eprops)})`);
  }
  await run("BEGIN TRANSACTION");
  for (const [t, m] of pairs) {
    for (const [k, rows] of m) {
      const [s, d] = k.split("\0");
      const set = eprops.map(([c], j) => `${j ? ", " : ""}${q(c.name)}: $p${j}`).join("");
      const st = await conn.prepare(`MATCH (a:${q(s)} {id: $s}), (b:${q(d)} {id: $d}) CREATE (a)-[:${q(t)} {${set}}]->(b)`);
      for (const r of rows) {
        const p = { s: r[sc].v, d: r[dc].v };
        eprops.forEach(([c, i], j) => { p["p" + j] = value(c, r[i]); });
        (await conn.execute(st, p)).close();
      }
    }
  }
  await run("COMMIT");
  // the parameters of the questions, from the data
  const out = new Map(), deg = new Map();
  for (const r of ef.rows) {
    out.set(r[sc].v, (out.get(r[sc].v) || 0) + 1);
    deg.set(r[sc].v, (deg.get(r[sc].v) || 0) + 1);
    deg.set(r[dc].v, (deg.get(r[dc].v) || 0) + 1);
  }
  const top = (m) => [...m].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))[0][0];
  const A = top(out), H = top(deg);
  const nameCol = nf.head.findIndex((c) => c.name === "name");
  const arow = nf.rows.find((r) => r[idc].v === A);
  const P = nameCol >= 0 && arow ? arow[nameCol].v.slice(0, 3) : "A";
  return { nodes: nf.rows.length, edges: ef.rows.length, tables: byTable.size,
    relTables: pairs.size, params: { A, H, P } };
}

function parseQueries(file, dataset) {
  const out = [];
  let cur = null;
  for (const raw of fs.readFileSync(file, "utf8").split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    let m = line.match(/^\[([^\]]+)\]\s*datasets=(\S+)(\s+expect=diff)?$/);
    if (m) {
      cur = { name: m[1], sets: m[2].split(","), kgsh: null, kuzu: null, diff: !!m[3] };
      out.push(cur);
      continue;
    }
    m = line.match(/^(kgsh|kuzu):\s*(.*)$/);
    if (!m || !cur) throw new Error(file + ": cannot read line: " + line);
    cur[m[1]] = m[2];
  }
  return out.filter((x) => x.sets.includes("all") || x.sets.includes(dataset));
}

function norm(v) {
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "number") return Number.isFinite(v) && !Number.isInteger(v) ? Number(v.toPrecision(9)) : v;
  if (Array.isArray(v)) return v.map(norm);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (v && typeof v === "object") { const o = {}; for (const k of Object.keys(v)) o[k] = norm(v[k]); return o; }
  return v;
}

function subst(text, params) {
  return text.replace(/\{\{(\w+)\}\}/g, (_, k) => {
    if (!(k in params)) throw new Error("unknown parameter " + k);
    return String(params[k]).replace(/\\/g, "\\\\").replace(/'/g, "\\'");
  });
}

async function main() {
  const [kgsh, db, dir, qfile, dataset] = process.argv.slice(2);
  if (!dataset) {
    console.error("usage: node export_kuzu.js KGSH STORE.db CSVDIR QUERIES DATASET");
    process.exit(2);
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "kg-export-kuzu-"));
  const kdb = new kuzu.Database(path.join(tmp, "kg.kuzu"));
  const conn = new kuzu.Connection(kdb);
  const t0 = Date.now();
  const info = await load(conn, dir);
  console.log(`@@LOAD ${dataset} nodes=${info.nodes} edges=${info.edges} node_tables=${info.tables} rel_tables=${info.relTables} ms=${Date.now() - t0} A=${info.params.A} H=${info.params.H} P=${info.params.P}`);
  let bad = 0;
  for (const x of parseQueries(qfile, dataset)) {
    const ordered = /\bORDER\s+BY\b/i.test(x.kgsh);
    let a, b, err = null;
    const kq = subst(x.kgsh, info.params);
    const res = cp.spawnSync(kgsh, ["query", "--db", db, "--mode", "jsonl", "--no-init", kq], { encoding: "utf8" });
    if (res.status !== 0) err = "kgsh: " + (res.stderr || "").trim();
    else a = res.stdout.split("\n").filter((l) => l).map((l) => norm(Object.values(JSON.parse(l))));
    if (!err) {
      try {
        const r = await conn.query(subst(x.kuzu, info.params));
        const cols = await r.getColumnNames();
        b = (await r.getAll()).map((o) => norm(cols.map((c) => o[c])));
        r.close();
      } catch (e) { err = "kuzu: " + String(e.message || e); }
    }
    let verdict;
    if (err) verdict = "ERROR " + err;
    else {
      const sa = a.map((r) => JSON.stringify(r)), sb = b.map((r) => JSON.stringify(r));
      const same = ordered ? sa.join("\n") === sb.join("\n")
                           : [...sa].sort().join("\n") === [...sb].sort().join("\n");
      verdict = same ? `AGREE rows=${a.length}` : "DIFF";
      if (!same && !x.diff) { // the first rows from where they part
        let i = 0;
        while (i < sa.length && sa[i] === sb[i]) i++;
        console.log(`  kgsh rows ${i}..: ${sa.slice(i, i + 10).join(" ")}`);
        console.log(`  kuzu rows ${i}..: ${sb.slice(i, i + 10).join(" ")}`);
      }
    }
    if (x.diff) { // the comparison's own check: this pair must differ
      verdict = verdict === "DIFF" ? "DIFF as expected" : "should differ: " + verdict;
      if (verdict !== "DIFF as expected") bad++;
    } else if (!verdict.startsWith("AGREE")) bad++;
    console.log(`${dataset} ${x.name}: ${verdict}`);
  }
  conn.closeSync && conn.closeSync();
  kdb.closeSync && kdb.closeSync();
  fs.rmSync(tmp, { recursive: true, force: true });
  process.exit(bad ? 1 : 0);
}

main().catch((e) => { console.error("export_kuzu:", e.message || e); process.exit(1); });
