// The project's jest configuration, with aws-cdk-lib and constructs resolved
// from AWS_CDK_LIB_DIR (an `npm install --prefix` folder) for every module:
// the tests, this library's sources and cdk-nag then share one copy of each,
// as instanceof checks across them require.
const path = require('path');
const root = path.join(__dirname, '..', '..');
const directory = process.env.AWS_CDK_LIB_DIR;
if (!directory) {
  throw new Error('AWS_CDK_LIB_DIR is not set: name the folder that aws-cdk-lib was installed into with `npm install --prefix`.');
}
const modules = path.resolve(directory, 'node_modules');
const { jest } = require(path.join(root, 'package.json'));

module.exports = {
  ...jest,
  rootDir: root,
  setupFiles: [...(jest.setupFiles ?? []), path.join(__dirname, 'expect-aws-cdk-lib.js')],
  moduleNameMapper: {
    ...jest.moduleNameMapper,
    '^(aws-cdk-lib|constructs)$': path.join(modules, '$1'),
    '^(aws-cdk-lib|constructs)/(.*)$': path.join(modules, '$1', '$2'),
  },
};
