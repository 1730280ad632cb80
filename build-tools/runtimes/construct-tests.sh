#!/usr/bin/env bash
# Runs the construct tests (construct-test-files.sh says which) and
# synthesizes the example app on each Node.js major given (default: 22 and
# 24), installed from the npm registry. jest, its workers and ts-node all run
# on that Node.js.
set -euo pipefail
cd "$(dirname "$0")/../.."
source build-tools/runtimes/construct-test-files.sh
majors=("$@")
[ ${#majors[@]} -gt 0 ] || majors=(22 24)
status=0
for major in "${majors[@]}"; do
  node_binary=$(bash build-tools/runtimes/install-node.sh "${major}")
  version=$("${node_binary}" --version)
  export PATH="$(dirname "${node_binary}"):${PATH}"
  echo "--- Node.js ${version}: construct tests (jest)"
  # Its own report folder: the main jest run's report is what CI counts.
  if ! JEST_JUNIT_OUTPUT_DIR="test-reports/node${major}" "${node_binary}" node_modules/.bin/jest \
    "${construct_test_args[@]}" "${construct_test_scale[@]}" "${construct_test_lint[@]}"; then
    echo "--- Node.js ${version}: construct tests FAILED"
    status=1
  fi
  echo "--- Node.js ${version}: synth of the example app"
  if ! "${node_binary}" node_modules/.bin/ts-node --project examples/tsconfig.json examples/app.ts; then
    echo "--- Node.js ${version}: synth of the example app FAILED"
    status=1
  fi
done
exit ${status}
