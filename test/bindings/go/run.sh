#!/usr/bin/env bash
# Builds and tests the Go app against the module that jsii-pacmak generated in
# dist/go (a replace directive in go.mod points there), with the pinned
# aws-cdk-lib: `go vet` and `go test` compile the generated module too. Then
# lints the template it synthesized (cfn-lint errors fail). Run from the
# repository root; the projen task `bindings:go` generates the module first.
set -euo pipefail
source test/bindings/versions.sh
here=test/bindings/go

rm -rf "${here}/cdk.out"
(cd "${here}" && go vet ./... && CDK_OUTDIR=cdk.out go test -count=1 -v ./...)
cfn-lint --non-zero-exit-code error "${here}"/cdk.out/*.template.json
