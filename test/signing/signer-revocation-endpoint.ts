import * as http from 'http';

/** One GetRevocationStatus request, as its query string carried it. */
export interface RevocationQuery {
  readonly signatureTimestamp: string | null;
  readonly platformId: string | null;
  readonly profileVersionArn: string | null;
  readonly jobArn: string | null;
  readonly certificateHashes: string[];
}

/**
 * AWS Signer's GetRevocationStatus (REST-JSON, `GET /revocations`) on
 * loopback, for AWS_ENDPOINT_URL_SIGNER: answers the revoked entities it is
 * told to, or an error status, and records each request.
 */
export class SignerRevocationEndpoint {
  public static async start(): Promise<SignerRevocationEndpoint> {
    const endpoint = new SignerRevocationEndpoint();
    await new Promise<void>((resolve) => endpoint.server.listen(0, '127.0.0.1', resolve));
    return endpoint;
  }

  public readonly queries: RevocationQuery[] = [];
  /** The entities answered as revoked: ARNs, or certificate hashes. */
  public revoked: string[] = [];
  /** An HTTP status to answer with instead, and Signer's error type. */
  public failure: { status: number; type: string } | undefined;
  private readonly server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== '/revocations') {
      response.writeHead(404).end();
      return;
    }
    this.queries.push({
      signatureTimestamp: url.searchParams.get('signatureTimestamp'),
      platformId: url.searchParams.get('platformId'),
      profileVersionArn: url.searchParams.get('profileVersionArn'),
      jobArn: url.searchParams.get('jobArn'),
      certificateHashes: url.searchParams.getAll('certificateHashes'),
    });
    if (this.failure) {
      response.writeHead(this.failure.status, { 'content-type': 'application/json', 'x-amzn-errortype': this.failure.type })
        .end(JSON.stringify({ message: 'injected failure' }));
      return;
    }
    const hashes = url.searchParams.getAll('certificateHashes');
    const revokedEntities = this.revoked.filter((entity) => entity.startsWith('arn:') ? [...url.searchParams.values()].includes(entity) : hashes.includes(entity));
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ revokedEntities }));
  });

  public get url(): string {
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  public clear(): void {
    this.queries.length = 0;
    this.revoked = [];
    this.failure = undefined;
  }

  public close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
