import * as http from 'http';

/** One request CloudFormation's response endpoint received. */
export interface ReceivedResponse {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly rawBody: string;
  readonly body: any;
  readonly receivedAt: number;
}

/**
 * A local stand-in for the pre-signed S3 URL that CloudFormation hands a
 * custom resource: real HTTP, recording every request. `failNext(n, status)`
 * makes the next n requests fail, to exercise the handler's retries.
 */
export class ResponseEndpoint {
  public static async start(): Promise<ResponseEndpoint> {
    const endpoint = new ResponseEndpoint();
    await new Promise<void>((resolve) => endpoint.server.listen(0, '127.0.0.1', resolve));
    return endpoint;
  }

  public readonly received: ReceivedResponse[] = [];
  private readonly server: http.Server;
  private failures: { remaining: number; status: number } = { remaining: 0, status: 500 };

  private constructor() {
    this.server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk) => chunks.push(chunk));
      request.on('end', () => {
        const rawBody = Buffer.concat(chunks).toString('utf8');
        let body: any;
        try {
          body = JSON.parse(rawBody);
        } catch {
          body = undefined;
        }
        this.received.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers, rawBody, body, receivedAt: Date.now() });
        if (this.failures.remaining > 0) {
          this.failures.remaining--;
          response.writeHead(this.failures.status).end('injected failure');
        } else {
          response.writeHead(200).end();
        }
      });
    });
  }

  /** A URL shaped like CloudFormation's: a pre-signed S3 URL with a secret in its query. */
  public url(secret = 'X-Amz-Signature=0123456789abcdef'): string {
    const port = (this.server.address() as { port: number }).port;
    return `http://127.0.0.1:${port}/cloudformation-custom-resource-response-useast1/arn%3Aaws%3Acloudformation/request-1?X-Amz-Algorithm=AWS4-HMAC-SHA256&${secret}`;
  }

  public failNext(count: number, status = 500): void {
    this.failures = { remaining: count, status };
  }

  public clear(): void {
    this.received.length = 0;
    this.failures = { remaining: 0, status: 500 };
  }

  public close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
