// Preloaded into a synth process to run it against another aws-cdk-lib than
// the project's own: when BENCH_AWS_CDK_LIB_DIR names a directory, aws-cdk-lib
// and constructs are resolved from it for every module, this library's
// sources included, so that all constructs share one copy of each.
const Module = require('module');

const directory = process.env.BENCH_AWS_CDK_LIB_DIR;
if (directory) {
  const resolve = Module._resolveFilename;
  const redirected = /^(aws-cdk-lib|constructs)(\/|$)/;
  Module._resolveFilename = function resolveFromOverride(request, parent, isMain, options) {
    if (redirected.test(request)) {
      return resolve.call(this, request, parent, isMain, { ...options, paths: [directory] });
    }
    return resolve.call(this, request, parent, isMain, options);
  };
}
