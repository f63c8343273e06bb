#!/bin/sh
# setup_kuzu.sh - install Kùzu's Node.js package (it ships a prebuilt
# native module) into $KG_PEERS_DIR/node_modules, default /tmp/peers, for
# the peers' differential test (tests/peers) and tests/bench/bench_query.sh.
#
# Idempotent: when the wanted version is there and loads, nothing is
# fetched, so a CI cache of $KG_PEERS_DIR makes the step free. The version
# is pinned (KUZU_VERSION, default 0.11.3): the peers' scripts and the
# expected answers were checked against it.
#
# CI (GitHub Actions), before configuring the build:
#   - uses: actions/cache@v4
#     with: { path: /tmp/peers, key: kuzu-0.11.3-${{ runner.os }}-node20 }
#   - run: tests/peers/setup_kuzu.sh
# then `cmake` registers the peers_diff_kuzu test (label peers).
set -eu
dir="${KG_PEERS_DIR:-/tmp/peers}"
version="${KUZU_VERSION:-0.11.3}"

command -v node > /dev/null || { echo "setup_kuzu: node is not installed" >&2; exit 2; }
command -v npm > /dev/null || { echo "setup_kuzu: npm is not installed" >&2; exit 2; }

# Prints the installed version when the native module loads and answers a
# query, nothing otherwise. (package.json is not in kuzu's "exports": read
# it as a file.)
installed() {
    NODE_PATH="$dir/node_modules" node -e '
        const fs = require("fs"), path = require("path");
        const pkg = path.join(path.dirname(require.resolve("kuzu")), "package.json");
        const kuzu = require("kuzu");
        const conn = new kuzu.Connection(new kuzu.Database(":memory:"));
        conn.query("RETURN 41 + 1 AS x").then((r) => r.getAll()).then((rows) => {
            if (Number(rows[0].x) === 42)
                process.stdout.write(JSON.parse(fs.readFileSync(pkg, "utf8")).version);
        });' 2> /dev/null || true
}

if [ "$(installed)" = "$version" ]; then
    echo "setup_kuzu: kuzu $version already in $dir/node_modules"
    exit 0
fi
mkdir -p "$dir"
cd "$dir"
[ -f package.json ] || npm init -y > /dev/null
npm install --no-audit --no-fund --save-exact "kuzu@$version"
# The package's install script copies the prebuilt native module for this
# platform into place. npm versions that hold back install scripts (see
# "allowScripts") skip it: run it here, but only when a prebuilt binary
# exists (otherwise it would build Kùzu from source, for an hour).
pkg="$dir/node_modules/kuzu"
if [ ! -f "$pkg/kuzujs.node" ]; then
    plat="$(node -p 'process.platform + "-" + process.arch')"
    [ -f "$pkg/prebuilt/kuzujs-$plat.node" ] ||
        { echo "setup_kuzu: kuzu $version has no prebuilt module for $plat" >&2; exit 1; }
    (cd "$pkg" && node install.js > /dev/null)
fi
got="$(installed)"
if [ "$got" != "$version" ]; then
    echo "setup_kuzu: kuzu $version did not install or does not load (got '$got')" >&2
    exit 1
fi
echo "setup_kuzu: kuzu $version installed in $dir/node_modules"
