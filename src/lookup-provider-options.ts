import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * How the stack's lookup function is set up. One function and one role serve
 * every lookup of a stack, so these options apply stack-wide: pass them to
 * `ImageDigestLookup.configureProvider` before the stack's first lookup.
 */
export interface LookupProviderOptions {
  /**
   * A fixed name for the role the stack creates for its lookup function.
   *
   * A repository policy in another account must name the role before it can
   * be granted anything, and a generated name is not known there. IAM role
   * names are unique per account: two stacks in one account need two names.
   *
   * @default - CloudFormation generates the name
   */
  readonly roleName?: string;

  /**
   * An existing role for the lookup function, instead of one that the stack
   * creates. It must trust `lambda.amazonaws.com`.
   *
   * The stack attaches every grant (writing to the function's log group, the
   * ECR actions on each repository) as managed policies of its own, through
   * their `Roles`, and the function waits for them; the role's inline
   * policies are left alone. Count the policies against the role's managed
   * policy quota. A role imported with `mutable: false` cannot take them:
   * synth fails with an error then. Under `iam.Role.customizeRoles`, the
   * grants appear in the policy report under the imported role's path.
   *
   * @default - the stack creates a role
   */
  readonly role?: iam.IRole;
}
