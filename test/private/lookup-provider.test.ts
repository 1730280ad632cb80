/**
 * The stack-wide settings of the lookup function: its role, by name or brought
 * by the user, and the accessor that cross-account setups grant to.
 */
import { App, Fn, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ImageDigestLookup } from '../../src';

const ENV = { account: '111111111111', region: 'eu-west-1' };

function newStack(): Stack {
  return new Stack(new App(), 'Lookups', { env: ENV });
}

function lookUp(stack: Stack, id: string, name: string, props: { platform?: string } = {}): ImageDigestLookup {
  return new ImageDigestLookup(stack, id, { repository: ecr.Repository.fromRepositoryName(stack, `${id}Repository`, name), ...props });
}

/** The role ARN the function runs as, resolved in the template. */
function functionRole(stack: Stack): unknown {
  return Object.values<any>(Template.fromStack(stack).findResources('AWS::Lambda::Function'))[0].Properties.Role;
}

describe('lookupRole', () => {
  test.each([
    ['before', (stack: Stack) => { const role = ImageDigestLookup.lookupRole(stack); lookUp(stack, 'Api', 'api'); return role; }],
    ['after', (stack: Stack) => { lookUp(stack, 'Api', 'api'); return ImageDigestLookup.lookupRole(stack); }],
  ])('GIVEN lookupRole called %s the first lookup WHEN synthesized THEN it is the role the function runs as', (_when, roleOf) => {
    const stack = newStack();

    const role = roleOf(stack);

    Template.fromStack(stack).resourceCountIs('AWS::Lambda::Function', 1);
    expect(stack.resolve(role.roleArn)).toEqual(functionRole(stack));
  });

  test('GIVEN lookupRole called from a nested construct WHEN compared THEN it is the stack\'s one role', () => {
    const stack = newStack();
    const nested = new iam.Role(stack, 'Other', { assumedBy: new iam.AccountRootPrincipal() });

    expect(ImageDigestLookup.lookupRole(nested)).toBe(ImageDigestLookup.lookupRole(stack));
  });
});

describe('roleName', () => {
  test('GIVEN a roleName WHEN synthesized THEN the stack\'s role has that name and lookupRole\'s ARN ends in it', () => {
    const stack = newStack();

    ImageDigestLookup.configureProvider(stack, { roleName: 'image-digest-lookup-app' });
    lookUp(stack, 'Api', 'api');

    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', { RoleName: 'image-digest-lookup-app' });
    expect(stack.resolve(ImageDigestLookup.lookupRole(stack).roleName)).toEqual({ Ref: expect.stringMatching(/^ImageDigestLookupProviderRole/) });
  });

  test('GIVEN a roleName that is a token WHEN configured THEN it is accepted and used', () => {
    const stack = newStack();

    ImageDigestLookup.configureProvider(stack, { roleName: Fn.importValue('LookupRoleName') });
    lookUp(stack, 'Api', 'api');

    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', { RoleName: { 'Fn::ImportValue': 'LookupRoleName' } });
  });

  test.each(['has spaces', 'x'.repeat(65), '', 'slash/name'])('GIVEN roleName %j WHEN configured THEN synth fails naming the value and IAM\'s rule', (roleName) => {
    const stack = newStack();

    expect(() => ImageDigestLookup.configureProvider(stack, { roleName }))
      .toThrow(`roleName ${JSON.stringify(roleName)} is not a valid IAM role name, which has 1 to 64 characters among letters, digits and _+=,.@-`);
  });

  test('GIVEN both roleName and role WHEN configured THEN synth fails: keep one', () => {
    const stack = newStack();
    const role = iam.Role.fromRoleName(stack, 'Existing', 'existing');

    expect(() => ImageDigestLookup.configureProvider(stack, { roleName: 'lookup', role })).toThrow(/both roleName "lookup" and role \(Lookups\/Existing\) are set/);
  });
});

describe('configureProvider after the provider exists', () => {
  test.each([
    ['a lookup', (stack: Stack) => lookUp(stack, 'Api', 'api')],
    ['lookupRole()', (stack: Stack) => ImageDigestLookup.lookupRole(stack)],
  ])('GIVEN %s before configureProvider with a roleName WHEN configured THEN it fails, naming both settings', (_what, first) => {
    const stack = newStack();
    first(stack);

    expect(() => ImageDigestLookup.configureProvider(stack, { roleName: 'lookup' }))
      .toThrow('the lookup function of stack Lookups already exists with a role with a generated name, but roleName "lookup" was asked for: call configureProvider once per stack, before its first ImageDigestLookup or lookupRole().');
  });

  test('GIVEN configureProvider twice with the same settings WHEN synthesized THEN one role has the name', () => {
    const stack = newStack();

    ImageDigestLookup.configureProvider(stack, { roleName: 'lookup' });
    lookUp(stack, 'Api', 'api');
    ImageDigestLookup.configureProvider(stack, { roleName: 'lookup' });

    Template.fromStack(stack).resourceCountIs('AWS::IAM::Role', 1);
  });

  test('GIVEN configureProvider with another role name WHEN configured again THEN it fails', () => {
    const stack = newStack();
    ImageDigestLookup.configureProvider(stack, { roleName: 'lookup' });

    expect(() => ImageDigestLookup.configureProvider(stack, { roleName: 'other' })).toThrow(/already exists with roleName "lookup", but roleName "other" was asked for/);
  });
});

describe('an existing role', () => {
  function stackWithRole(options: iam.FromRoleArnOptions = {}) {
    const stack = newStack();
    const role = iam.Role.fromRoleArn(stack, 'Existing', 'arn:aws:iam::111111111111:role/platform/lookup', options);
    ImageDigestLookup.configureProvider(stack, { role });
    lookUp(stack, 'Api', 'api');
    lookUp(stack, 'Worker', 'worker', { platform: 'linux/arm64' });
    return { stack, role };
  }

  test('GIVEN a mutable imported role WHEN synthesized THEN the stack creates no role and the function runs as it', () => {
    const { stack, role } = stackWithRole();

    Template.fromStack(stack).resourceCountIs('AWS::IAM::Role', 0);
    expect(ImageDigestLookup.lookupRole(stack)).toBe(role);
    expect(functionRole(stack)).toBe('arn:aws:iam::111111111111:role/platform/lookup');
  });

  test('GIVEN a mutable imported role WHEN synthesized THEN every grant is in managed policies attached to it by name', () => {
    const { stack } = stackWithRole();
    const template = Template.fromStack(stack);

    const policies = Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy'));
    expect(policies.map((p) => p.Properties.Roles)).toEqual([['lookup']]);
    const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
    const resourcesOf = (action: string) => statements.filter((s) => [s.Action].flat().includes(action)).flatMap((s) => [s.Resource].flat());
    const arn = (name: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ecr:eu-west-1:111111111111:repository/${name}`]] });
    expect(resourcesOf('ecr:DescribeImages')).toEqual([arn('api'), arn('worker')]);
    expect(resourcesOf('ecr:BatchGetImage')).toEqual([arn('api'), arn('worker')]);
    expect(resourcesOf('cloudformation:DescribeStacks')).toEqual([{ Ref: 'AWS::StackId' }]);
    expect(resourcesOf('logs:PutLogEvents')).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/^ImageDigestLookupProviderLogs/), 'Arn'] }]);
    template.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('GIVEN a mutable imported role WHEN synthesized THEN the function waits for its policies, so no lookup runs before its grant', () => {
    const { stack } = stackWithRole();
    const template = Template.fromStack(stack);

    const policyIds = Object.keys(template.findResources('AWS::IAM::ManagedPolicy'));
    const fn = Object.values<any>(template.findResources('AWS::Lambda::Function'))[0];
    expect(fn.DependsOn).toEqual(expect.arrayContaining(policyIds));
    expect(Object.values<any>(template.findResources('Custom::ImageDigestLookup')).filter((l) => l.DependsOn)).toEqual([]);
  });

  test('GIVEN a role imported with mutable: false WHEN synthesized THEN synth fails: the role would get none of its grants', () => {
    const { stack } = stackWithRole({ mutable: false });

    expect(() => Template.fromStack(stack)).toThrow(/the lookup role Lookups\/Existing given to configureProvider does not accept policies \(imported with mutable: false\?\)/);
  });
});
