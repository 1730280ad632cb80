/** The grant that lets the handler tell a rollback from a forward update: DescribeStacks on its own stack only. */
import { App, NestedStack, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { ImageDigestLookup } from '../../src';

const ENV = { account: '111111111111', region: 'eu-west-1' };

function describeStacksStatements(template: Template): any[] {
  const roles = Object.values(template.findResources('AWS::IAM::Role')) as any[];
  return roles.flatMap((role) => (role.Properties.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement))
    .filter((s: any) => [s.Action].flat().some((a: string) => a.startsWith('cloudformation:')));
}

test('GIVEN a lookup WHEN synthesized THEN its role may call DescribeStacks on its own stack only, in the role\'s inline policy', () => {
  const stack = new Stack(new App(), 'Stack', { env: ENV });

  new ImageDigestLookup(stack, 'Api', { repository: ecr.Repository.fromRepositoryName(stack, 'Repo', 'api'), tag: 'main' });

  const template = Template.fromStack(stack);
  expect(describeStacksStatements(template)).toEqual([{ Action: 'cloudformation:DescribeStacks', Effect: 'Allow', Resource: { Ref: 'AWS::StackId' } }]);
  template.resourceCountIs('AWS::IAM::Policy', 0);
});

test('GIVEN lookups in a nested stack WHEN synthesized THEN the nested stack\'s role may describe the nested stack, the one whose id its events carry', () => {
  const parent = new Stack(new App(), 'Parent', { env: ENV });
  const nested = new NestedStack(parent, 'Nested');

  new ImageDigestLookup(nested, 'Api', { repository: ecr.Repository.fromRepositoryName(nested, 'Repo', 'api'), tag: 'main' });

  expect(describeStacksStatements(Template.fromStack(nested))).toEqual([{ Action: 'cloudformation:DescribeStacks', Effect: 'Allow', Resource: { Ref: 'AWS::StackId' } }]);
  expect(describeStacksStatements(Template.fromStack(parent))).toEqual([]);
});
