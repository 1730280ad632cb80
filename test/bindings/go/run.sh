#!/usr/bin/env bash
# Builds and tests the Go app against the module that jsii-pacmak generated in
# dist/go (a replace directive in go.mod points there), with the pinned
# aws-cdk-lib: `go vet` and `go test` compile the generated module too. Then
# lints the template it synthesized (cfn-lint errors fail). The provider code
# that the app staged from the module must be the bundled handler. Run from the
# repository root; the projen task `bindings:go` generates the module first.
set -euo pipefail
source test/bindings/versions.sh
here=test/bindings/go

rm -rf "${here}/cdk.out"
# The app must build against the generated module, not a published one.
module_dir=$(cd "${here}" && go list -m -f '{{.Replace.Dir}}' github.com/cdk-image-digest-lookup/cdk-image-digest-lookup-go/cdkimagedigestlookup)
[ "${module_dir}" = "$(pwd)/dist/go/cdkimagedigestlookup" ] || { echo "the Go app builds against ${module_dir:-a published module}, not dist/go" >&2; exit 1; }
python3 build-tools/check-packaged-handler.py "${module_dir}"
(cd "${here}" && go vet ./... && CDK_OUTDIR=cdk.out go test -count=1 -v ./...)
python3 test/bindings/check-staged-handler.py "${here}/cdk.out" GoServiceStack assets/lambda/index/index.js
cfn-lint --non-zero-exit-code error "${here}"/cdk.out/*.template.json
