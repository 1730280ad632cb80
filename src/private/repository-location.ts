import { ArnFormat, Resource, Stack, Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { IConstruct } from 'constructs';

/** Where ECR is called for a repository. */
export interface RepositoryLocation {
  /** The 12-digit account that owns the repository. */
  readonly registryId: string;
  /** The region that holds the repository. */
  readonly region: string;
}

/**
 * The account and region of the repository's ARN: the same ARN that the
 * lookup role's grant names and that `repositoryUriForDigest` builds the image
 * URI from, so the three can never disagree.
 *
 * `repository.env` is not enough: `fromRepositoryAttributes` and `fromLookup`
 * give an imported repository the environment of the stack that imports it,
 * whatever account and region its ARN names.
 */
export function repositoryLocation(scope: IConstruct, repository: ecr.IRepository): RepositoryLocation {
  const arn = repository.repositoryArn;
  const stack = Stack.of(repository);
  if (Token.isUnresolved(arn) && (Resource.isOwnedResource(repository) || builtFromEnv(repository, stack))) {
    // A repository defined in a stack lives in that stack's environment, and an
    // ARN formatted from the environment says no more than it does; both keep
    // the plain `AWS::AccountId`/`AWS::Region` references of agnostic stacks.
    return { registryId: repository.env.account, region: repository.env.region };
  }
  if (!Token.isUnresolved(arn) && !/^arn:[^:]+:ecr:[^:]*:[^:]*:repository\/.+/.test(arn)) {
    throw new Error(`ImageDigestLookup ${scope.node.path}: repository ARN ${JSON.stringify(arn)} is not an ECR repository ARN: expected arn:<partition>:ecr:<region>:<account>:repository/<name>, such as 'arn:aws:ecr:eu-west-1:111111111111:repository/api'.`);
  }
  // A literal ARN is parsed here; a token one (an SSM parameter, an import)
  // becomes Fn::Select/Fn::Split, which CloudFormation resolves at deploy time
  // and the handler checks with the same rules.
  const parts = stack.splitArn(arn, ArnFormat.SLASH_RESOURCE_NAME);
  return { registryId: parts.account ?? '', region: parts.region ?? '' };
}

/** Whether the ARN is exactly the one the repository's environment and name would give. */
function builtFromEnv(repository: ecr.IRepository, stack: Stack): boolean {
  const fromEnv = stack.formatArn({
    service: 'ecr',
    account: repository.env.account,
    region: repository.env.region,
    resource: 'repository',
    resourceName: repository.repositoryName,
  });
  return JSON.stringify(stack.resolve(fromEnv)) === JSON.stringify(stack.resolve(repository.repositoryArn));
}
