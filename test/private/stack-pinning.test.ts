import { App, Aspects, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { PinImageDigests, Refresh } from '../../src';
import { RESOURCE_TYPE } from '../../src/shared/contract';

function pinnedApp(): App {
  const app = new App({ context: { [Refresh.CONTEXT_KEY]: 'test' } });
  Aspects.of(app).add(new PinImageDigests());
  return app;
}

test.each([
  ['cn-north-1', 'amazonaws.com.cn', 'aws-cn'],
  ['us-gov-west-1', 'amazonaws.com', 'aws-us-gov'],
  ['us-isob-east-1', 'sc2s.sgov.gov', 'aws-iso-b'],
  ['eu-west-1', 'amazonaws.com', 'aws'],
])('GIVEN a literal ECR URI in %s (%s) THEN the lookup role\'s grant names the repository in partition %s', (region, suffix, partition) => {
  const app = pinnedApp();
  const stack = new Stack(app, 'Service');
  new ecs.FargateTaskDefinition(stack, 'Task').addContainer('c', { image: ecs.ContainerImage.fromRegistry(`123456789012.dkr.ecr.${region}.${suffix}/api:v1`) });

  const policies = JSON.stringify(Template.fromStack(stack).findResources('AWS::IAM::Role'));
  expect(policies).toContain(`"arn:${partition}:ecr:${region}:123456789012:repository/api"`);
});

test('GIVEN a task in one stack on a repository defined in another THEN the lookup is in the task\'s stack, and only the repository crosses', () => {
  const app = pinnedApp();
  const images = new Stack(app, 'Images');
  const services = new Stack(app, 'Services');
  const repository = new ecr.Repository(images, 'Repo');
  new ecs.FargateTaskDefinition(services, 'Task').addContainer('c', { image: ecs.ContainerImage.fromEcrRepository(repository, 'main') });

  const template = Template.fromStack(services);
  template.resourceCountIs(RESOURCE_TYPE, 1);
  Template.fromStack(images).resourceCountIs(RESOURCE_TYPE, 0);
  expect(JSON.stringify(Object.values(template.findResources(RESOURCE_TYPE))[0].Properties.RepositoryName)).toContain('Fn::ImportValue');
  expect(JSON.stringify(template.findResources('AWS::ECS::TaskDefinition'))).toContain('@sha256:');
});

test('GIVEN lookups created by the aspect THEN their ids name the repository, tag and platform, so the template reads well', () => {
  const app = pinnedApp();
  const stack = new Stack(app, 'Service');
  new ecs.FargateTaskDefinition(stack, 'Task').addContainer('c', {
    image: ecs.ContainerImage.fromEcrRepository(ecr.Repository.fromRepositoryName(stack, 'Repo', 'team/api'), 'main'),
  });

  expect(Object.keys(Template.fromStack(stack).findResources(RESOURCE_TYPE))).toEqual([expect.stringMatching(/^ImageDigestPinsapimain[0-9a-f]{8}/)]);
});
