// Fails unless the aws-cdk-lib that the tests and the example's synth load is
// the lowest release of the peer range users are promised: the main test run
// is then the lowest-version half of the compatibility check.
const path = require('path');
const root = path.join(__dirname, '..', '..');
const manifest = require(path.join(root, 'package.json'));
const range = manifest.peerDependencies['aws-cdk-lib'];
const lowest = /^\^(\d+\.\d+\.\d+)$/.exec(range)?.[1];
const loaded = require(require.resolve('aws-cdk-lib/package.json', { paths: [root] })).version;
if (!lowest) {
  console.error(`the aws-cdk-lib peer range is ${JSON.stringify(range)}: expected ^X.Y.Z, whose lowest release the tests pin`);
  process.exit(1);
}
if (loaded !== lowest) {
  console.error(`the tests load aws-cdk-lib ${loaded}, not ${lowest}, the lowest of the peer range ${range}: pin the dev dependency to it (cdkVersion in .projenrc.ts)`);
  process.exit(1);
}
console.log(`the tests and the example's synth run on aws-cdk-lib ${loaded}, the lowest of the peer range ${range}`);
