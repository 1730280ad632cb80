import * as path from 'path';
import { App, Aws, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { DockerImageAsset } from 'aws-cdk-lib/aws-ecr-assets';
import { ImageSources } from '../../src/private/ecr-image-reference';

const ASSET_DIR = path.join(__dirname, '..', '..', 'examples', 'images', 'migrations');

function setUp() {
  const app = new App();
  const stack = new Stack(app, 'Service');
  return { app, stack, sources: () => new ImageSources(app) };
}

describe('literal URIs', () => {
  test.each([
    ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:v1', { account: '123456789012', region: 'eu-west-1', repositoryName: 'api', tag: 'v1' }],
    ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/api', { repositoryName: 'team/api', tag: 'latest' }],
    ['123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/api:v1', { region: 'cn-north-1', repositoryName: 'api' }],
    ['123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com/api:release_1.2-rc', { region: 'us-gov-west-1', tag: 'release_1.2-rc' }],
  ])('GIVEN %s THEN its account, region, repository and tag', (uri, expected) => {
    const { stack, sources } = setUp();

    expect(sources().recognise(stack, uri)).toMatchObject({ kind: 'literal', ...expected });
  });

  test.each([
    ['nginx:1.27', 'notEcr'],
    ['docker.io/library/nginx', 'notEcr'],
    ['public.ecr.aws/nginx/nginx:1.27', 'notEcr'],
    ['localhost:5000/api:v1', 'notEcr'],
    [`123456789012.dkr.ecr.eu-west-1.amazonaws.com/api@sha256:${'a'.repeat(64)}`, 'digest'],
    ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/API:v1', 'unknown'],
    ['12345.dkr.ecr.eu-west-1.amazonaws.com/api:v1', 'unknown'],
  ])('GIVEN %s THEN it is %s', (uri, kind) => {
    const { stack, sources } = setUp();

    expect(sources().recognise(stack, uri).kind).toBe(kind);
  });
});

describe('URIs spelled out with intrinsics, as L1s write them', () => {
  test.each([
    ['Fn::Join', (stack: Stack) => stack.resolve(`${Aws.ACCOUNT_ID}.dkr.ecr.${Aws.REGION}.${Aws.URL_SUFFIX}/team/api:v1`)],
    ['Fn::Sub', () => ({ 'Fn::Sub': '${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/team/api:v1' })],
  ])('GIVEN %s over the pseudo parameters THEN the repository and tag, the account and region left to CloudFormation', (_case, uri) => {
    const { stack, sources } = setUp();

    const found = sources().recognise(stack, uri(stack)) as { kind: string; account: string; region: string; repositoryName: string; tag: string };

    expect(found).toMatchObject({ kind: 'literal', repositoryName: 'team/api', tag: 'v1' });
    expect(stack.resolve([found.account, found.region])).toEqual([{ Ref: 'AWS::AccountId' }, { Ref: 'AWS::Region' }]);
  });

  test('GIVEN a literal account and region and a tag from a parameter THEN the tag stays the parameter', () => {
    const { stack, sources } = setUp();
    const tag = new CfnParameter(stack, 'Tag').valueAsString;

    const found = sources().recognise(stack, stack.resolve(`111111111111.dkr.ecr.eu-west-1.amazonaws.com/api:${tag}`)) as { tag: string; account: string };

    expect([found.account, stack.resolve(found.tag)]).toEqual(['111111111111', { Ref: 'Tag' }]);
  });

  test.each([
    ['a repository from a parameter', (stack: Stack) => `111111111111.dkr.ecr.eu-west-1.amazonaws.com/${new CfnParameter(stack, 'Name').valueAsString}:v1`],
    ['another registry', (stack: Stack) => `${new CfnParameter(stack, 'Host').valueAsString}/api:v1`],
  ])('GIVEN %s THEN unknown', (_case, uri) => {
    const { stack, sources } = setUp();

    expect(sources().recognise(stack, stack.resolve(uri(stack))).kind).toBe('unknown');
  });
});

describe('references built from the app\'s repositories and assets', () => {
  test('GIVEN repositories whose names share a prefix THEN each reference finds its own repository and tag', () => {
    const { stack, sources } = setUp();
    const api = ecr.Repository.fromRepositoryName(stack, 'Api', 'api');
    const apiV2 = ecr.Repository.fromRepositoryName(stack, 'ApiV2', 'api-v2');
    const found = sources();

    expect(found.recognise(stack, stack.resolve(apiV2.repositoryUriForTag('main')))).toMatchObject({ kind: 'tag', repository: apiV2, tag: 'main' });
    expect(found.recognise(stack, stack.resolve(api.repositoryUriForTag('v2.1')))).toMatchObject({ kind: 'tag', repository: api, tag: 'v2.1' });
  });

  test('GIVEN a repository of another stack THEN the reference in this stack finds it', () => {
    const { app, stack, sources } = setUp();
    const owned = new ecr.Repository(new Stack(app, 'Images'), 'Repo');

    expect(sources().recognise(stack, stack.resolve(owned.repositoryUriForTag('main')))).toMatchObject({ kind: 'tag', repository: owned, tag: 'main' });
  });

  test('GIVEN a tag that is a token (a parameter) THEN the repository, and the tag as a token that resolves to the same parameter', () => {
    const { stack, sources } = setUp();
    const repository = ecr.Repository.fromRepositoryName(stack, 'Api', 'api');
    const tag = new CfnParameter(stack, 'Tag').valueAsString;

    const found = sources().recognise(stack, stack.resolve(repository.repositoryUriForTag(tag)));

    expect(found).toMatchObject({ kind: 'tag', repository });
    expect(stack.resolve((found as { tag: string }).tag)).toEqual({ Ref: 'Tag' });
  });

  test('GIVEN a tag joined from a token and text THEN the whole tag, as a token', () => {
    const { stack, sources } = setUp();
    const repository = ecr.Repository.fromRepositoryName(stack, 'Api', 'api');
    const tag = Fn.join('-', ['build', new CfnParameter(stack, 'Build').valueAsString]);

    const found = sources().recognise(stack, stack.resolve(repository.repositoryUriForTag(tag)));

    expect(stack.resolve((found as { tag: string }).tag)).toEqual({ 'Fn::Join': ['-', ['build', { Ref: 'Build' }]] });
  });

  test('GIVEN an image asset THEN its repository and its hash as tag, marked as an asset', () => {
    const { stack, sources } = setUp();
    const asset = new DockerImageAsset(stack, 'Image', { directory: ASSET_DIR });

    expect(sources().recognise(stack, stack.resolve(asset.imageUri))).toMatchObject({ kind: 'tag', repository: asset.repository, tag: asset.imageTag, asset: true });
  });

  test.each([
    ['a whole URI from a parameter', (stack: Stack) => new CfnParameter(stack, 'Image').valueAsString],
    ['a whole URI from an import', () => Fn.importValue('shared:ImageUri')],
  ])('GIVEN %s, which no repository of the app renders THEN unknown', (_case, uri) => {
    const { stack, sources } = setUp();

    expect(sources().recognise(stack, stack.resolve(uri(stack))).kind).toBe('unknown');
  });
});
