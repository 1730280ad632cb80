/**
 * Runs the shipped handler artifact with a fault proxy between it and moto's
 * ECR, and another in front of the ResponseURL endpoint, and reports what
 * CloudFormation would have seen.
 */
import { LocalEcr, MOTO_ACCOUNT, motoEndpoint, motoEnvironment, REGION, uniqueRepositoryName } from '../../local/local-ecr';
import { ReceivedResponse, ResponseEndpoint } from '../../local/response-endpoint';
import { Invocation, invokeShippedHandler } from '../../local/shipped-handler';
import { FaultProxy } from '../support/fault-proxy';

/** The secret part of every ResponseURL the harness hands out; it must never reach the logs. */
export const RESPONSE_URL_SECRET = 'X-Amz-Signature=5ec2e7f00dfaced0c0ffee';

/** The fake secret key the handler is given; it must never reach the logs. */
export const SECRET_ACCESS_KEY = 'fault-harness-secret-key-9f8e7d';

/** What one invocation left behind. */
export interface Outcome {
  readonly invocation: Invocation;
  /** The responses CloudFormation's endpoint accepted. */
  readonly accepted: ReceivedResponse[];
  /** Every PUT the handler attempted, faulted or not. */
  readonly putAttempts: { readonly body: string; readonly fault?: string }[];
  /** When the handler was started; the Lambda deadline is later than `startedAt + timeoutMs`. */
  readonly startedAt: number;
  readonly timeoutMs: number;
}

/** What else an invocation may need. */
export interface InvokeExtras {
  /** Environment variables to set or override, such as the function's own AWS_REGION. */
  readonly env?: Record<string, string>;
  /** Called once the process has loaded the handler's module. */
  readonly onModuleLoaded?: () => void;
}

/** A shipped handler wired to moto and a ResponseURL, each behind a fault proxy. */
export class FaultHarness {
  public static async start(): Promise<FaultHarness> {
    const cloudFormation = await ResponseEndpoint.start();
    const [ecrProxy, responseProxy] = await Promise.all([FaultProxy.start(motoEndpoint()), FaultProxy.start(cloudFormation.url())]);
    return new FaultHarness(new LocalEcr(), cloudFormation, ecrProxy, responseProxy);
  }

  private constructor(
    /** Sets up repositories and images in moto directly, not through the proxy. */
    public readonly ecr: LocalEcr,
    private readonly cloudFormation: ResponseEndpoint,
    /** Between the handler and moto. */
    public readonly ecrProxy: FaultProxy,
    /** Between the handler and the ResponseURL endpoint. */
    public readonly responseProxy: FaultProxy,
  ) {}

  /** The ResponseURL to put in events: through the proxy, with a secret in its query. */
  public get responseUrl(): string {
    return this.responseProxy.via(this.cloudFormation.url(RESPONSE_URL_SECRET));
  }

  /** Creates a repository holding one image under `tag`, and returns both. */
  public async repositoryWithImage(tag = 'main'): Promise<{ repositoryName: string; digest: string }> {
    const repositoryName = uniqueRepositoryName();
    await this.ecr.createRepository(repositoryName);
    return { repositoryName, digest: await this.ecr.push(repositoryName, tag) };
  }

  /**
   * Invokes the artifact once with `event` and a Lambda timeout of
   * `timeoutMs`. Several invocations may run at once: each outcome holds only
   * the PUTs that carry its own RequestId and arrived after it started.
   */
  public async invoke(event: object, timeoutMs = 30_000, options: InvokeExtras = {}): Promise<Outcome> {
    const requestId = (event as { RequestId?: string }).RequestId;
    const startedAt = Date.now();
    const invocation = await invokeShippedHandler(event, {
      env: { ...motoEnvironment(this.ecrProxy.endpoint), AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY, ...options.env },
      timeoutMs,
      onModuleLoaded: options.onModuleLoaded,
    });
    const ours = (body: string, receivedAt: number) => receivedAt >= startedAt && requestIdOf(body) === requestId;
    return {
      invocation,
      accepted: this.cloudFormation.received.filter((r) => ours(r.rawBody, r.receivedAt)),
      putAttempts: this.responseProxy.received.filter((r) => ours(r.body, r.receivedAt)).map((r) => ({ body: r.body, fault: r.fault })),
      startedAt,
      timeoutMs,
    };
  }

  /** Clears faults and records on both proxies. */
  public reset(): void {
    this.ecrProxy.clear();
    this.responseProxy.clear();
    this.cloudFormation.clear();
  }

  public async close(): Promise<void> {
    await Promise.all([this.ecrProxy.close(), this.responseProxy.close()]);
    await this.cloudFormation.close();
  }
}

function requestIdOf(body: string): string | undefined {
  try {
    return JSON.parse(body).RequestId;
  } catch {
    return undefined;
  }
}

/** The properties the construct writes for a repository in moto's account and region. */
export function lookupProps(repositoryName: string, tag = 'main') {
  return { RepositoryName: repositoryName, RegistryId: MOTO_ACCOUNT, Region: REGION, Tag: tag };
}

/**
 * The guarantees that hold whatever the fault: the function ended on its own
 * before the Lambda's deadline, CloudFormation accepted exactly one response,
 * sent before the deadline, every PUT attempt carried the same body, and
 * neither the ResponseURL nor the credentials reached the logs.
 */
export function expectOneTimelyResponse(outcome: Outcome): ReceivedResponse {
  // The runner exits with 124 when the Lambda timeout is reached.
  expect(outcome.invocation.exitCode).toBe(0);
  expect(outcome.accepted).toHaveLength(1);
  const [response] = outcome.accepted;
  expect(response.receivedAt).toBeLessThan(outcome.startedAt + outcome.timeoutMs);
  expect(new Set(outcome.putAttempts.map((a) => a.body)).size).toBe(1);
  expect(outcome.putAttempts[0].body).toBe(response.rawBody);
  expect(outcome.invocation.logs).not.toContain(RESPONSE_URL_SECRET);
  expect(outcome.invocation.logs).not.toContain('cloudformation-custom-resource-response');
  expect(outcome.invocation.logs).not.toContain(SECRET_ACCESS_KEY);
  return response;
}
