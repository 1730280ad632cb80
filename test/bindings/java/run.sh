#!/usr/bin/env bash
# Builds and tests the Java app against the Maven repository that
# `npx projen package:java` wrote to dist/java, with the pinned aws-cdk-lib,
# then lints the template it synthesized (cfn-lint errors fail). The jar Maven
# resolved, and the provider code that the app staged from it, must carry the
# bundled handler.
# Run from the repository root, after package:java (the projen task
# `bindings:java` does both).
set -euo pipefail
source test/bindings/versions.sh
here=test/bindings/java
version=$(node -p "require('./package.json').version")

# Maven keeps every artifact it resolved in its local repository and never
# fetches a release version again: drop the copy of the previous build.
resolved="${HOME}/.m2/repository/io/github/cdk-image-digest-lookup/cdk-image-digest-lookup"
rm -rf "${resolved}"
rm -rf "${here}/target"

CDK_OUTDIR=target/cdk.out mvn --batch-mode --quiet --file "${here}/pom.xml" \
  -Dlookup.version="${version}" -Dcdk.version="${CDK_VERSION}" -Dconstructs.version="${CONSTRUCTS_VERSION}" \
  test
cat "${here}"/target/surefire-reports/*.txt
# Maven notes which repository each artifact came from: it must be dist/java.
grep -qx "cdk-image-digest-lookup-${version}.jar>built-package=" "${resolved}/${version}/_remote.repositories" \
  || { echo "Maven did not resolve the jar from dist/java (the built-package repository)" >&2; exit 1; }
python3 build-tools/check-packaged-handler.py "${resolved}"
python3 test/bindings/check-staged-handler.py "${here}/target/cdk.out" JavaServiceStack assets/lambda/index/index.js
cfn-lint --non-zero-exit-code error "${here}"/target/cdk.out/*.template.json
