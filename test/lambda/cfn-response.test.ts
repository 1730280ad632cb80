/**
 * The protocol on its own, with work that knows nothing of ECR: it reports a
 * ReportableError's message as it is, anything else as unexpected, and words
 * its own messages with the names the caller gives. Answered over real HTTP.
 */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { answerCloudFormation, reasonOf, ReportableError, Work, WorkNames } from '../../lambda/cfn-response';
import { LookupError } from '../../lambda/lookup-error';
import { ResponseEndpoint } from '../../local/response-endpoint';

const NAMES: WorkNames = { work: 'copy', waitsOn: 'S3' };

/** A failure of some other domain, to show that the protocol needs no knowledge of lookups. */
class CopyError extends ReportableError {
  public readonly name: string = 'CopyError';
}

let cloudFormation: ResponseEndpoint;

beforeAll(async () => {
  cloudFormation = await ResponseEndpoint.start();
});
afterAll(() => cloudFormation.close());
beforeEach(() => cloudFormation.clear());

function event(requestType: 'Create' | 'Update'): CloudFormationCustomResourceEvent {
  const common = {
    ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:copy',
    ResponseURL: cloudFormation.url(),
    StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/app/5b5e4ba0-0000-11ef-8000-0a1b2c3d4e5f',
    RequestId: 'request-1',
    LogicalResourceId: 'Copy1',
    ResourceType: 'Custom::Copy',
    ResourceProperties: { ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:copy' },
  };
  return requestType === 'Create'
    ? { ...common, RequestType: 'Create' }
    : { ...common, RequestType: 'Update', PhysicalResourceId: 'copy-7', OldResourceProperties: common.ResourceProperties };
}

function context(remainingMs: number) {
  const deadline = Date.now() + remainingMs;
  return { getRemainingTimeInMillis: () => deadline - Date.now() };
}

async function answer(work: Work, requestType: 'Create' | 'Update' = 'Create', remainingMs = 30_000) {
  await answerCloudFormation(event(requestType), context(remainingMs), NAMES, work);
  expect(cloudFormation.received).toHaveLength(1);
  return cloudFormation.received[0].body;
}

describe('reasonOf', () => {
  test.each([
    ['a ReportableError', new ReportableError('The bucket "b" is empty: upload the object first.')],
    ['a subclass of another domain', new CopyError('The bucket "b" is empty: upload the object first.')],
    ['a LookupError', new LookupError('The bucket "b" is empty: upload the object first.', true)],
  ])('GIVEN %s WHEN reported THEN its message is the reason, verbatim', (_name, error) => {
    expect(reasonOf(error, NAMES)).toBe('The bucket "b" is empty: upload the object first.');
  });

  test.each([
    ['a TypeError', new TypeError('x is undefined'), 'Unexpected error in the copy handler: TypeError: x is undefined'],
    ['an Error that only calls itself LookupError', Object.assign(new Error('spoofed'), { name: 'LookupError' }), 'Unexpected error in the copy handler: LookupError: spoofed'],
    ['a thrown string', 'boom', 'Unexpected error in the copy handler: Error: boom'],
    ['undefined', undefined, 'Unexpected error in the copy handler: Error: undefined'],
  ])('GIVEN %s WHEN reported THEN it is reported as unexpected, with its name', (_name, error, reason) => {
    expect(reasonOf(error, NAMES)).toBe(reason);
  });
});

describe('answerCloudFormation', () => {
  test('GIVEN work that succeeds WHEN answered THEN SUCCESS carries its id and data', async () => {
    const body = await answer(async () => ({ physicalResourceId: 'copy-8', data: { Key: 'value' } }));

    expect(body).toEqual({ Status: 'SUCCESS', PhysicalResourceId: 'copy-8', StackId: expect.any(String), RequestId: 'request-1', LogicalResourceId: 'Copy1', Data: { Key: 'value' } });
  });

  test('GIVEN a Create whose work throws a ReportableError WHEN answered THEN FAILED carries its message and the failed-create marker', async () => {
    const body = await answer(async () => {
      throw new CopyError('The bucket "b" is empty.');
    });

    expect(body.Status).toBe('FAILED');
    expect(body.Reason).toBe('The bucket "b" is empty.');
    expect(body.PhysicalResourceId).toBe('failed-create:request-1');
  });

  test('GIVEN an Update whose work throws an unknown error WHEN answered THEN FAILED keeps the physical id and says the error was unexpected', async () => {
    const body = await answer(async () => {
      throw new RangeError('index out of range');
    }, 'Update');

    expect(body.Reason).toBe('Unexpected error in the copy handler: RangeError: index out of range');
    expect(body.PhysicalResourceId).toBe('copy-7');
  });

  test('GIVEN work that never ends WHEN the deadline nears THEN FAILED names the work and what it waited on, and the work is aborted', async () => {
    let aborted = false;
    const body = await answer((signal) => new Promise(() => signal.addEventListener('abort', () => {
      aborted = true;
    })), 'Create', 2_000);

    expect(body.Reason).toBe('The copy did not finish within the 1.2s the handler had left before its timeout, so it stopped waiting for S3.');
    expect(aborted).toBe(true);
  });

  test('GIVEN a success whose data exceeds its budget WHEN answered THEN FAILED names the work and the limit', async () => {
    let budget = 0;
    const body = await answer(async (_signal, dataBudget) => {
      budget = dataBudget('copy-8');
      return { physicalResourceId: 'copy-8', data: { Key: 'v'.repeat(budget) } };
    }, 'Update');

    expect(budget).toBeGreaterThan(3_500);
    expect(body.Status).toBe('FAILED');
    expect(body.Reason).toBe('The copy succeeded, but its response would exceed CloudFormation\'s 4,096-byte limit.');
    expect(cloudFormation.received[0].rawBody.length).toBeLessThanOrEqual(4_096);
  });

  test('GIVEN a ReportableError of 10,000 characters WHEN answered THEN its reason is shortened to fit 4 KiB and marked', async () => {
    const body = await answer(async () => {
      throw new CopyError('é'.repeat(10_000));
    });

    expect(Buffer.byteLength(cloudFormation.received[0].rawBody)).toBeLessThanOrEqual(4_096);
    expect(body.Reason).toMatch(/^é+\.\.\.$/);
  });
});
