#!/usr/bin/env bash
# Installs the wheel that `npx projen package:python` wrote to dist/python into
# a new virtualenv with the pinned aws-cdk-lib, runs the Python app's checks,
# then lints the template it synthesized (cfn-lint errors fail). The installed
# package, and the provider code that the app staged from it, must carry the
# bundled handler.
# Run from the repository root, after package:python (the projen task
# `bindings:python` does both).
set -euo pipefail
source test/bindings/versions.sh
here=test/bindings/python
venv=${here}/.venv

rm -rf "${venv}" "${here}/cdk.out"
python3 -m venv "${venv}"
"${venv}/bin/pip" install --quiet "aws-cdk-lib==${CDK_VERSION}" "constructs==${CONSTRUCTS_VERSION}" dist/python/*.whl

# The app must load the library from the wheel, not from this repository.
# find_spec locates the package without importing it: an import starts the
# jsii runtime, which loads aws-cdk-lib and takes tens of seconds.
installed=$("${venv}/bin/python" -c 'import importlib.util; print(importlib.util.find_spec("cdk_image_digest_lookup").submodule_search_locations[0])')
case "${installed}" in
  "$(pwd)/${venv}"/*) ;;
  *) echo "cdk_image_digest_lookup loads from ${installed}, not from the virtualenv" >&2; exit 1 ;;
esac
python3 build-tools/check-packaged-handler.py "${installed}"

(cd "${here}" && CDK_OUTDIR=cdk.out .venv/bin/python -m unittest -v test_app)
python3 test/bindings/check-staged-handler.py "${here}/cdk.out" PythonServiceStack assets/lambda/index/index.js
cfn-lint --non-zero-exit-code error "${here}"/cdk.out/*.template.json
