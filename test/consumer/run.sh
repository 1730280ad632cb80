#!/usr/bin/env bash
# Does what a user of the npm package does, outside the repository: creates a
# new npm project, installs the tarball that `npx projen package:js` wrote to
# dist/js with aws-cdk-lib, constructs and the CDK CLI, synthesizes app.js with
# `cdk synth` and no AWS credentials, then checks the cloud assembly
# (check.js). Run from the repository root; the projen task `consumer:npm`
# builds the tarball first.
set -euo pipefail
source test/bindings/versions.sh
here=$(pwd)/test/consumer
tarballs=("$(pwd)"/dist/js/*.tgz)
[ ${#tarballs[@]} -eq 1 ] && [ -f "${tarballs[0]}" ] || { echo "want one npm tarball in dist/js, found: ${tarballs[*]}" >&2; exit 1; }
# The CLI release the project's own tests use, so that it reads the cloud
# assembly that this aws-cdk-lib writes.
cli_version=$(node -p "require('aws-cdk/package.json').version")
bundled_handler=$(pwd)/assets/lambda/index/index.js

app=$(mktemp -d)
trap 'rm -rf "${app}"' EXIT
cp "${here}/app.js" "${here}/check.js" "${app}/"
cd "${app}"
npm init --yes >/dev/null
npm install --no-audit --no-fund --prefer-offline --loglevel=error \
  "${tarballs[0]}" "aws-cdk-lib@${CDK_VERSION}" "constructs@${CONSTRUCTS_VERSION}" "aws-cdk@${cli_version}"

# No credentials, no profile, no instance metadata: synth must not need AWS.
env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN -u AWS_PROFILE \
  AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true \
  CDK_DISABLE_VERSION_CHECK=true \
  npx cdk synth --app 'node app.js' --output cdk.out --quiet --no-notices
node check.js cdk.out "${bundled_handler}"
