import { createHash, randomBytes } from 'crypto';
import { BatchGetImageCommand, CreateRepositoryCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@aws-sdk/types';

/** The account moto serves to every request signed with credentials it did not issue (such as `testing`). */
export const MOTO_ACCOUNT = '123456789012';
export const REGION = 'us-east-1';

/**
 * Credentials and endpoints that point the SDK, in this process or a child,
 * at moto: ECR at `endpoint` (moto, or a proxy in front of it), and
 * CloudFormation, which an Update asks for its stack's status, at moto itself.
 */
export function motoEnvironment(endpoint = motoEndpoint()): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_SESSION_TOKEN: 'testing',
    AWS_REGION: REGION,
    AWS_ENDPOINT_URL_ECR: endpoint,
    // The CLI plugin assumes the lookup role through STS; moto answers AssumeRole.
    AWS_ENDPOINT_URL_STS: endpoint,
    AWS_ENDPOINT_URL_CLOUDFORMATION: process.env.MOTO_ENDPOINT ?? endpoint,
  };
}

export function motoEndpoint(): string {
  const endpoint = process.env.MOTO_ENDPOINT;
  if (!endpoint) {
    throw new Error('MOTO_ENDPOINT is not set: the jest global setup starts moto_server and sets it.');
  }
  return endpoint;
}

/** A repository name no other test uses, so test files can share one moto server. */
export function uniqueRepositoryName(prefix = 'repo'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

/** An image manifest that no other test pushed, and its digest. */
export function newManifest(configSize = 1469): { manifest: string; digest: string } {
  const layer = `sha256:${randomBytes(32).toString('hex')}`;
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: DOCKER_MANIFEST,
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: configSize, digest: `sha256:${randomBytes(32).toString('hex')}` },
    layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 2_811_478, digest: layer }],
  });
  return { manifest, digest: sha256Digest(manifest) };
}

export function sha256Digest(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** Drives moto's ECR the way `docker push` would leave it. */
export class LocalEcr {
  /** moto's registry of another account, reached with the credentials of a role there (moto assumes any role). */
  static async ofAccount(account: string, endpoint = motoEndpoint(), region = REGION): Promise<LocalEcr> {
    const sts = new STSClient({ region, endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    try {
      const roleArn = `arn:aws:iam::${account}:role/local-ecr`;
      const { Credentials: role } = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'local-ecr' }));
      const { AccessKeyId: accessKeyId, SecretAccessKey: secretAccessKey, SessionToken: sessionToken } = role!;
      return new LocalEcr(endpoint, region, { accessKeyId: accessKeyId!, secretAccessKey: secretAccessKey!, sessionToken });
    } finally {
      sts.destroy();
    }
  }

  public readonly client: ECRClient;

  /**
   * `region`: moto keeps a registry per region, as ECR does. `credentials`:
   * moto keeps a registry per account too, and serves the account that issued
   * the access key: an assumed role's credentials reach the role's account.
   */
  constructor(endpoint = motoEndpoint(), region = REGION, credentials: AwsCredentialIdentity = { accessKeyId: 'testing', secretAccessKey: 'testing' }) {
    this.client = new ECRClient({ region, endpoint, credentials });
  }

  async createRepository(name: string): Promise<void> {
    await this.client.send(new CreateRepositoryCommand({ repositoryName: name }));
  }

  /**
   * Pushes a new image under `tag` and returns its digest. moto invents a
   * digest unless it is given one, so the real sha256 of the manifest is passed.
   */
  async push(repositoryName: string, tag: string, manifest = newManifest()): Promise<string> {
    await this.client.send(new PutImageCommand({
      repositoryName,
      imageTag: tag,
      imageManifest: manifest.manifest,
      imageManifestMediaType: DOCKER_MANIFEST,
      imageDigest: manifest.digest,
    }));
    return manifest.digest;
  }

  /** The manifest ECR stores under `imageDigest`, as pushed; fails unless ECR returns exactly that one image. */
  async storedManifest(repositoryName: string, imageDigest: string): Promise<{ manifest: string; mediaType?: string }> {
    const { images } = await this.client.send(new BatchGetImageCommand({ repositoryName, imageIds: [{ imageDigest }] }));
    if (images?.length !== 1 || images[0].imageManifest === undefined) {
      throw new Error(`ECR returned ${images?.length ?? 0} images for ${imageDigest} in ${repositoryName}, not exactly the one pushed`);
    }
    return { manifest: images[0].imageManifest, mediaType: images[0].imageManifestMediaType };
  }

  /** Adds `newTag` to the image `existingTag` points to, as `docker tag` and push would. */
  async addTag(repositoryName: string, existingTag: string, newTag: string): Promise<void> {
    const found = await this.client.send(new BatchGetImageCommand({ repositoryName, imageIds: [{ imageTag: existingTag }] }));
    const image = found.images?.[0];
    if (!image?.imageManifest || !image.imageId?.imageDigest) {
      throw new Error(`No image is tagged ${existingTag} in ${repositoryName}`);
    }
    await this.client.send(new PutImageCommand({
      repositoryName,
      imageTag: newTag,
      imageManifest: image.imageManifest,
      imageManifestMediaType: image.imageManifestMediaType ?? DOCKER_MANIFEST,
      imageDigest: image.imageId.imageDigest,
    }));
  }
}
