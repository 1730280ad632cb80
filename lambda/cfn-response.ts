import * as http from 'http';
import * as https from 'https';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';

/** CloudFormation rejects a custom resource response body larger than this. */
export const RESPONSE_LIMIT_BYTES = 4096;

/** Time kept back for the response PUT and its retries. */
const RESERVE_FOR_RESPONSE_MS = 8_000;
const MAX_RESERVE_SHARE = 0.4;
const PUT_ATTEMPT_TIMEOUT_MS = 5_000;

/**
 * A failure whose message is written for the people reading the stack
 * events: the protocol reports it as it is. Any other error is reported as
 * unexpected, with its name, because its message was never meant for them.
 */
export class ReportableError extends Error {
  public readonly name: string = 'ReportableError';
}

/**
 * How the protocol's own messages name the work and what it waits on, such
 * as `{ work: 'lookup', waitsOn: 'ECR' }`: the protocol knows neither.
 */
export interface WorkNames {
  /** The work, as in "the lookup did not finish". */
  readonly work: string;
  /** The service the work waits on, as in "it stopped waiting for ECR". */
  readonly waitsOn: string;
}

/** What the work of a request produced, when it succeeded. */
export interface Success {
  readonly physicalResourceId: string;
  readonly data?: Record<string, string>;
}

/**
 * The work of one request: it must stop when the signal aborts, which
 * happens at `answerBy` (epoch milliseconds). Work that retries can stop
 * before then and answer with its own reason.
 */
export type Work = (signal: AbortSignal, dataBudgetBytes: (physicalResourceId: string) => number, answerBy: number) => Promise<Success>;

/**
 * Runs the work of one CloudFormation request and answers exactly once,
 * before the Lambda's deadline, whatever happens: a thrown error becomes
 * FAILED with its message, and work still running when the deadline nears is
 * abandoned for a FAILED that says so. A stack never waits an hour for an
 * answer that will not come.
 */
export async function answerCloudFormation(
  event: CloudFormationCustomResourceEvent, context: Pick<Context, 'getRemainingTimeInMillis'>, names: WorkNames, work: Work,
): Promise<void> {
  const start = Date.now();
  const deadline = start + context.getRemainingTimeInMillis();
  const answerBy = deadline - Math.min(RESERVE_FOR_RESPONSE_MS, (deadline - start) * MAX_RESERVE_SHARE);
  const abort = new AbortController();
  const failedPhysicalId = event.RequestType === 'Create' ? `failed-create:${event.RequestId}` : event.PhysicalResourceId;

  let timer: NodeJS.Timeout | undefined;
  const outOfTime = new Promise<Body>((resolve) => {
    timer = setTimeout(() => {
      abort.abort();
      const seconds = ((answerBy - start) / 1000).toFixed(1);
      resolve(failed(event, failedPhysicalId, `The ${names.work} did not finish within the ${seconds}s the handler had left before its timeout, so it stopped waiting for ${names.waitsOn}.`));
    }, Math.max(0, answerBy - start));
  });
  const done = (async (): Promise<Body> => {
    try {
      const success = await work(abort.signal, (physicalResourceId) => dataBudget(event, physicalResourceId, names), answerBy);
      return { ...common(event, success.physicalResourceId), Status: 'SUCCESS', Data: success.data };
    } catch (error) {
      return failed(event, failedPhysicalId, reasonOf(error, names));
    }
  })();

  const body = await Promise.race([done, outOfTime]);
  clearTimeout(timer);
  await put(event.ResponseURL, encode(body, names), deadline);
}

interface Body {
  Status: 'SUCCESS' | 'FAILED';
  Reason?: string;
  PhysicalResourceId: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  NoEcho?: boolean;
  Data?: Record<string, string>;
}

function common(event: CloudFormationCustomResourceEvent, physicalResourceId: string) {
  return {
    PhysicalResourceId: physicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  };
}

function failed(event: CloudFormationCustomResourceEvent, physicalResourceId: string | undefined, reason: string): Body {
  return { ...common(event, physicalResourceId ?? event.LogicalResourceId ?? 'unknown'), Status: 'FAILED', Reason: reason };
}

/** How many bytes of JSON the data may take in a SUCCESS for this request. */
function dataBudget(event: CloudFormationCustomResourceEvent, physicalResourceId: string, names: WorkNames): number {
  const skeleton = encode({ ...common(event, physicalResourceId), Status: 'SUCCESS', Data: {} }, names);
  return RESPONSE_LIMIT_BYTES - Buffer.byteLength(skeleton) + 2;
}

/** Serialises a body within the limit; only a FAILED reason is ever shortened. */
function encode(body: Body, names: WorkNames): string {
  const text = JSON.stringify(body);
  if (Buffer.byteLength(text) <= RESPONSE_LIMIT_BYTES) {
    return text;
  }
  if (body.Status === 'SUCCESS') {
    // The data was cut to its budget, so only oversized identifiers get here.
    return encode({ ...body, Status: 'FAILED', Data: undefined, Reason: `The ${names.work} succeeded, but its response would exceed CloudFormation's 4,096-byte limit.` }, names);
  }
  return JSON.stringify({ ...body, Reason: shortenedToFit(body, body.Reason ?? '') });
}

/**
 * The longest prefix of the reason, marked with '...', that keeps the body
 * within the limit. Found by bisection on characters, because the limit is in
 * bytes of JSON: a character can take one to six of them.
 */
function shortenedToFit(body: Body, reason: string): string {
  const cut = (length: number) => {
    // Never split a surrogate pair: half of one would be escaped as six bytes.
    const end = length > 0 && /[\uD800-\uDBFF]/.test(reason[length - 1]) ? length - 1 : length;
    return `${reason.slice(0, end)}...`;
  };
  const fits = (length: number) => Buffer.byteLength(JSON.stringify({ ...body, Reason: cut(length) })) <= RESPONSE_LIMIT_BYTES;
  let low = 0;
  let high = reason.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(middle)) {
      low = middle;
    } else {
      high = middle - 1;
    }
  }
  return cut(low);
}

/** The FAILED reason for what the work threw: a `ReportableError`'s message as it is, anything else as unexpected. */
export function reasonOf(error: unknown, names: WorkNames): string {
  if (error instanceof ReportableError) {
    return error.message;
  }
  const e = error as { name?: string; message?: string } | undefined;
  return `Unexpected error in the ${names.work} handler: ${e?.name ?? 'Error'}: ${e?.message ?? String(error)}`;
}

/**
 * PUTs the response to the pre-signed URL: no content type (it is not part of
 * the signature), an exact content length, and retries of network errors and
 * server errors until the deadline. The URL is a credential, so it is never
 * logged.
 */
async function put(responseUrl: string, body: string, deadline: number): Promise<void> {
  let delay = 200;
  for (let attempt = 1; ; attempt++) {
    const left = deadline - Date.now();
    const outcome = await putOnce(responseUrl, body, Math.max(1, Math.min(PUT_ATTEMPT_TIMEOUT_MS, left)));
    if (outcome.ok) {
      return;
    }
    const retryable = outcome.status === undefined || outcome.status >= 500 || outcome.status === 429;
    if (!retryable || Date.now() + delay >= deadline) {
      console.error(`The response to CloudFormation failed after ${attempt} attempt(s): ${outcome.problem}`);
      throw new Error(`The response to CloudFormation failed: ${outcome.problem}`);
    }
    console.warn(`The response to CloudFormation failed (${outcome.problem}); retrying in ${delay} ms`);
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 2_000);
  }
}

interface PutOutcome {
  readonly ok: boolean;
  readonly status?: number;
  readonly problem?: string;
}

function putOnce(responseUrl: string, body: string, timeoutMs: number): Promise<PutOutcome> {
  return new Promise((resolve) => {
    const url = new URL(responseUrl);
    const transport = url.protocol === 'http:' ? http : https;
    const request = transport.request(url, {
      method: 'PUT',
      headers: { 'content-length': Buffer.byteLength(body) },
      timeout: timeoutMs,
    }, (response) => {
      response.resume();
      response.on('end', () => {
        const status = response.statusCode ?? 0;
        resolve(status >= 200 && status < 300 ? { ok: true, status } : { ok: false, status, problem: `HTTP ${status}` });
      });
      response.on('error', (error) => resolve({ ok: false, problem: error.message }));
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', (error) => resolve({ ok: false, problem: (error as NodeJS.ErrnoException).code ?? error.message }));
    request.end(body);
  });
}
