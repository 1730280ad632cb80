/**
 * The signature tests' fixtures, made by the real tools: a distribution
 * registry on loopback, images pushed to it over the registry API, signatures
 * made there by cosign (with a key pair) and by notation-go (JWS or COSE, with
 * a test CA), then everything copied into moto as ECR would hold it. Tools
 * come from `test/signing/install.sh` (.tools/signing/bin).
 */
import { ChildProcess, execFile, spawn } from 'child_process';
import { createHash, randomBytes } from 'crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { createServer } from 'net';
import { tmpdir } from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { PutImageCommand } from '@aws-sdk/client-ecr';
import type { LocalEcr } from '../../local/local-ecr';

const run = promisify(execFile);

export const TOOLS_DIR = path.join(__dirname, '..', '..', '.tools', 'signing', 'bin');
const TOOLS = ['cosign', 'registry', 'notation-signer'] as const;

/** The tools that are missing, by name; empty when all are built. */
export function missingTools(): string[] {
  return TOOLS.filter((tool) => !existsSync(path.join(TOOLS_DIR, tool)));
}

const tool = (name: typeof TOOLS[number]) => path.join(TOOLS_DIR, name);

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const ACCEPT = [OCI_MANIFEST, OCI_INDEX, 'application/vnd.docker.distribution.manifest.v2+json', 'application/vnd.docker.distribution.manifest.list.v2+json'].join(', ');

export function sha256(bytes: Buffer | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** A manifest the registry holds: its bytes, media type and digest. */
export interface StoredManifest {
  readonly digest: string;
  readonly mediaType: string;
  readonly bytes: string;
}

/** A distribution registry on loopback, storing into a temporary folder. */
export class LocalRegistry {
  public static async start(): Promise<LocalRegistry> {
    const dir = mkdtempSync(path.join(tmpdir(), 'signing-registry-'));
    const port = await freePort();
    const config = path.join(dir, 'config.yml');
    writeFileSync(config, [
      'version: 0.1',
      'log:',
      '  level: warn',
      'storage:',
      // notation-go deletes the referrers index it replaces.
      '  delete:',
      '    enabled: true',
      '  filesystem:',
      `    rootdirectory: ${path.join(dir, 'data')}`,
      'http:',
      `  addr: 127.0.0.1:${port}`,
      '',
    ].join('\n'));
    const child = spawn(tool('registry'), ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk) => { stderr += chunk; });
    const registry = new LocalRegistry(child, `127.0.0.1:${port}`, dir);
    for (let attempt = 0; ; attempt++) {
      try {
        if ((await fetch(`http://${registry.host}/v2/`)).ok) {
          return registry;
        }
      } catch {
        // Not listening yet.
      }
      if (attempt > 100 || child.exitCode !== null) {
        child.kill();
        throw new Error(`the registry did not start on ${registry.host}: ${stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  private constructor(private readonly child: ChildProcess, public readonly host: string, public readonly dir: string) {}

  public stop(): void {
    this.child.kill();
  }

  /** `host/repository@digest`, as cosign and Notation name an image. */
  public reference(repository: string, digest: string): string {
    return `${this.host}/${repository}@${digest}`;
  }

  public async pushBlob(repository: string, bytes: Buffer): Promise<{ digest: string; size: number }> {
    const digest = sha256(bytes);
    const started = await fetch(`http://${this.host}/v2/${repository}/blobs/uploads/`, { method: 'POST' });
    const location = new URL(started.headers.get('location')!, `http://${this.host}`);
    location.searchParams.set('digest', digest);
    const put = await fetch(location, { method: 'PUT', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
    if (put.status !== 201) {
      throw new Error(`the registry refused blob ${digest}: HTTP ${put.status} ${await put.text()}`);
    }
    return { digest, size: bytes.length };
  }

  public async pushManifest(repository: string, reference: string, mediaType: string, bytes: string): Promise<string> {
    const put = await fetch(`http://${this.host}/v2/${repository}/manifests/${reference}`, { method: 'PUT', body: bytes, headers: { 'content-type': mediaType } });
    if (put.status !== 201) {
      throw new Error(`the registry refused manifest ${reference}: HTTP ${put.status} ${await put.text()}`);
    }
    return sha256(bytes);
  }

  /** Pushes a new single-platform image (an OCI manifest no other test has) under `tag`. */
  public async pushImage(repository: string, tag: string, platform = 'linux/amd64'): Promise<string> {
    const [os, architecture] = platform.split('/');
    const config = await this.pushBlob(repository, Buffer.from(JSON.stringify({ architecture, os, rootfs: { type: 'layers', diff_ids: [] }, config: { Labels: { nonce: randomBytes(8).toString('hex') } } })));
    const layer = await this.pushBlob(repository, randomBytes(64));
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
    });
    return this.pushManifest(repository, tag, OCI_MANIFEST, manifest);
  }

  /** Pushes one image per platform and an OCI index of them under `tag`; returns the digests. */
  public async pushIndex(repository: string, tag: string, platforms: string[]): Promise<{ index: string; manifests: Record<string, string> }> {
    const manifests: Record<string, string> = {};
    const entries = [];
    for (const platform of platforms) {
      const digest = await this.pushImage(repository, `${tag}-${platform.replace(/\//g, '-')}`, platform);
      const stored = await this.manifest(repository, digest);
      manifests[platform] = digest;
      const [os, architecture] = platform.split('/');
      entries.push({ mediaType: OCI_MANIFEST, digest, size: Buffer.byteLength(stored!.bytes), platform: { os, architecture } });
    }
    const index = JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: entries });
    return { index: await this.pushManifest(repository, tag, OCI_INDEX, index), manifests };
  }

  /** The manifest under a digest or tag, or undefined when there is none. */
  public async manifest(repository: string, reference: string): Promise<StoredManifest | undefined> {
    const response = await fetch(`http://${this.host}/v2/${repository}/manifests/${reference}`, { headers: { accept: ACCEPT } });
    if (response.status === 404) {
      return undefined;
    }
    const bytes = await response.text();
    return { digest: sha256(bytes), mediaType: response.headers.get('content-type') ?? OCI_MANIFEST, bytes };
  }

  /**
   * The referrers of `digest`, by digest. This registry has no OCI 1.1
   * referrers API, so cosign and notation-go list referrers in the fallback
   * the OCI distribution specification defines: an index under the tag
   * `sha256-<hex>`. ECR keeps referrers itself, so the index is not copied.
   */
  public async referrers(repository: string, digest: string): Promise<string[]> {
    const fallback = await this.manifest(repository, digest.replace(':', '-'));
    const index = fallback === undefined ? {} : JSON.parse(fallback.bytes) as { manifests?: Array<{ digest: string }> };
    return (index.manifests ?? []).map((m) => m.digest);
  }

  public async blob(repository: string, digest: string): Promise<Buffer> {
    return Buffer.from(await (await fetch(`http://${this.host}/v2/${repository}/blobs/${digest}`)).arrayBuffer());
  }
}

/** What a copy into ECR carried: the blobs to serve and which manifest refers to which digest. */
export interface CopiedArtifacts {
  readonly blobs: Map<string, Buffer>;
  /** Referrer digest to its subject and artifact type, as ECR's DescribeImages reports them. */
  readonly referrers: Map<string, { subject: string; artifactType?: string }>;
}

/**
 * Copies `digests` (an index copies its manifests too), their referrers and
 * their cosign `.sig` tags from the registry into moto's repository, each
 * manifest byte for byte under its own digest; the first digest gets `tag`.
 */
export async function copyToEcr(
  registry: LocalRegistry, repository: string, ecr: LocalEcr, ecrRepository: string, digests: string[], tag: string,
  into: CopiedArtifacts = { blobs: new Map(), referrers: new Map() },
): Promise<CopiedArtifacts> {
  const put = async (stored: StoredManifest, imageTag?: string) => {
    await ecr.client.send(new PutImageCommand({
      repositoryName: ecrRepository, imageManifest: stored.bytes, imageManifestMediaType: stored.mediaType, imageDigest: stored.digest, imageTag,
    }));
    const manifest = JSON.parse(stored.bytes) as {
      layers?: Array<{ digest: string }>;
      config?: { digest: string; mediaType: string };
      subject?: { digest: string };
      artifactType?: string;
      manifests?: Array<{ digest: string }>;
    };
    for (const descriptor of [...(manifest.layers ?? []), ...(manifest.config ? [manifest.config] : [])]) {
      into.blobs.set(descriptor.digest, await registry.blob(repository, descriptor.digest));
    }
    if (manifest.subject) {
      into.referrers.set(stored.digest, { subject: manifest.subject.digest, artifactType: manifest.artifactType ?? manifest.config?.mediaType });
    }
    return manifest;
  };
  for (const [position, digest] of digests.entries()) {
    const stored = await registry.manifest(repository, digest);
    if (!stored) {
      throw new Error(`the registry holds no manifest ${digest} in ${repository}`);
    }
    const manifest = await put(stored, position === 0 ? tag : undefined);
    const children = (manifest.manifests ?? []).map((m) => m.digest);
    for (const child of children) {
      await put((await registry.manifest(repository, child))!);
    }
    for (const subject of [digest, ...children]) {
      for (const referrer of await registry.referrers(repository, subject)) {
        await put((await registry.manifest(repository, referrer))!);
      }
      const sigTag = `${subject.replace(':', '-')}.sig`;
      const signature = await registry.manifest(repository, sigTag);
      if (signature) {
        await put(signature, sigTag);
      }
    }
  }
  return into;
}

/** A cosign key pair with an empty password, as `cosign generate-key-pair` writes it. */
export async function cosignKeyPair(): Promise<{ privateKey: string; publicKey: string; pem: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cosign-key-'));
  await run(tool('cosign'), ['generate-key-pair', '--output-key-prefix', path.join(dir, 'cosign')], { env: { ...process.env, COSIGN_PASSWORD: '' } });
  const publicKey = path.join(dir, 'cosign.pub');
  return { privateKey: path.join(dir, 'cosign.key'), publicKey, pem: readFileSync(publicKey, 'utf8') };
}

/**
 * Signs `reference` with cosign and a key pair, without the transparency log;
 * `referrers` attaches the signature as an OCI 1.1 referrer instead of under
 * the `sha256-<hex>.sig` tag.
 */
export async function cosignSign(reference: string, privateKey: string, options: { referrers?: boolean } = {}): Promise<void> {
  const args = ['sign', '--key', privateKey, '--tlog-upload=false', '--yes', '--allow-http-registry', '--allow-insecure-registry'];
  if (options.referrers) {
    args.push('--registry-referrers-mode=oci-1-1');
  }
  await run(tool('cosign'), [...args, reference], {
    env: { ...process.env, COSIGN_PASSWORD: '', COSIGN_EXPERIMENTAL: options.referrers ? '1' : '', HOME: path.dirname(privateKey) },
  });
}

/** A test CA and signing certificates under it, made by notation-signer (Go's crypto/x509). */
export class TestCa {
  public static async create(subject = 'C=US,O=Example,CN=Example Test Root'): Promise<TestCa> {
    const dir = mkdtempSync(path.join(tmpdir(), 'notation-ca-'));
    await run(tool('notation-signer'), ['ca', '-subject', subject, '-out', path.join(dir, 'root')]);
    return new TestCa(dir);
  }

  private leaves = 0;

  private constructor(private readonly dir: string) {}

  /** The root certificate, as `notationRootCertificates` takes it. */
  public get rootPem(): string {
    return readFileSync(path.join(this.dir, 'root.pem'), 'utf8');
  }

  /** A signing certificate (key and chain files) valid for `valid` (a Go duration such as `1h` or `3s`). */
  public async leaf(
    subject = 'C=US,O=Example,CN=Release Signer', options: { valid?: string; usage?: 'code-signing' | 'server-auth' | 'none' } = {},
  ): Promise<{ key: string; chain: string }> {
    const out = path.join(this.dir, `leaf${++this.leaves}`);
    await run(tool('notation-signer'), [
      'leaf', '-ca', path.join(this.dir, 'root'), '-subject', subject, '-valid', options.valid ?? '1h',
      '-eku', options.usage ?? 'code-signing', '-out', out,
    ]);
    return { key: `${out}.key`, chain: `${out}.chain.pem` };
  }
}

/** Signs `reference` with notation-go, attaching the envelope as an OCI referrer; returns the signature's digest. */
export async function notationSign(
  reference: string, signer: { key: string; chain: string }, options: { envelope?: 'jws' | 'cose'; expiry?: string; awsSigner?: AwsSignerJob } = {},
): Promise<string> {
  const { stdout } = await run(tool('notation-signer'), [
    'sign', '-key', signer.key, '-chain', signer.chain, '-envelope', options.envelope ?? 'jws', ...(options.expiry ? ['-expiry', options.expiry] : []),
    ...(options.awsSigner ? ['-profile-version', options.awsSigner.profileVersionArn, '-job', options.awsSigner.jobArn] : []),
    ...(options.awsSigner?.critical ? ['-critical', options.awsSigner.critical] : []), reference,
  ]);
  return stdout.trim();
}

/** The signing profile version and job AWS Signer writes into a signature as a signing authority. */
export interface AwsSignerJob {
  readonly profileVersionArn: string;
  readonly jobArn: string;
  /** One more critical signed attribute, `name=value`. */
  readonly critical?: string;
}

/** The certificate hashes GetRevocationStatus takes for a chain, as Go computes them from each certificate's raw TBS. */
export async function revocationHashes(chain: string): Promise<string[]> {
  const { stdout } = await run(tool('notation-signer'), ['revocation-hashes', '-chain', chain]);
  return stdout.trim().split('\n');
}
