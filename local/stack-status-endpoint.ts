import * as http from 'http';

/** One request the endpoint received, with its form parameters decoded. */
export interface StackStatusRequest {
  readonly action: string | null;
  readonly stackName: string | null;
  readonly authorization: string;
}

const NAMESPACE = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';

/**
 * A loopback CloudFormation endpoint that speaks the query protocol of
 * DescribeStacks, so that a test can put a stack in any status, rollbacks
 * included (moto completes every stack operation at once, so its stacks
 * never show UPDATE_ROLLBACK_IN_PROGRESS). Point the handler at it with
 * AWS_ENDPOINT_URL_CLOUDFORMATION.
 */
export class StackStatusEndpoint {
  public static async start(): Promise<StackStatusEndpoint> {
    const endpoint = new StackStatusEndpoint();
    await new Promise<void>((resolve) => endpoint.server.listen(0, '127.0.0.1', resolve));
    return endpoint;
  }

  public readonly received: StackStatusRequest[] = [];
  private readonly statuses = new Map<string, string>();
  private failure?: { status: number; code: string };
  private readonly server: http.Server;

  private constructor() {
    this.server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk) => chunks.push(chunk));
      request.on('end', () => {
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        const stackName = form.get('StackName');
        this.received.push({ action: form.get('Action'), stackName, authorization: String(request.headers.authorization ?? '') });
        const status = stackName === null ? undefined : this.statuses.get(stackName);
        if (this.failure) {
          this.answerError(response, this.failure.status, this.failure.code, `User is not authorized to perform: cloudformation:${form.get('Action')}`);
        } else if (form.get('Action') !== 'DescribeStacks') {
          this.answerError(response, 400, 'InvalidAction', `${form.get('Action')} is not served here`);
        } else if (!stackName || status === undefined) {
          this.answerError(response, 400, 'ValidationError', `Stack with id ${stackName} does not exist`);
        } else {
          response.writeHead(200, { 'content-type': 'text/xml' }).end(describeStacksXml(stackName, status));
        }
      });
    });
  }

  public get url(): string {
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  /** Sets the status DescribeStacks reports for the stack with this ARN. */
  public setStatus(stackId: string, status: string): void {
    this.statuses.set(stackId, status);
  }

  /** Makes every request fail with this HTTP status and error code, as IAM or CloudFormation would. */
  public failWith(status: number, code: string): void {
    this.failure = { status, code };
  }

  public clear(): void {
    this.received.length = 0;
    this.statuses.clear();
    this.failure = undefined;
  }

  public close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private answerError(response: http.ServerResponse, status: number, code: string, message: string): void {
    response.writeHead(status, { 'content-type': 'text/xml' }).end(
      `<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error>`
      + '<RequestId>7d8e9f00-0000-4000-8000-000000000000</RequestId></ErrorResponse>');
  }
}

function describeStacksXml(stackId: string, status: string): string {
  const name = stackId.split('/')[1] ?? stackId;
  return `<DescribeStacksResponse xmlns="${NAMESPACE}"><DescribeStacksResult><Stacks><member>`
    + `<StackId>${stackId}</StackId><StackName>${name}</StackName><CreationTime>2026-11-29T10:00:00.000Z</CreationTime>`
    + `<StackStatus>${status}</StackStatus></member></Stacks></DescribeStacksResult>`
    + '<ResponseMetadata><RequestId>7d8e9f00-0000-4000-8000-000000000001</RequestId></ResponseMetadata></DescribeStacksResponse>';
}
