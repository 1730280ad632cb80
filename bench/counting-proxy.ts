import * as http from 'http';

/**
 * A plain HTTP proxy in front of the local ECR endpoint that counts the ECR
 * operations it forwards, by the `X-Amz-Target` header of AWS's JSON protocol.
 * Counting at the endpoint sees every call, retries included, whatever the
 * client does.
 */
export class CountingProxy {
  /** Starts the proxy on a free loopback port, forwarding to `target`. */
  public static async start(target: string): Promise<CountingProxy> {
    const proxy = new CountingProxy(new URL(target));
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  /** Operation name to the number of requests since the last `reset()`. */
  public readonly calls = new Map<string, number>();
  private readonly server: http.Server;

  private constructor(target: URL) {
    this.server = http.createServer((request, response) => {
      const operation = String(request.headers['x-amz-target'] ?? `${request.method} ${request.url}`).split('.').pop() ?? 'unknown';
      this.calls.set(operation, (this.calls.get(operation) ?? 0) + 1);
      const upstream = http.request({
        host: target.hostname,
        port: target.port,
        method: request.method,
        path: request.url,
        headers: request.headers,
      }, (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      });
      upstream.on('error', (error) => response.writeHead(502).end(String(error)));
      request.pipe(upstream);
    });
  }

  /** The proxy's URL, to use as the ECR endpoint. */
  public get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  /** How many requests arrived since the last reset, all operations together. */
  public get total(): number {
    return [...this.calls.values()].reduce((sum, n) => sum + n, 0);
  }

  public reset(): void {
    this.calls.clear();
  }

  public close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
