/**
 * CloudFormation starts the independent lookups of a stack at once, and ECR
 * rate-limits its API per account and region. A burst far above the rate,
 * each lookup in its own process as Lambda runs each in its own sandbox,
 * against moto behind a token bucket that answers like ECR: every lookup is
 * answered SUCCESS with its own digest, well within the function's timeout.
 */
import { FAILURE_BEHAVIOUR } from './failure-behaviour';
import { expectOneTimelyResponse, FaultHarness, lookupProps } from './harness';
import { createEvent } from '../../local/events';
import { uniqueRepositoryName } from '../../local/local-ecr';
import { TokenBucket } from '../support/token-bucket';

const LOOKUPS = 120;
const REPOSITORIES = 10;
const RATE_PER_SECOND = 10;
const BURST = 10;
/** The timeout the construct gives the function. */
const FUNCTION_TIMEOUT_MS = 120_000;
/**
 * Processes loading the handler at once. Lambda gives each sandbox its own
 * CPU; here every cold start shares two cores (and the proxies' event loop),
 * and starved processes hit the SDK's 10 s request timeout, a fault of this
 * machine rather than of ECR. The lookups still overlap: each stays alive
 * while it backs off.
 */
const STARTING_AT_ONCE = 40;

let harness: FaultHarness;

beforeAll(async () => {
  harness = await FaultHarness.start();
});
afterAll(() => harness.close());

/** Runs `start` for each item, with at most `limit` between start and `loaded()`. */
function gated<T, R>(items: T[], limit: number, start: (item: T, loaded: () => void) => Promise<R>): Promise<R[]> {
  let starting = 0;
  const waiting: (() => void)[] = [];
  const place = () => new Promise<void>((resolve) => (starting < limit ? (starting++, resolve()) : waiting.push(resolve)));
  const free = () => (waiting.length > 0 ? waiting.shift()!() : starting--);
  return Promise.all(items.map(async (item) => {
    await place();
    let freed = false;
    return start(item, () => {
      if (!freed) {
        freed = true;
        free();
      }
    });
  }));
}

test(`GIVEN ${LOOKUPS} lookups started together WHEN ECR allows ${RATE_PER_SECOND} calls a second THEN every one is answered SUCCESS with its own digest`, async () => {
  const row = FAILURE_BEHAVIOUR.throttleBurst;
  const images: { repositoryName: string; tag: string; digest: string }[] = [];
  for (let r = 0; r < REPOSITORIES; r++) {
    const repositoryName = uniqueRepositoryName('burst');
    await harness.ecr.createRepository(repositoryName);
    for (const tag of ['main', 'v1', 'v2']) {
      images.push({ repositoryName, tag, digest: await harness.ecr.push(repositoryName, tag) });
    }
  }
  const bucket = new TokenBucket(RATE_PER_SECOND, BURST);
  harness.ecrProxy.injectBy(() => (bucket.take() ? undefined : { kind: 'throttle' }));
  const lookups = Array.from({ length: LOOKUPS }, (_, i) => images[i % images.length]);
  const events = lookups.map((image) => createEvent(harness.responseUrl, lookupProps(image.repositoryName, image.tag)));

  const started = Date.now();
  const outcomes = await gated(events, STARTING_AT_ONCE, (event, loaded) => harness.invoke(event, FUNCTION_TIMEOUT_MS, { onModuleLoaded: loaded }));

  const answeredAt = outcomes.map((outcome, i) => {
    const response = expectOneTimelyResponse(outcome);
    expect(response.body).toMatchObject({ Status: row.status, RequestId: (events[i] as { RequestId: string }).RequestId });
    expect(response.body.Data.Digest).toBe(lookups[i].digest);
    return response.receivedAt;
  });
  const calls = harness.ecrProxy.received.length;
  const throttled = harness.ecrProxy.received.filter((r) => r.fault === 'throttle').length;
  const lastAnswerMs = Math.max(...answeredAt) - started;
  const retried = outcomes.reduce((n, o) => n + (o.invocation.logs.match(/ECR call failed/g)?.length ?? 0), 0);
  console.log(`${LOOKUPS} lookups at ${RATE_PER_SECOND}/s (burst ${BURST}): ${calls} calls, ${throttled} throttled, ${retried} retried after a transport fault (mostly timeouts), last answer after ${(lastAnswerMs / 1000).toFixed(1)} s`);
  // The burst really was throttled; every call that got through was a lookup's answer or a transport retry.
  expect(throttled).toBeGreaterThan(LOOKUPS);
  expect(calls - throttled).toBeGreaterThanOrEqual(LOOKUPS);
  expect(calls - throttled).toBeLessThanOrEqual(LOOKUPS + retried);
  expect(lastAnswerMs).toBeLessThan(FUNCTION_TIMEOUT_MS / 2);
}, 110_000);
