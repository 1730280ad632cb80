/**
 * Advice for an AccessDeniedException, read from ECR's own message: AWS
 * names the policy type that denied a call ("because no identity-based
 * policy allows ...", "with an explicit deny in a service control policy",
 * "... permissions boundary ...") and the principal, whose account tells a
 * cross-account lookup apart. Pure functions of the message.
 */

/** What the advice may name. */
export interface DenialContext {
  /** `ecr:DescribeImages` and the like. */
  readonly action: string;
  /** The account that owns the repository. */
  readonly registryId: string;
}

/**
 * One row per policy type, most specific first: the first phrase found in
 * the message decides. An SCP's denial may read "explicit deny" even when it
 * is implicit, so the organization policies come before the generic rows.
 */
const ADVICE: ReadonlyArray<{ readonly phrase: RegExp; readonly advice: (c: DenialContext, crossAccount: boolean) => string }> = [
  {
    phrase: /service control polic/i,
    advice: (c) => `A service control policy of your AWS Organization blocks ${c.action} for the lookup role; no change to this stack can lift it: ask the organization's administrators to allow it.`,
  },
  {
    phrase: /resource control polic/i,
    advice: (c) => `A resource control policy of the AWS Organization that owns account ${c.registryId} blocks ${c.action} on the repository: ask that organization's administrators to allow the lookup role.`,
  },
  {
    phrase: /permissions boundary/i,
    advice: (c) => `The lookup role's permissions boundary does not allow ${c.action}: a boundary set on every role of the stack (PermissionsBoundary.of, or the bootstrap's) applies to the lookup role too, so add ${c.action} on the repository to the boundary policy.`,
  },
  {
    phrase: /session polic/i,
    advice: (c) => `A session policy limits the lookup role's credentials and does not allow ${c.action}: remove the session policy, or allow the action in it.`,
  },
  {
    phrase: /VPC endpoint polic/i,
    advice: (c) => `The policy of the ECR VPC endpoint the function calls through does not allow ${c.action}: allow it for the lookup role in the endpoint's policy.`,
  },
  {
    phrase: /explicit deny in a resource-based policy/i,
    advice: (c) => `The repository policy denies ${c.action} to the lookup role explicitly: remove that Deny statement.`,
  },
  {
    phrase: /no resource-based policy allows/i,
    advice: (c, crossAccount) => crossAccount
      ? `The repository belongs to account ${c.registryId}, so its repository policy must allow ${c.action} to the lookup role (or to its account).`
      : `The repository policy does not allow ${c.action} to the lookup role: allow it there, or remove the condition that excludes the role.`,
  },
  {
    phrase: /explicit deny in an identity-based policy/i,
    advice: (c) => `A policy attached to the lookup role denies ${c.action} explicitly; this construct never adds a Deny, so remove the statement that does.`,
  },
  {
    phrase: /no identity-based policy allows/i,
    advice: (c) => `The lookup role's policy did not allow ${c.action} even after waiting for IAM to apply the grant this stack makes: deploy again, and if the denial stays, check whether the role's policy was changed outside the stack.`,
  },
];

/** The account of the principal that ECR's message names, if it names one. */
export function principalAccount(message: string): string | undefined {
  return /arn:aws[a-z-]*:(?:sts|iam)::(\d{12}):/.exec(message)?.[1];
}

/** The advice that fits ECR's message: one sentence naming what denied the call and what to change. */
export function adviceFor(message: string, context: DenialContext): string {
  const principal = principalAccount(message);
  const crossAccount = principal !== undefined && principal !== context.registryId;
  const row = ADVICE.find((r) => r.phrase.test(message));
  if (row) {
    return row.advice(context, crossAccount);
  }
  if (crossAccount) {
    return `The repository belongs to account ${context.registryId} and the lookup role to account ${principal}: the repository policy must allow ${context.action} to the lookup role, and no service control policy of either account may deny it.`;
  }
  return `Check the lookup role's policies and permissions boundary, the repository policy and your organization's service control policies for ${context.action}.`;
}
