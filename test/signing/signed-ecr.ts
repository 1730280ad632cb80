/**
 * ECR as the signature verifier meets it, on top of moto: moto stores the
 * copied manifests byte for byte but describes no referrer
 * (`subjectManifestDigest`, `artifactMediaType`) and has no
 * GetDownloadUrlForLayer. This proxy adds both from what the copy carried, and
 * serves each blob at the URL it hands out, as ECR's pre-signed S3 URLs do.
 * `tamper` changes a blob's served bytes, to test what a verifier does with them.
 */
import * as http from 'http';
import type { Socket } from 'net';
import type { CopiedArtifacts } from './signing-lab';

const TARGET_PREFIX = 'AmazonEC2ContainerRegistry_V20150921.';

export class SignedEcr {
  public static async start(moto: string, artifacts: CopiedArtifacts): Promise<SignedEcr> {
    const proxy = new SignedEcr(new URL(moto), artifacts);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  /** The ECR actions the handler called, in order. */
  public readonly actions: string[] = [];
  private readonly tampered = new Map<string, Buffer>();
  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly moto: URL, private readonly artifacts: CopiedArtifacts) {
    this.server = http.createServer((request, response) => this.handle(request, response));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  public get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  /** Serves `bytes` for blob `digest` from now on. */
  public tamper(digest: string, bytes: Buffer): void {
    this.tampered.set(digest, bytes);
  }

  public close(): Promise<void> {
    this.sockets.forEach((socket) => socket.destroy());
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const blob = /^\/blobs\/(sha256:[0-9a-f]{64})$/.exec(request.url ?? '');
      if (blob) {
        const bytes = this.tampered.get(blob[1]) ?? this.artifacts.blobs.get(blob[1]);
        response.writeHead(bytes ? 200 : 404, { 'content-type': 'application/octet-stream' }).end(bytes ?? '');
        return;
      }
      const action = String(request.headers['x-amz-target'] ?? '').replace(TARGET_PREFIX, '');
      this.actions.push(action);
      if (action === 'GetDownloadUrlForLayer') {
        const { layerDigest } = JSON.parse(body.toString('utf8')) as { layerDigest: string };
        const known = this.artifacts.blobs.has(layerDigest);
        response.writeHead(known ? 200 : 400, { 'content-type': 'application/x-amz-json-1.1', ...(known ? {} : { 'x-amzn-errortype': 'LayersNotFoundException' }) })
          .end(JSON.stringify(known ? { downloadUrl: `${this.endpoint}/blobs/${layerDigest}`, layerDigest } : { __type: 'LayersNotFoundException', message: `layer ${layerDigest} not found` }));
        return;
      }
      this.forward(request, response, body, action === 'DescribeImages');
    });
  }

  private forward(request: http.IncomingMessage, response: http.ServerResponse, body: Buffer, describeReferrers: boolean): void {
    const upstream = http.request({
      host: this.moto.hostname,
      port: this.moto.port,
      method: request.method,
      path: request.url,
      headers: { ...request.headers, 'host': this.moto.host, 'content-length': String(body.length) },
    }, (answer) => {
      const parts: Buffer[] = [];
      answer.on('data', (chunk) => parts.push(chunk));
      answer.on('end', () => {
        let bytes = Buffer.concat(parts);
        if (describeReferrers && answer.statusCode === 200) {
          const described = JSON.parse(bytes.toString('utf8')) as { imageDetails?: Array<Record<string, unknown>> };
          for (const detail of described.imageDetails ?? []) {
            const referrer = this.artifacts.referrers.get(detail.imageDigest as string);
            if (referrer) {
              detail.subjectManifestDigest = referrer.subject;
              detail.artifactMediaType = referrer.artifactType;
            }
          }
          bytes = Buffer.from(JSON.stringify(described));
        }
        response.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'content-length': String(bytes.length) }).end(bytes);
      });
    });
    upstream.on('error', () => response.destroy());
    upstream.end(body);
  }
}
