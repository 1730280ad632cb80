import { SignedEcr } from './signed-ecr';
import { copyToEcr, CopiedArtifacts, LocalRegistry } from './signing-lab';
import { createEvent } from '../../local/events';
import { MOTO_ACCOUNT, motoEnvironment, REGION, uniqueRepositoryName } from '../../local/local-ecr';
import { invokeShippedHandler } from '../../local/shipped-handler';
import type { SignatureRequirementProperties } from '../../src/shared/contract';
import type { LocalDeployment } from '../support/local-deployment';

/** What to push, and how the lookup resolves it. */
export interface SignedLookupOptions {
  readonly requirement: SignatureRequirementProperties;
  /** Signs the pushed image; `digests` are the image's (and an index's manifests', by platform). */
  readonly sign: (reference: (digest: string) => string, digests: PushedDigests) => Promise<unknown>;
  /** Push an index of these platforms instead of a single image. */
  readonly platforms?: string[];
  /** The lookup's Platform property. */
  readonly platform?: string;
  /** More environment for the handler (such as AWS_ENDPOINT_URL_SIGNER). */
  readonly env?: Record<string, string>;
  /** Alters what ECR serves before the lookup runs. */
  readonly adjust?: (ecr: SignedEcr, artifacts: CopiedArtifacts) => void;
}

export interface PushedDigests {
  /** The tag's digest: the image, or the index. */
  readonly digest: string;
  /** Each platform's manifest, for an index. */
  readonly manifests: Record<string, string>;
  readonly repository: string;
}

/**
 * Pushes an image to the registry, lets `sign` sign it with the real tools,
 * copies everything into moto and runs the shipped handler's Create of a
 * lookup of its tag with the signature requirement; returns the one answer.
 */
export async function signedLookup(local: LocalDeployment, registry: LocalRegistry, options: SignedLookupOptions) {
  const repository = uniqueRepositoryName('signed');
  const pushed: PushedDigests = options.platforms
    ? await registry.pushIndex(repository, 'main', options.platforms).then(({ index, manifests }) => ({ digest: index, manifests, repository }))
    : { digest: await registry.pushImage(repository, 'main'), manifests: {}, repository };
  await options.sign((digest) => registry.reference(repository, digest), pushed);
  await local.ecr.createRepository(repository);
  const artifacts = await copyToEcr(registry, repository, local.ecr, repository, [pushed.digest], 'main');
  const ecr = await SignedEcr.start(process.env.MOTO_ENDPOINT!, artifacts);
  try {
    options.adjust?.(ecr, artifacts);
    const props = {
      RepositoryName: repository, RegistryId: MOTO_ACCOUNT, Region: REGION, Tag: 'main', Platform: options.platform, SignatureRequirement: options.requirement,
    };
    const event = createEvent(local.cloudFormation.url(), props);
    const invocation = await invokeShippedHandler(event, { env: { ...motoEnvironment(ecr.endpoint), ...options.env }, timeoutMs: 45_000 });
    expect(invocation.exitCode).toBe(0);
    expect(local.cloudFormation.received).toHaveLength(1);
    return { body: local.cloudFormation.received[0].body, ...pushed, artifacts, actions: ecr.actions, logs: invocation.logs };
  } finally {
    await ecr.close();
  }
}
