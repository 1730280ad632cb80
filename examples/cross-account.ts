/**
 * Looking up an image in another account's repository.
 *
 * The service account (111111111111) deploys `ServiceStack`, whose lookup
 * resolves `platform/api:main` in the tools account (222222222222). ECR allows
 * the call only if both sides agree: the lookup role's own policy names the
 * repository (the construct grants that), and the repository's policy, in
 * the tools account, allows the lookup role. The tools account cannot read a
 * generated role name, so the service stack fixes it with `configureProvider`.
 *
 * The repository policy allows the service account's principals whose ARN is
 * the lookup role's, rather than naming the role as principal: ECR rejects a
 * policy whose principal does not exist yet ("Principal not found"), and a
 * role deleted and created again under the same name would no longer match a
 * principal, which IAM stores by the role's unique id. So `RepositoryStack`
 * can deploy first, then `ServiceStack`. The lookup holds its image
 * (`holdImage`), which takes a second statement with the write actions.
 */
import { App, Stack, StackProps } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ImageDigestLookup } from '../src';

export const SERVICE_ACCOUNT = '111111111111';
export const TOOLS_ACCOUNT = '222222222222';
export const REGION = 'eu-west-1';
/** Unique in the service account: one name per stack that looks up images. */
export const LOOKUP_ROLE_NAME = 'api-service-image-digest-lookup';
export const REPOSITORY_NAME = 'platform/api';

/** In the tools account: the repository, readable by the service stack's lookup role. */
export class RepositoryStack extends Stack {
  public readonly repository: ecr.Repository;

  public constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    this.repository = new ecr.Repository(this, 'Repository', { repositoryName: REPOSITORY_NAME });
    const lookupRoleArn = this.formatArn({ service: 'iam', region: '', account: SERVICE_ACCOUNT, resource: 'role', resourceName: LOOKUP_ROLE_NAME });
    this.repository.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'ImageDigestLookup',
      // Every lookup may read an image index (BatchGetImage), to pick a platform or refuse an index of attestations.
      actions: ['ecr:DescribeImages', 'ecr:BatchGetImage'],
      principals: [new iam.AccountPrincipal(SERVICE_ACCOUNT)],
      conditions: { ArnEquals: { 'aws:PrincipalArn': lookupRoleArn } },
    }));
    // Only for lookups with holdImage: tag the held image, release it, and read the lifecycle policy.
    this.repository.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'ImageDigestLookupHold',
      actions: ['ecr:PutImage', 'ecr:BatchDeleteImage', 'ecr:GetLifecyclePolicy'],
      principals: [new iam.AccountPrincipal(SERVICE_ACCOUNT)],
      conditions: { ArnEquals: { 'aws:PrincipalArn': lookupRoleArn } },
    }));
  }
}

/** In the service account: the lookup of the tools account's image. */
export class ServiceStack extends Stack {
  public readonly api: ImageDigestLookup;

  public constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    // Before the stack's first lookup: the role is created with this name.
    ImageDigestLookup.configureProvider(this, { roleName: LOOKUP_ROLE_NAME });
    const repository = ecr.Repository.fromRepositoryArn(this, 'Api', `arn:aws:ecr:${REGION}:${TOOLS_ACCOUNT}:repository/${REPOSITORY_NAME}`);
    // holdImage keeps the image while the stack uses it, whatever the tools account's lifecycle rules.
    this.api = new ImageDigestLookup(this, 'ApiImage', { repository, tag: 'main', platform: 'linux/arm64', holdImage: true });
  }
}

if (require.main === module) {
  const app = new App();
  new RepositoryStack(app, 'ApiRepository', { env: { account: TOOLS_ACCOUNT, region: REGION } });
  new ServiceStack(app, 'ApiService', { env: { account: SERVICE_ACCOUNT, region: REGION } });
  app.synth();
}
