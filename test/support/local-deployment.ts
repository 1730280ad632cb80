import { createEvent } from '../../local/events';
import { LocalEcr, MOTO_ACCOUNT, motoEnvironment, REGION } from '../../local/local-ecr';
import { ResponseEndpoint } from '../../local/response-endpoint';
import { invokeShippedHandler } from '../../local/shipped-handler';

/** What a test of the shipped handler against moto works with. */
export interface LocalDeployment {
  /** Sets up repositories and images in moto. */
  readonly ecr: LocalEcr;
  /** Receives the handler's answers, cleared before each test. */
  readonly cloudFormation: ResponseEndpoint;
}

/**
 * Registers the jest hooks that give a test file a moto client and a response
 * endpoint standing in for CloudFormation's pre-signed URL. Read the fields
 * inside tests: they are set by the file's `beforeAll`.
 */
export function useLocalDeployment(): LocalDeployment {
  const deployment = {} as { ecr: LocalEcr; cloudFormation: ResponseEndpoint };
  beforeAll(async () => {
    deployment.ecr = new LocalEcr();
    deployment.cloudFormation = await ResponseEndpoint.start();
  });
  afterAll(() => deployment.cloudFormation.close());
  beforeEach(() => deployment.cloudFormation.clear());
  return deployment;
}

/**
 * Creates a lookup of `repositoryName` in moto's registry with the shipped
 * handler, selecting the image by `selector` (Tag, Digest or
 * NewestTagPattern), and returns the one answer CloudFormation received.
 */
export async function createLookup(deployment: LocalDeployment, repositoryName: string, selector: Record<string, string>) {
  const props = { RepositoryName: repositoryName, RegistryId: MOTO_ACCOUNT, Region: REGION, ...selector };
  const invocation = await invokeShippedHandler(createEvent(deployment.cloudFormation.url(), props), { env: motoEnvironment() });
  expect(invocation.exitCode).toBe(0);
  expect(deployment.cloudFormation.received).toHaveLength(1);
  return deployment.cloudFormation.received[0].body;
}
