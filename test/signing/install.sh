#!/usr/bin/env bash
# Builds the tools that make the signature tests' fixtures, from the Go module
# proxy, into .tools/signing/bin (gitignored; a second run only checks):
#   cosign            github.com/sigstore/cosign/v2 (signs with a key pair)
#   registry          github.com/distribution/distribution/v3 (the registry cosign and Notation push to)
#   notation-signer   test/signing/notation-signer, built on notation-go and oras-go (the notation CLI is not served)
# A tool is rebuilt when its version stamp differs from the pinned one.
set -euo pipefail
cd "$(dirname "$0")/../.."

COSIGN_VERSION=v2.6.5
REGISTRY_VERSION=v3.1.2
bin=$(pwd)/.tools/signing/bin
mkdir -p "${bin}"

build() {
  local name=$1 stamp=$2
  shift 2
  if [ -x "${bin}/${name}" ] && [ "$(cat "${bin}/${name}.version" 2>/dev/null)" = "${stamp}" ]; then
    echo "signing: ${name} ${stamp} is built"
    return
  fi
  local started=${SECONDS}
  echo "signing: building ${name} ${stamp} (minutes on a first run)"
  "$@"
  echo "${stamp}" > "${bin}/${name}.version"
  echo "signing: ${name} built in $((SECONDS - started)) s"
}

build cosign "${COSIGN_VERSION}" env GOBIN="${bin}" go install "github.com/sigstore/cosign/v2/cmd/cosign@${COSIGN_VERSION}"
build registry "${REGISTRY_VERSION}" env GOBIN="${bin}" go install "github.com/distribution/distribution/v3/cmd/registry@${REGISTRY_VERSION}"
# The signer's sources are its version: any change rebuilds it.
signer_stamp=$(cat test/signing/notation-signer/go.mod test/signing/notation-signer/go.sum test/signing/notation-signer/*.go | sha256sum | cut -c1-16)
build notation-signer "${signer_stamp}" bash -c "cd test/signing/notation-signer && go build -o '${bin}/notation-signer' ."
