/**
 * What moto cannot serve: throttling, server errors, archived images and a
 * hanging ECR, through the handler's source with the SDK client mocked, and
 * answered over real HTTP.
 */
import { DescribeImagesCommand, ECRClient, ECRServiceException } from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lambda/index';
import { createEvent } from '../../local/events';
import { ResponseEndpoint } from '../../local/response-endpoint';

const ecr = mockClient(ECRClient);
const DIGEST = `sha256:${'c'.repeat(64)}`;
const PROPS = { RepositoryName: 'api', RegistryId: '111111111111', Region: 'eu-west-1', Tag: 'main' };

let cloudFormation: ResponseEndpoint;

beforeAll(async () => {
  cloudFormation = await ResponseEndpoint.start();
});
afterAll(() => cloudFormation.close());
beforeEach(() => {
  ecr.reset();
  cloudFormation.clear();
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

function context(remainingMs: number) {
  const deadline = Date.now() + remainingMs;
  return { getRemainingTimeInMillis: () => deadline - Date.now() } as any;
}

function serviceError(name: string, status: number, message = `${name} from ECR`): ECRServiceException {
  return new ECRServiceException({ name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status }, message });
}

async function lookUp(remainingMs = 30_000) {
  await handler(createEvent(cloudFormation.url(), PROPS), context(remainingMs));
  expect(cloudFormation.received).toHaveLength(1);
  return cloudFormation.received[0].body;
}

test('GIVEN an ACTIVE image WHEN looked up THEN the request names registry, repository and tag, in one call', async () => {
  ecr.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: DIGEST, imageTags: ['main'], imageStatus: 'ACTIVE' }] });

  const answer = await lookUp();

  expect(answer.Status).toBe('SUCCESS');
  expect(ecr.commandCalls(DescribeImagesCommand)).toHaveLength(1);
  expect(ecr.commandCalls(DescribeImagesCommand)[0].args[0].input).toEqual({
    registryId: '111111111111', repositoryName: 'api', imageIds: [{ imageTag: 'main' }],
  });
});

test('GIVEN the region of the repository WHEN looked up THEN the client calls ECR in that region', async () => {
  ecr.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: DIGEST, imageTags: ['main'] }] });

  await lookUp();

  expect(await ecr.call(0).thisValue.config.region()).toBe('eu-west-1');
});

test('GIVEN an ARCHIVED image WHEN looked up THEN FAILED says it cannot be pulled until restored', async () => {
  ecr.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: DIGEST, imageTags: ['main'], imageStatus: 'ARCHIVED' }] });

  const answer = await lookUp();

  expect(answer.Status).toBe('FAILED');
  expect(answer.Reason).toBe(`Image ${DIGEST} for tag "main" in repository "api" (registry 111111111111, region eu-west-1) is ARCHIVED, not ACTIVE, so it cannot be pulled: restore it in ECR (aws ecr update-image-storage-class --registry-id 111111111111 --region eu-west-1 --repository-name api --image-id imageDigest=${DIGEST} --target-storage-class STANDARD, or set restoreArchived to let the lookup ask), or point the tag at an active image.`);
});

test('GIVEN ECR throttles every call WHEN looked up THEN it retries until it must answer, and FAILED says ECR kept throttling', async () => {
  ecr.on(DescribeImagesCommand).rejects(serviceError('ThrottlingException', 400, 'Rate exceeded'));

  // 10 s of Lambda time: the lookup must answer by 6 s and starts no attempt within 2 s of that.
  const started = Date.now();
  const answer = await lookUp(10_000);

  expect(answer.Status).toBe('FAILED');
  expect(answer.Reason).toMatch(/^ECR kept throttling DescribeImages for tag "main" in repository "api" \(registry 111111111111, region eu-west-1\) on \d+ attempts over \d+s, until the handler had to answer/);
  expect(ecr.commandCalls(DescribeImagesCommand).length).toBeGreaterThan(2);
  expect(Date.now() - started).toBeGreaterThan(2_000);
  expect(Date.now() - started).toBeLessThan(6_000);
});

test('GIVEN a 5xx beyond the SDK\'s retries WHEN looked up THEN FAILED names the status and the image', async () => {
  ecr.on(DescribeImagesCommand).rejects(serviceError('ServerException', 503, 'Service Unavailable'));

  const answer = await lookUp();

  expect(answer.Reason).toBe('ECR DescribeImages failed for tag "main" in repository "api" (registry 111111111111, region eu-west-1): HTTP 503 ServerException: Service Unavailable');
});

test('GIVEN a cross-account repository whose policy does not allow the role WHEN looked up THEN FAILED keeps ECR\'s message and advises the repository policy', async () => {
  const message = 'User: arn:aws:sts::222222222222:assumed-role/app-LookupRole/fn is not authorized to perform: ecr:DescribeImages on resource: arn:aws:ecr:eu-west-1:111111111111:repository/api because no resource-based policy allows the ecr:DescribeImages action';
  ecr.on(DescribeImagesCommand).rejects(serviceError('AccessDeniedException', 400, message));

  const answer = await lookUp(10_000);

  expect(answer.Reason).toContain('ECR denied ecr:DescribeImages for tag "main" in repository "api" (registry 111111111111, region eu-west-1) on ');
  expect(answer.Reason).toContain(`${message}.`);
  expect(answer.Reason).toMatch(/belongs to account 111111111111, so its repository policy must allow ecr:DescribeImages to the lookup role/);
  expect(ecr.commandCalls(DescribeImagesCommand).length).toBeGreaterThan(1);
});

test('GIVEN ECR never answers WHEN the Lambda deadline nears THEN FAILED is sent once, before the deadline', async () => {
  ecr.on(DescribeImagesCommand).callsFake((_input ) => new Promise(() => undefined));
  const remainingMs = 3_000;
  const start = Date.now();

  const answer = await lookUp(remainingMs);

  expect(answer.Status).toBe('FAILED');
  expect(answer.Reason).toMatch(/^The lookup did not finish within the 1\.8s the handler had left before its timeout/);
  expect(cloudFormation.received[0].receivedAt - start).toBeLessThan(remainingMs);
});

test('GIVEN an unexpected exception WHEN looked up THEN FAILED carries it instead of leaving the stack waiting', async () => {
  ecr.on(DescribeImagesCommand).callsFake(() => {
    throw new TypeError('cannot read properties of undefined');
  });

  const answer = await lookUp();

  expect(answer.Status).toBe('FAILED');
  expect(answer.Reason).toContain('cannot read properties of undefined');
});

test('GIVEN a response without image details WHEN looked up THEN FAILED says no image was returned', async () => {
  ecr.on(DescribeImagesCommand).resolves({ imageDetails: [] });

  const answer = await lookUp();

  expect(answer.Reason).toBe('Image tag "main" in repository "api" (registry 111111111111, region eu-west-1) was not found: ECR returned no image for it. Push the image, or fix the tag.');
});

test('GIVEN a response whose image does not carry the tag WHEN looked up THEN FAILED instead of pinning that image', async () => {
  ecr.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: DIGEST, imageTags: ['other'] }] });

  const answer = await lookUp();

  expect(answer.Status).toBe('FAILED');
  expect(answer.Reason).toMatch(/^Image tag "main" in repository "api" .* was not found/);
});

test('GIVEN a digest that is not sha256 WHEN looked up THEN FAILED says it cannot pin an image URI', async () => {
  ecr.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: `sha512:${'d'.repeat(128)}`, imageTags: ['main'] }] });

  const answer = await lookUp();

  expect(answer.Reason).toMatch(/is not a sha256 digest/);
});

test('GIVEN an unknown RequestType WHEN invoked THEN FAILED names it', async () => {
  await handler({ ...createEvent(cloudFormation.url(), PROPS), RequestType: 'Replace' } as any, context(30_000));

  expect(cloudFormation.received[0].body).toMatchObject({ Status: 'FAILED', Reason: 'Unknown RequestType "Replace": expected Create, Update or Delete.' });
  expect(ecr.calls()).toHaveLength(0);
});

test('GIVEN a missing property WHEN created THEN FAILED names it without calling ECR', async () => {
  const { Tag: _omitted, ...withoutTag } = PROPS;
  await handler(createEvent(cloudFormation.url(), withoutTag), context(30_000));

  expect(cloudFormation.received[0].body.Reason).toMatch(/^The lookup's property Tag is missing/);
  expect(ecr.calls()).toHaveLength(0);
});

test('GIVEN the response endpoint fails twice WHEN answering THEN the PUT is retried with the same body', async () => {
  ecr.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: DIGEST, imageTags: ['main'] }] });
  cloudFormation.failNext(2, 503);

  await handler(createEvent(cloudFormation.url(), PROPS), context(30_000));

  expect(cloudFormation.received).toHaveLength(3);
  expect(new Set(cloudFormation.received.map((r) => r.rawBody)).size).toBe(1);
});

describe('the 4,096-byte response limit', () => {
  const manyTags = Array.from({ length: 1_000 }, (_, i) => `${String(i).padStart(4, '0')}${'t'.repeat(124)}`);

  test('GIVEN an image with 1,000 tags of 128 characters WHEN answered THEN the body fits, the digest is whole and the count tells the truth', async () => {
    ecr.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: DIGEST, imageTags: [...manyTags, 'main'] }] });

    const answer = await lookUp();
    const raw = cloudFormation.received[0].rawBody;

    expect(Buffer.byteLength(raw)).toBeLessThanOrEqual(4_096);
    expect(answer.Status).toBe('SUCCESS');
    expect(answer.Data.Digest).toBe(DIGEST);
    expect(answer.Data.ImageTagCount).toBe('1001');
    const tags = answer.Data.ImageTags.split(',');
    expect(tags[0]).toBe('main');
    expect(tags.length).toBeGreaterThan(10);
    expect(tags.length).toBeLessThan(1_001);
    expect(tags.slice(1)).toEqual(manyTags.slice(0, tags.length - 1));
  });

  test('GIVEN the longest logical id and stack id WHEN answered THEN the body still fits', async () => {
    ecr.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: DIGEST, imageTags: [...manyTags, 'main'] }] });
    const event = {
      ...createEvent(cloudFormation.url(), PROPS),
      LogicalResourceId: 'L'.repeat(255),
      StackId: `arn:aws:cloudformation:eu-west-1:111111111111:stack/${'s'.repeat(128)}/5b5e4ba0-0000-11ef-8000-0a1b2c3d4e5f`,
    };

    await handler(event, context(30_000));

    expect(Buffer.byteLength(cloudFormation.received[0].rawBody)).toBeLessThanOrEqual(4_096);
    expect(cloudFormation.received[0].body.Data.Digest).toBe(DIGEST);
  });

  test('GIVEN a FAILED reason longer than the limit WHEN answered THEN it is shortened to fit', async () => {
    ecr.on(DescribeImagesCommand).rejects(serviceError('ServerException', 500, 'x'.repeat(10_000)));

    const answer = await lookUp();

    expect(Buffer.byteLength(cloudFormation.received[0].rawBody)).toBeLessThanOrEqual(4_096);
    expect(answer.Reason).toMatch(/^ECR DescribeImages failed for tag "main".*\.\.\.$/);
  });
});
