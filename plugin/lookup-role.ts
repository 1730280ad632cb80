/**
 * The credentials the plugin reads ECR with, chosen as the CDK CLI chooses
 * them for its built-in context lookups: the CLI hands a plugin the lookup
 * role it resolved for the query (`lookupRoleArn`, its external id and
 * additional AssumeRole options) but no SDK, so the plugin assumes the role
 * itself with the CLI's base credentials (`--profile` or the default chain).
 */
import * as os from 'os';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { LookupError } from '../lambda/lookup-error';

/** The query fields the CLI fills from the stack's synthesizer. */
export interface LookupRoleQuery {
  readonly lookupRoleArn?: unknown;
  readonly lookupRoleExternalId?: unknown;
  readonly assumeRoleAdditionalOptions?: unknown;
}

/** The credentials to read ECR with. */
export interface LookupCredentials {
  /** The role's credentials; undefined to use the base credentials. */
  readonly credentials?: AwsCredentialIdentity;
  /** Why the base credentials are used although the query names a role: said again if ECR then denies. */
  readonly roleNotAssumed?: string;
}

/**
 * The CLI's credentials cannot read the lookup's account at all. The plugin
 * answers that as it answers a machine without credentials: the lookup falls
 * back to refreshing on every deployment and synth warns. A pipeline's synth
 * step, whose credentials belong to the pipeline's account, must still
 * synthesize stacks of accounts that do not trust it for lookups.
 */
export class CredentialsUnusable extends LookupError {}

/**
 * Assumes the query's lookup role with the base credentials of `sts` (a
 * client in the lookup's region). When the role cannot be assumed, the base
 * credentials are used if they belong to `account` (the repository's) or to
 * the role's own account, with a warning, as the CLI proceeds "for the right
 * account"; otherwise, and for an expired token, it throws
 * CredentialsUnusable naming the role, the accounts and STS's reason.
 */
export async function lookupCredentials(
  sts: STSClient, query: LookupRoleQuery, account: string, warn: (message: string) => void = console.warn,
): Promise<LookupCredentials> {
  const roleArn = typeof query.lookupRoleArn === 'string' && query.lookupRoleArn !== '' ? query.lookupRoleArn : undefined;
  if (roleArn === undefined) {
    return {};
  }
  try {
    const { Credentials: assumed } = await sts.send(new AssumeRoleCommand(assumeRoleInput(roleArn, query)));
    if (!assumed?.AccessKeyId || !assumed.SecretAccessKey) {
      throw new Error('STS answered without credentials');
    }
    return {
      credentials: {
        accessKeyId: assumed.AccessKeyId,
        secretAccessKey: assumed.SecretAccessKey,
        sessionToken: assumed.SessionToken,
        expiration: assumed.Expiration,
      },
    };
  } catch (error) {
    const reason = `${(error as Error).name}: ${(error as Error).message}`;
    if ((error as Error).name === 'ExpiredToken') {
      throw new CredentialsUnusable(`Could not assume the lookup role ${roleArn}: the CLI's credentials have expired (${reason}). Refresh them and synth again.`);
    }
    const baseAccount = await callerAccount(sts);
    const roleAccount = roleArn.split(':')[4];
    if (baseAccount !== account && baseAccount !== roleAccount) {
      throw new CredentialsUnusable(`Could not assume the lookup role ${roleArn} with the CLI's credentials (which are for account ${baseAccount ?? 'unknown'}): ${reason}. Make sure the role exists and trusts that account (bootstrap account ${roleAccount} with --trust-for-lookup ${baseAccount ?? '<account>'}), or run the CLI with credentials for account ${account}.`);
    }
    const roleNotAssumed = `the lookup role ${roleArn} could not be assumed (${reason}), so the CLI's credentials for account ${baseAccount} were used`;
    warn(`cdk-image-digest-lookup plugin: the CLI's credentials could not be used to assume '${roleArn}', but are for the right account (${baseAccount}). Proceeding anyway. (${reason})`);
    return { roleNotAssumed };
  }
}

/** The CLI's AssumeRole parameters: its session name convention, the external id, and the synthesizer's additional options. */
function assumeRoleInput(roleArn: string, query: LookupRoleQuery): AssumeRoleCommand['input'] {
  const additional = typeof query.assumeRoleAdditionalOptions === 'object' && query.assumeRoleAdditionalOptions !== null
    ? query.assumeRoleAdditionalOptions as Partial<AssumeRoleCommand['input']>
    : undefined;
  return {
    RoleArn: roleArn,
    ExternalId: typeof query.lookupRoleExternalId === 'string' ? query.lookupRoleExternalId : undefined,
    RoleSessionName: process.env.CDK_ROLE_SESSION_NAME || `aws-cdk-${safeUsername()}`,
    ...additional,
    TransitiveTagKeys: additional?.Tags?.map((tag) => tag.Key!),
  };
}

/** The OS user name with the characters a session name may not hold replaced, as the CLI does. */
function safeUsername(): string {
  try {
    return os.userInfo().username.replace(/[^\w+=,.@-]/g, '@');
  } catch {
    return 'noname';
  }
}

/** The base credentials' account, or undefined when STS cannot tell. */
async function callerAccount(sts: STSClient): Promise<string | undefined> {
  try {
    return (await sts.send(new GetCallerIdentityCommand({}))).Account;
  } catch {
    return undefined;
  }
}
