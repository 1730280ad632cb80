/**
 * The two ways of looking up N image digests in one stack that the benchmark
 * compares: this library's construct, and the `AwsCustomResource` calling
 * `ECR.describeImages` that users would otherwise write by hand.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as cr from 'aws-cdk-lib/custom-resources';
import { ImageDigestLookup } from '../src';

/** Which implementation a stack uses for its lookups. */
export type Implementation = 'ImageDigestLookup' | 'AwsCustomResource';

/** Both implementations, in the order every table prints them. */
export const IMPLEMENTATIONS: readonly Implementation[] = ['ImageDigestLookup', 'AwsCustomResource'];

/** The account and region of every benchmark stack; moto answers as this account. */
export const BENCH_ENV = { account: '123456789012', region: 'us-east-1' };

/** How the lookups of a stack spread over repositories. */
export type RepositoryLayout = 'one repository' | 'distinct repositories';

/** The repository and tag of the i-th lookup. */
export function lookupTarget(layout: RepositoryLayout, i: number): { repositoryName: string; tag: string } {
  return layout === 'one repository'
    ? { repositoryName: 'platform-team/api', tag: `build-${i}` }
    : { repositoryName: `platform-team/payments-service-${i}`, tag: 'main' };
}

/** Options of a benchmark app. */
export interface LookupAppOptions {
  readonly implementation: Implementation;
  readonly lookups: number;
  readonly layout: RepositoryLayout;
  /** Raises aws-cdk-lib's 500-resource check, to measure stacks CloudFormation would refuse. */
  readonly allowOversizedStack?: boolean;
  readonly outdir?: string;
  readonly appProps?: Record<string, unknown>;
}

/** An app with one stack holding `lookups` lookups; nothing is synthesized yet. */
export function lookupApp(options: LookupAppOptions): { app: App; stack: Stack } {
  const context = options.allowOversizedStack ? { '@aws-cdk/core:stackResourceLimit': 100_000 } : {};
  const app = new App({ outdir: options.outdir, context, ...options.appProps });
  const stack = new Stack(app, 'Lookups', { env: BENCH_ENV });
  for (let i = 0; i < options.lookups; i++) {
    const { repositoryName, tag } = lookupTarget(options.layout, i);
    const repository = ecr.Repository.fromRepositoryName(stack, `Repository${i}`, repositoryName);
    if (options.implementation === 'ImageDigestLookup') {
      new ImageDigestLookup(stack, `Lookup${i}`, { repository, tag });
    } else {
      addAwsCustomResourceLookup(stack, `Lookup${i}`, repository, tag);
    }
  }
  return { app, stack };
}

/**
 * The hand-written alternative as its documentation suggests it: one
 * `describeImages` call whose digest becomes the physical id and an output.
 * The policy uses `*`, the smallest document it can have, so its IAM figures
 * are the best case. `installLatestAwsSdk` is off: by default the handler runs
 * `npm install` of the SDK on every cold start, which needs network.
 */
export function addAwsCustomResourceLookup(stack: Stack, id: string, repository: ecr.IRepository, tag: string): cr.AwsCustomResource {
  const call: cr.AwsSdkCall = {
    service: 'ECR',
    action: 'describeImages',
    parameters: { repositoryName: repository.repositoryName, imageIds: [{ imageTag: tag }] },
    physicalResourceId: cr.PhysicalResourceId.fromResponse('imageDetails.0.imageDigest'),
    outputPaths: ['imageDetails.0.imageDigest'],
  };
  return new cr.AwsCustomResource(stack, id, {
    onCreate: call,
    onUpdate: call,
    policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
    installLatestAwsSdk: false,
  });
}
