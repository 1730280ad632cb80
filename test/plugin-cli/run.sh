#!/usr/bin/env bash
# Installs the npm package that `npx projen package:js` wrote to dist/js into a
# new app outside the repository, with aws-cdk-lib, constructs and the real CDK
# CLI, then runs the plugin's five steps against moto (steps.ts). Run from the
# repository root; the projen task `test:plugin-cli` builds the tarball first.
set -euo pipefail
source test/bindings/versions.sh
here=$(pwd)
tarballs=("${here}"/dist/js/*.tgz)
[ ${#tarballs[@]} -eq 1 ] && [ -f "${tarballs[0]}" ] || { echo "want one npm tarball in dist/js, found: ${tarballs[*]}" >&2; exit 1; }
cli_version=$(node -p "require('aws-cdk/package.json').version")

app=$(mktemp -d)
trap 'rm -rf "${app}"' EXIT
cp test/plugin-cli/app.js "${app}/"
(
  cd "${app}"
  npm init --yes >/dev/null
  npm install --no-audit --no-fund --prefer-offline --loglevel=error \
    "${tarballs[0]}" "aws-cdk-lib@${CDK_VERSION}" "constructs@${CONSTRUCTS_VERSION}" "aws-cdk@${cli_version}"
)
npx ts-node --project local/tsconfig.json test/plugin-cli/steps.ts "${app}"
