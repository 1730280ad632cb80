/**
 * An app that pulls in two copies of the library (two versions through its
 * dependencies): each copy's lookups share their own copy's provider.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { ImageDigestLookup } from '../../src';

/** A second, separately loaded copy of the library, as npm installs one for a dependency. */
function otherCopy(): typeof import('../../src') {
  let copy: typeof import('../../src') | undefined;
  jest.isolateModules(() => {
    // A fresh module registry is only reachable through a synchronous require.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    copy = require('../../src');
  });
  return copy!;
}

function serviceTokens(stack: Stack): string[] {
  return Object.values<any>(Template.fromStack(stack).findResources('Custom::ImageDigestLookup'))
    .map((r) => r.Properties.ServiceToken['Fn::GetAtt'][0]);
}

test('GIVEN lookups from two copies of the library in one stack WHEN synthesized THEN each copy has its provider, and the first keeps its logical ids', () => {
  const other = otherCopy();
  expect(other.ImageDigestLookup).not.toBe(ImageDigestLookup);
  const stack = new Stack(new App(), 'Service', { env: { account: '111111111111', region: 'us-east-1' } });
  const repository = ecr.Repository.fromRepositoryName(stack, 'Repo', 'api');

  new ImageDigestLookup(stack, 'Mine', { repository });
  new other.ImageDigestLookup(stack, 'Theirs', { repository });
  new ImageDigestLookup(stack, 'MineAgain', { repository, tag: 'v1' });
  new other.ImageDigestLookup(stack, 'TheirsAgain', { repository, tag: 'v1' });

  const template = Template.fromStack(stack);
  template.resourceCountIs('AWS::Lambda::Function', 2);
  expect(serviceTokens(stack).sort()).toEqual([
    'ImageDigestLookupProvider2HandlerE6F1CC3B', 'ImageDigestLookupProvider2HandlerE6F1CC3B',
    'ImageDigestLookupProviderHandler55A47A41', 'ImageDigestLookupProviderHandler55A47A41',
  ]);
});

test('GIVEN one copy of the library WHEN synthesized THEN the provider keeps its historic logical id', () => {
  const stack = new Stack(new App(), 'Service', { env: { account: '111111111111', region: 'us-east-1' } });

  new ImageDigestLookup(stack, 'Api', { repository: ecr.Repository.fromRepositoryName(stack, 'Repo', 'api') });

  expect(serviceTokens(stack)).toEqual(['ImageDigestLookupProviderHandler55A47A41']);
});
