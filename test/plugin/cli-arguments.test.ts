import { cliProfile, lookupsDisabled } from '../../plugin/cli-arguments';

test.each([
  [['node', 'cdk', 'diff', '--profile', 'prod'], 'prod'],
  [['node', 'cdk', 'synth', '--profile=ci', '--quiet'], 'ci'],
  [['node', 'cdk', 'synth', '--quiet'], undefined],
  // A flag where the name should be is no profile: the CLI itself would reject it.
  [['node', 'cdk', 'synth', '--profile', '--quiet'], undefined],
])('GIVEN the CLI started as %j THEN the plugin uses profile %j', (argv, profile) => {
  expect(cliProfile(argv)).toBe(profile);
});

test.each([
  [['node', 'cdk', 'synth', '--no-lookups'], true],
  [['node', 'cdk', 'synth', '--lookups', 'false'], true],
  [['node', 'cdk', 'synth', '--lookups=false'], true],
  [['node', 'cdk', 'synth', '--lookups=true'], false],
  [['node', 'cdk', 'diff'], false],
])('GIVEN the CLI started as %j THEN lookups are disabled: %j', (argv, disabled) => {
  expect(lookupsDisabled(argv)).toBe(disabled);
});
