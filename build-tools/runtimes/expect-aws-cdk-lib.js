// Runs in every test file of the newest-aws-cdk-lib run: fails the file
// unless the aws-cdk-lib it loads is the one that run installed.
const expected = process.env.AWS_CDK_LIB_VERSION;
const loaded = require('aws-cdk-lib/package.json').version;
if (loaded !== expected) {
  throw new Error(`The tests loaded aws-cdk-lib ${loaded}, not ${expected}: the moduleNameMapper of jest-aws-cdk-lib.config.js did not take.`);
}
