# Sourced by the language runs: the aws-cdk-lib and constructs versions that
# package.json pins for the TypeScript tests, so every language is tested
# against the same ones.
dev_dependency() {
  node -p "require('./package.json').devDependencies['$1']"
}
CDK_VERSION=$(dev_dependency aws-cdk-lib)
CONSTRUCTS_VERSION=$(dev_dependency constructs)
export CDK_VERSION CONSTRUCTS_VERSION
# The jsii runtime under each language runs on this machine's Node.js, which
# jsii marks end-of-life; the banner says nothing about the checks.
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1
