/**
 * Bad input at deploy time: values that were tokens at synth, and requests
 * no construct would write. Each is answered FAILED with one sentence naming
 * the value and the rule, without calling ECR, and nothing crashes the
 * handler before it answers.
 */
import { FAILURE_BEHAVIOUR, reasonPattern } from './failure-behaviour';
import { expectOneTimelyResponse, FaultHarness, lookupProps } from './harness';
import { createEvent, untyped, updateEvent } from '../../local/events';
import { MOTO_ACCOUNT, REGION } from '../../local/local-ecr';

let harness: FaultHarness;

beforeAll(async () => {
  harness = await FaultHarness.start();
});
afterAll(() => harness.close());
beforeEach(() => harness.reset());

async function failedReasonFor(event: object): Promise<string> {
  const response = expectOneTimelyResponse(await harness.invoke(event));
  expect(response.body.Status).toBe('FAILED');
  expect(harness.ecrProxy.received).toHaveLength(0);
  expect(response.rawBody.length).toBeLessThanOrEqual(4096);
  return response.body.Reason;
}

const TAG_RULE = 'a tag is 1 to 128 characters of letters, digits, \'_\', \'.\' and \'-\', and does not start with \'.\' or \'-\'.';
const REPOSITORY_RULE = 'it must be 2 to 256 lower-case letters, digits and \'/\', with \'.\', \'_\' or \'-\' only between letters or digits.';

describe('GIVEN a value that was a token at synth and breaks a naming rule', () => {
  test.each([
    ['Tag', '', `Tag "" is not a valid image tag: ${TAG_RULE}`],
    ['Tag', 'with space', `Tag "with space" is not a valid image tag: ${TAG_RULE}`],
    ['Tag', 'feature/login', `Tag "feature/login" is not a valid image tag: ${TAG_RULE}`],
    ['Tag', 'api:v1', `Tag "api:v1" is not a valid image tag: ${TAG_RULE}`],
    ['Tag', '.hidden', `Tag ".hidden" is not a valid image tag: ${TAG_RULE}`],
    ['Tag', '-rc1', `Tag "-rc1" is not a valid image tag: ${TAG_RULE}`],
    ['Tag', 'a'.repeat(129), `Tag "${'a'.repeat(129)}" is not a valid image tag: ${TAG_RULE}`],
    ['RepositoryName', '', `RepositoryName "" is not a valid ECR repository name: ${REPOSITORY_RULE}`],
    ['RepositoryName', 'a'.repeat(257), `RepositoryName "${'a'.repeat(257)}" is not a valid ECR repository name: ${REPOSITORY_RULE}`],
    ['RepositoryName', 'Payments', `RepositoryName "Payments" is not a valid ECR repository name: ${REPOSITORY_RULE}`],
    ['RepositoryName', 'pay$ments', `RepositoryName "pay$ments" is not a valid ECR repository name: ${REPOSITORY_RULE}`],
    ['RegistryId', '12345', 'RegistryId "12345" is not a valid ECR registry id: it must be the 12-digit AWS account id that owns the repository.'],
    ['RegistryId', '12345678901a', 'RegistryId "12345678901a" is not a valid ECR registry id: it must be the 12-digit AWS account id that owns the repository.'],
    ['Region', '', 'Region "" is not a valid AWS region: expected a name such as \'us-east-1\' (a repository imported by ARN is looked up in the ARN\'s region, so the ARN must name one).'],
    ['Region', 'EU-WEST-1', 'Region "EU-WEST-1" is not a valid AWS region: expected a name such as \'us-east-1\'.'],
  ])('WHEN %s is %j THEN FAILED names the value and the rule', async (property, value, reason) => {
    const event = createEvent(harness.responseUrl, { ...lookupProps('api', 'main'), [property]: value });

    const actual = await failedReasonFor(event);

    expect(actual).toBe(reason);
  });

  test('WHEN the tag is a digest THEN FAILED says to reference the digest instead of looking it up', async () => {
    const digest = `sha256:${'c'.repeat(64)}`;

    const actual = await failedReasonFor(createEvent(harness.responseUrl, lookupProps('api', digest)));

    expect(actual).toBe(`Tag "${digest}" is a digest, not a tag: select the image by digest with image: ImageSelector.digest(...), which checks that it exists and is ACTIVE.`);
  });

  test('WHEN an Update brings the bad value THEN FAILED keeps the physical id, so nothing is replaced', async () => {
    const physicalId = `${MOTO_ACCOUNT}.dkr.ecr.${REGION}/api@sha256:${'d'.repeat(64)}`;

    const outcome = await harness.invoke(updateEvent(harness.responseUrl, physicalId, lookupProps('api', 'bad tag'), lookupProps('api', 'main')));

    const response = expectOneTimelyResponse(outcome);
    expect(response.body).toMatchObject({ Status: 'FAILED', PhysicalResourceId: physicalId });
    expect(response.body.Reason).toMatch(reasonPattern(FAILURE_BEHAVIOUR.invalidValueAtDeploy));
  });

  test('WHEN the tag is 5,000 non-ASCII characters THEN the FAILED response is cut to 4,096 bytes and still parses', async () => {
    const response = expectOneTimelyResponse(await harness.invoke(createEvent(harness.responseUrl, lookupProps('api', '🐳ü'.repeat(2_500)))));

    expect(Buffer.byteLength(response.rawBody)).toBeLessThanOrEqual(4096);
    expect(response.body.Status).toBe('FAILED');
    expect(response.body.Reason).toMatch(/^Tag "🐳ü.*\.\.\.$/su);
  });
});

describe('GIVEN a malformed request', () => {
  test.each(['RepositoryName', 'RegistryId', 'Region', 'Tag'])('WHEN property %s is missing THEN FAILED names it', async (property) => {
    const props: Record<string, unknown> = { ...lookupProps('api', 'main') };
    delete props[property];

    const reason = await failedReasonFor(createEvent(harness.responseUrl, untyped(props)));

    expect(reason).toBe(`The lookup's property ${property} is missing: deploy the resource with the ImageDigestLookup construct, which always sets it.`);
    expect(reason).toMatch(reasonPattern(FAILURE_BEHAVIOUR.missingProperty));
  });

  test('WHEN a property is not a string THEN FAILED names the property and its value', async () => {
    const reason = await failedReasonFor(createEvent(harness.responseUrl, untyped({ ...lookupProps('api', 'main'), Tag: 42 })));

    expect(reason).toBe('The lookup\'s property Tag is 42, not a string: deploy the resource with the ImageDigestLookup construct, which always sets it.');
  });

  test('WHEN ResourceProperties is missing THEN FAILED names the first missing property', async () => {
    const event: any = createEvent(harness.responseUrl, untyped({}));
    delete event.ResourceProperties;

    const reason = await failedReasonFor(event);

    expect(reason).toBe('The lookup\'s property RepositoryName is missing: deploy the resource with the ImageDigestLookup construct, which always sets it.');
  });

  test('WHEN the RequestType is unknown THEN FAILED names it and the expected ones', async () => {
    const event = { ...createEvent(harness.responseUrl, lookupProps('api', 'main')), RequestType: 'Replace' };

    const reason = await failedReasonFor(event);

    expect(reason).toBe('Unknown RequestType "Replace": expected Create, Update or Delete.');
    expect(reason).toMatch(reasonPattern(FAILURE_BEHAVIOUR.unknownRequestType));
  });

  test('WHEN the RequestType is missing THEN FAILED says so', async () => {
    const event: any = createEvent(harness.responseUrl, lookupProps('api', 'main'));
    delete event.RequestType;

    const reason = await failedReasonFor(event);

    expect(reason).toBe('Unknown RequestType undefined: expected Create, Update or Delete.');
  });

  test('WHEN the ResponseURL is missing THEN the function ends without a PUT and logs why', async () => {
    const event: any = createEvent(harness.responseUrl, lookupProps('api', 'main'));
    delete event.ResponseURL;

    const outcome = await harness.invoke(event);

    expect(outcome.invocation.exitCode).toBe(0);
    expect(outcome.putAttempts).toHaveLength(0);
    expect(outcome.invocation.logs).toContain('The event has no ResponseURL');
  });
});
