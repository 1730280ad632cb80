import * as http from 'http';
import type { Socket } from 'net';

/**
 * What the proxy does to one request instead of, or before, passing it on.
 *
 * - `delay`: waits `ms`, then passes the request on.
 * - `reset`: reads the request, then resets the connection without a byte of answer.
 * - `status`: answers with that HTTP status and an awsJson1.1 server error body.
 * - `throttle`: answers as ECR does when it throttles: HTTP 400, `ThrottlingException`.
 * - `deny`: answers as ECR does when IAM denies the call: HTTP 400,
 *   `AccessDeniedException` with `message` (which names the principal and the policy type).
 * - `malformed-json`: answers HTTP 200 with a JSON body cut short.
 * - `hang`: reads the request and never answers.
 * - `answer`: answers with `status` and the JSON `body` (with `errorType` in
 *   x-amzn-ErrorType for an error): ECR's answer to a call where moto answers
 *   differently or not at all (named where a test uses it).
 * - `query-error`: answers as a query-protocol service (STS) answers an error:
 *   `status` and an XML ErrorResponse with `code` and `message`.
 */
export type Fault =
  | { readonly kind: 'delay'; readonly ms: number }
  | { readonly kind: 'reset' }
  | { readonly kind: 'status'; readonly status: number }
  | { readonly kind: 'throttle' }
  | { readonly kind: 'deny'; readonly message: string }
  | { readonly kind: 'malformed-json' }
  | { readonly kind: 'hang' }
  | { readonly kind: 'answer'; readonly status: number; readonly body: object; readonly errorType?: string }
  | { readonly kind: 'query-error'; readonly status: number; readonly code: string; readonly message: string };

/** One request the proxy received, and the fault it met, if any. */
export interface ProxiedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  readonly fault?: Fault['kind'];
  readonly receivedAt: number;
}

/**
 * A loopback HTTP proxy that passes requests to one upstream endpoint and
 * injects faults into the next requests on demand. Put it between the shipped
 * handler and moto (through AWS_ENDPOINT_URL_ECR) or in front of the
 * ResponseURL endpoint, and queue faults with `inject`.
 */
export class FaultProxy {
  /** Starts a proxy in front of `upstream`, e.g. `http://127.0.0.1:5000`. */
  public static async start(upstream: string): Promise<FaultProxy> {
    const proxy = new FaultProxy(new URL(upstream));
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  /** Every request received, in order, faulted or not. */
  public readonly received: ProxiedRequest[] = [];

  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private queue: Fault[] = [];
  private always: Fault | undefined;
  private rule: ((request: ProxiedRequest) => Fault | undefined) | undefined;
  private rewrite: ((body: string) => string) | undefined;

  private constructor(private readonly upstream: URL) {
    this.server = http.createServer((request, response) => this.handle(request, response));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  /** The proxy's base URL. */
  public get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  /** `url` with its origin replaced by the proxy's, keeping path and query. */
  public via(url: string): string {
    const original = new URL(url);
    return `${this.endpoint}${original.pathname}${original.search}`;
  }

  /** The next `times` requests meet `fault`; later ones pass. */
  public inject(fault: Fault, times = 1): void {
    for (let i = 0; i < times; i++) {
      this.queue.push(fault);
    }
  }

  /** Every request from now on meets `fault`. */
  public injectAlways(fault: Fault): void {
    this.always = fault;
  }

  /**
   * Every request from now on meets the fault `rule` picks for it, if any:
   * for faults that depend on time or on the request, such as a rate limit.
   * Queued faults come first.
   */
  public injectBy(rule: (request: ProxiedRequest) => Fault | undefined): void {
    this.rule = rule;
  }

  /**
   * Passes each request's body on as `rewrite` returns it (the record keeps
   * the body as sent). The upstream must not check signatures: moto does not.
   */
  public rewriteBodies(rewrite: (body: string) => string): void {
    this.rewrite = rewrite;
  }

  /** Drops queued faults, rules, rewrites and the record of requests. */
  public clear(): void {
    this.queue = [];
    this.always = undefined;
    this.rule = undefined;
    this.rewrite = undefined;
    this.received.length = 0;
  }

  /** Stops the proxy, cutting any connection it still holds open. */
  public close(): Promise<void> {
    for (const socket of this.sockets) {
      socket.destroy();
    }
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const record = {
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body: body.toString('utf8'),
        receivedAt: Date.now(),
      };
      const fault = this.queue.shift() ?? this.always ?? this.rule?.(record);
      this.received.push({ ...record, fault: fault?.kind });
      this.apply(fault, request, response, this.rewrite ? Buffer.from(this.rewrite(record.body)) : body);
    });
  }

  private apply(fault: Fault | undefined, request: http.IncomingMessage, response: http.ServerResponse, body: Buffer): void {
    switch (fault?.kind) {
      case undefined:
        return this.forward(request, response, body);
      case 'delay':
        setTimeout(() => this.forward(request, response, body), fault.ms);
        return;
      case 'reset':
        request.socket.resetAndDestroy();
        return;
      case 'status':
        return json(response, fault.status, { __type: fault.status === 503 ? 'ServiceUnavailableException' : 'ServerException', message: 'injected server error' });
      case 'throttle':
        // ECR's JSON protocol: the error code in x-amzn-ErrorType and in the body's __type.
        return json(response, 400, { __type: 'ThrottlingException', message: 'Rate exceeded' }, 'ThrottlingException');
      case 'deny':
        return json(response, 400, { __type: 'AccessDeniedException', message: fault.message }, 'AccessDeniedException');
      case 'malformed-json':
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end('{"imageDetails":[{"imageDigest":"sha256:');
        return;
      case 'hang':
        return;
      case 'answer':
        return json(response, fault.status, fault.body, fault.errorType);
      case 'query-error':
        response.writeHead(fault.status, { 'content-type': 'text/xml' }).end(
          `<ErrorResponse><Error><Type>Sender</Type><Code>${fault.code}</Code><Message>${fault.message}</Message></Error><RequestId>${++answered}</RequestId></ErrorResponse>`);
        return;
    }
  }

  private forward(request: http.IncomingMessage, response: http.ServerResponse, body: Buffer): void {
    const upstream = http.request({
      host: this.upstream.hostname,
      port: this.upstream.port,
      method: request.method,
      path: request.url,
      headers: { ...request.headers, 'host': this.upstream.host, 'content-length': String(body.length) },
    }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    upstream.on('error', () => response.destroy());
    upstream.end(body);
  }
}

let answered = 0;

function json(response: http.ServerResponse, status: number, body: object, errorType?: string): void {
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-requestid': `00000000-0000-4000-8000-${String(++answered).padStart(12, '0')}`,
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  }).end(JSON.stringify(body));
}
