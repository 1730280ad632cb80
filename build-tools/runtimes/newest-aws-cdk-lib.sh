#!/usr/bin/env bash
# Runs the construct tests and synthesizes the example app against the newest
# aws-cdk-lib the npm registry serves (or the version given), installed under
# .tools/aws-cdk-lib/<version>/ and kept there as a cache. The project's own
# aws-cdk-lib, the lowest of the peer range, is what `npm test` uses.
set -euo pipefail
cd "$(dirname "$0")/../.."
source build-tools/runtimes/construct-test-files.sh
version=${1:-$(npm view aws-cdk-lib version)}
directory=.tools/aws-cdk-lib/${version}
if [ ! -f "${directory}/node_modules/aws-cdk-lib/package.json" ]; then
  npm install --prefix "${directory}" --no-audit --no-fund --no-package-lock "aws-cdk-lib@${version}" 'constructs@^10.5.1'
fi
export AWS_CDK_LIB_DIR=${PWD}/${directory}
export AWS_CDK_LIB_VERSION=${version}
export BENCH_AWS_CDK_LIB_DIR=${AWS_CDK_LIB_DIR}
override=${PWD}/bench/aws-cdk-lib-override.js

# The redirection must really take: the example's synth and the tests' copy
# of aws-cdk-lib must both be the one installed above.
loaded=$(node -r "${override}" -p "require('aws-cdk-lib/package.json').version")
if [ "${loaded}" != "${version}" ]; then
  echo "the synth loaded aws-cdk-lib ${loaded}, not ${version}" >&2
  exit 1
fi

status=0
echo "--- aws-cdk-lib ${version} on Node.js $(node --version): construct tests (jest)"
# cfn-lint's verdict over the templates is in: a newer aws-cdk-lib is likely
# to change what it synthesizes. The scale tests are out unless
# WITH_SCALE_TESTS=1 (they add minutes). The built-in CloudFormation
# validation of newer releases (seconds of WASM per synth) is off for the
# tests and on for the example's synth below, as users get it.
ignored=("${construct_test_scale[@]}")
[ "${WITH_SCALE_TESTS:-}" != 1 ] || ignored=()
if ! CDK_VALIDATION=false JEST_JUNIT_OUTPUT_DIR="test-reports/aws-cdk-lib-${version}" npx jest \
  --config build-tools/runtimes/jest-aws-cdk-lib.config.js "${construct_test_args[@]}" "${ignored[@]}"; then
  echo "--- aws-cdk-lib ${version}: construct tests FAILED"
  status=1
fi
echo "--- aws-cdk-lib ${version} on Node.js $(node --version): synth of the example app"
if ! node -r "${override}" node_modules/.bin/ts-node --project examples/tsconfig.json examples/app.ts; then
  echo "--- aws-cdk-lib ${version}: synth of the example app FAILED"
  status=1
fi
exit ${status}
