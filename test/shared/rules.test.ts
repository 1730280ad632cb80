import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { readRequest } from '../../lambda/lookup-request';
import { ImageDigestLookup } from '../../src';
import { checkRegion, readWholeNumber } from '../../src/shared/rules';

const KNOWN_REGIONS = RegionInfo.regions.map((region) => region.name);
// Shapes of names from every partition, including ones regions may get later.
const FUTURE_REGIONS = ['us-isof-east-2', 'eu-isoe-north-1', 'eusc-fr-south-1', 'ap-southeast-12', 'us-gov-central-1', 'cn-southwest-1'];
const NOT_REGIONS = ['', 'US-EAST-1', 'us-east', 'useast1', 'us_east_1', 'us-east-1a', 'us-east-1 ', 'arn:aws:ecr', 'us--east-1', '-us-east-1'];

function partitionOf(region: string): string {
  return RegionInfo.get(region).partition ?? 'aws';
}

test('GIVEN the regions aws-cdk-lib knows THEN they include every partition\'s', () => {
  // The class of the case: if aws-cdk-lib drops one of these, the test below no longer covers its partition.
  expect(KNOWN_REGIONS).toEqual(expect.arrayContaining(['eusc-de-east-1', 'us-iso-east-1', 'us-isob-east-1', 'eu-isoe-west-1', 'us-isof-south-1', 'us-gov-west-1', 'cn-north-1']));
});

describe.each([...KNOWN_REGIONS, ...FUTURE_REGIONS])('region %s', (region) => {
  test('WHEN checked THEN it passes', () => {
    expect(checkRegion('Region', region)).toBeUndefined();
  });

  test('WHEN a stack there looks up a repository of its own region THEN it synthesizes with that region', () => {
    const stack = new Stack(new App(), 'Service', { env: { account: '111111111111', region } });

    new ImageDigestLookup(stack, 'Api', { repository: ecr.Repository.fromRepositoryName(stack, 'Repo', 'api') });

    Template.fromStack(stack).hasResourceProperties('Custom::ImageDigestLookup', { Region: region });
  });

  test('WHEN a repository ARN of that region is looked up THEN it synthesizes with that region', () => {
    const stack = new Stack(new App(), 'Service', { env: { account: '111111111111', region: 'us-east-1' } });
    const arn = `arn:${RegionInfo.regions.some((r) => r.name === region) ? partitionOf(region) : 'aws'}:ecr:${region}:222222222222:repository/api`;

    new ImageDigestLookup(stack, 'Api', { repository: ecr.Repository.fromRepositoryArn(stack, 'Repo', arn) });

    Template.fromStack(stack).hasResourceProperties('Custom::ImageDigestLookup', { Region: region, RegistryId: '222222222222' });
  });

  test('WHEN the handler reads it THEN it is accepted', () => {
    expect(readRequest({ RepositoryName: 'api', RegistryId: '222222222222', Region: region, Tag: 'main' }).region).toBe(region);
  });
});

describe.each(NOT_REGIONS)('not a region: %j', (region) => {
  test('WHEN checked THEN it fails naming the value and the form', () => {
    expect(checkRegion('Region', region)).toBe(`Region ${JSON.stringify(region)} is not a valid AWS region: expected a name such as 'us-east-1'${region === '' ? ' (a repository imported by ARN is looked up in the ARN\'s region, so the ARN must name one)' : ''}.`);
  });

  test('WHEN the handler reads it THEN it fails naming the value', () => {
    expect(() => readRequest({ RepositoryName: 'api', RegistryId: '222222222222', Region: region, Tag: 'main' })).toThrow(`Region ${JSON.stringify(region)} is not a valid AWS region`);
  });
});

describe('readWholeNumber', () => {
  test.each([['0', 0], ['840', 840], [5, 5], ['007', 7]])('GIVEN %j THEN it reads %j', (value, expected) => {
    expect(readWholeNumber(value, 0, 840)).toBe(expected);
  });

  test.each(['', ' ', '-1', '841', '1.5', 'ten', null, undefined, {}, true])('GIVEN %j THEN it is no whole number from 0 to 840', (value) => {
    expect(readWholeNumber(value, 0, 840)).toBeUndefined();
  });
});
