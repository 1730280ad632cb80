#!/usr/bin/env bash
# Installs the wheel that `npx projen package:python` wrote to dist/python into
# a new virtualenv with the pinned aws-cdk-lib, runs the Python app's checks,
# then lints the template it synthesized (cfn-lint errors fail).
# Run from the repository root, after package:python (the projen task
# `bindings:python` does both).
set -euo pipefail
source test/bindings/versions.sh
here=test/bindings/python
venv=${here}/.venv

rm -rf "${venv}" "${here}/cdk.out"
python3 -m venv "${venv}"
"${venv}/bin/pip" install --quiet "aws-cdk-lib==${CDK_VERSION}" "constructs==${CONSTRUCTS_VERSION}" dist/python/*.whl

(cd "${here}" && CDK_OUTDIR=cdk.out .venv/bin/python -m unittest -v test_app)
cfn-lint --non-zero-exit-code error "${here}"/cdk.out/*.template.json
