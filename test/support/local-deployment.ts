import { LocalEcr } from './local-ecr';
import { ResponseEndpoint } from './response-endpoint';

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
