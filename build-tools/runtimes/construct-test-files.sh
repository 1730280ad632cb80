# Sourced: the jest arguments that select the construct tests, which
# synthesize and inspect templates and need no local ECR endpoint. Left out:
# the moto tests and test/lambda/ (the handler, which runs on Lambda's Node.js
# 24 in the main run) and test/local/ (the local deployment kit's own tests). The two slowest files
# are separate lists: scale.test.ts (hundreds of lookups) and cfn-lint.test.ts
# (Python's cfn-lint); their Node.js-dependent part, synth, every other file
# exercises, so the Node.js runs leave both out and the newest-aws-cdk-lib run
# the first only.
construct_test_args=(--ci --coverage=false --testPathIgnorePatterns
  '\.moto\.test\.ts$' '/test/lambda/' '/test/local/' '/node_modules/')
construct_test_scale=('/test/scale\.test\.ts$')
construct_test_lint=('/test/cfn-lint\.test\.ts$')
