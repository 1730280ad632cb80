import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { ImageDigestLookup, PublishedValue } from '../src';

function newLookup(): { stack: Stack; lookup: ImageDigestLookup } {
  const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
  const lookup = new ImageDigestLookup(stack, 'Api', { repository: ecr.Repository.fromRepositoryName(stack, 'Repo', 'api') });
  return { stack, lookup };
}

test('GIVEN publish() WHEN synthesized THEN one stack output carries the image URI and no parameter exists', () => {
  const { stack, lookup } = newLookup();

  lookup.publish();

  const template = Template.fromStack(stack);
  const outputs = Object.values(template.findOutputs('*'));
  expect(outputs).toHaveLength(1);
  expect(outputs[0].Value).toEqual(stack.resolve(lookup.imageUri));
  template.resourceCountIs('AWS::SSM::Parameter', 0);
});

test('GIVEN an export name WHEN published THEN the output is exported under it', () => {
  const { stack, lookup } = newLookup();

  lookup.publish({ exportName: 'ApiImage' });

  expect(Object.values(Template.fromStack(stack).findOutputs('*'))[0].Export).toEqual({ Name: 'ApiImage' });
});

test('GIVEN a parameter name WHEN published THEN an SSM String parameter of that name holds the image URI', () => {
  const { stack, lookup } = newLookup();

  lookup.publish({ parameterName: '/services/api/image', output: false });

  const template = Template.fromStack(stack);
  template.hasResourceProperties('AWS::SSM::Parameter', { Name: '/services/api/image', Type: 'String', Value: stack.resolve(lookup.imageUri) });
  expect(Object.keys(template.findOutputs('*'))).toHaveLength(0);
});

test('GIVEN the digest as value WHEN published THEN the output holds sha256: and the digest attribute', () => {
  const { stack, lookup } = newLookup();

  lookup.publish({ value: PublishedValue.DIGEST });

  expect(Object.values(Template.fromStack(stack).findOutputs('*'))[0].Value).toEqual(stack.resolve(lookup.digest));
});

test('GIVEN the URI and the digest both published WHEN synthesized THEN both outputs exist side by side', () => {
  const { stack, lookup } = newLookup();

  lookup.publish();
  lookup.publish({ value: PublishedValue.DIGEST });

  expect(Object.keys(Template.fromStack(stack).findOutputs('*'))).toHaveLength(2);
});

test.each([
  [{ exportName: 'ApiImage', output: false }, 'ImageDigestLookup.publish(): exportName "ApiImage" is set but output is false'],
  [{ parameterName: 'has space' }, 'ImageDigestLookup.publish(): parameterName "has space" is not a valid SSM parameter name'],
  [{ parameterName: 'services/api' }, 'parameterName "services/api" is not a valid SSM parameter name'],
  [{ parameterName: '/aws/api' }, 'parameterName "/aws/api" is not a valid SSM parameter name'],
])('GIVEN bad publish options %j WHEN published THEN it throws naming the option', (options, message) => {
  const { lookup } = newLookup();

  expect(() => lookup.publish(options)).toThrow(message);
});
