import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
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
  [{ exportName: 'ApiImage', output: false }, 'ImageDigestLookup Stack/Api: publish(): exportName "ApiImage" is set but output is false'],
  [{ parameterName: 'has space' }, 'ImageDigestLookup Stack/Api: publish(): parameterName "has space" is not a valid SSM parameter name'],
  [{ parameterName: 'services/api' }, 'parameterName "services/api" is not a valid SSM parameter name'],
  [{ parameterName: '/aws/api' }, 'parameterName "/aws/api" is not a valid SSM parameter name'],
])('GIVEN bad publish options %j WHEN published THEN it throws naming the option', (options, message) => {
  const { lookup } = newLookup();

  expect(() => lookup.publish(options)).toThrow(message);
});

describe('publishing more than once', () => {
  test('GIVEN two parameter names in two calls WHEN synthesized THEN both parameters exist, the first with its usual id', () => {
    const { stack, lookup } = newLookup();

    const first = lookup.publish({ parameterName: '/services/api/image', output: false });
    lookup.publish({ parameterName: '/mirror/api/image', output: false });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SSM::Parameter', { Name: '/services/api/image' });
    template.hasResourceProperties('AWS::SSM::Parameter', { Name: '/mirror/api/image' });
    expect(first.parameter!.node.id).toBe('PublishedImageUriParameter');
  });

  test('GIVEN an output in one call and a parameter in another WHEN synthesized THEN both exist', () => {
    const { stack, lookup } = newLookup();

    lookup.publish();
    lookup.publish({ parameterName: '/services/api/image' });

    const template = Template.fromStack(stack);
    expect(Object.keys(template.findOutputs('*'))).toHaveLength(2);
    template.resourceCountIs('AWS::SSM::Parameter', 1);
  });

  test('GIVEN two exported outputs in two calls WHEN synthesized THEN each carries its export name', () => {
    const { stack, lookup } = newLookup();

    lookup.publish({ exportName: 'ApiImage' });
    lookup.publish({ exportName: 'ApiDigest', value: PublishedValue.DIGEST });
    lookup.publish({ exportName: 'ApiImageAgain' });

    const exports = Object.values(Template.fromStack(stack).findOutputs('*')).map((o) => o.Export.Name).sort();
    expect(exports).toEqual(['ApiDigest', 'ApiImage', 'ApiImageAgain']);
  });

  test('GIVEN the same parameter name twice WHEN published THEN it throws naming the parameter', () => {
    const { lookup } = newLookup();
    lookup.publish({ parameterName: '/services/api/image' });

    expect(() => lookup.publish({ parameterName: '/services/api/image' }))
      .toThrow('parameterName "/services/api/image" is already published by Stack/Api, and SSM holds one parameter per name');
  });

  test('GIVEN an export name WHEN published THEN synth warns that the export moves with the tag', () => {
    const { stack, lookup } = newLookup();

    lookup.publish({ exportName: 'ApiImage' });

    Annotations.fromStack(stack).hasWarning('/Stack/Api', Match.stringLikeRegexp('exports its resolved value as ApiImage, which changes whenever the tag moves.*cdk-image-digest-lookup:movingExport'));
  });

  test('GIVEN no export name WHEN published THEN synth does not warn', () => {
    const { stack, lookup } = newLookup();

    lookup.publish({ parameterName: '/services/api/image' });

    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });
});
