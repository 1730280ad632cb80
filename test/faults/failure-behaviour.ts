/**
 * What CloudFormation sees for each fault: the single source of the README's
 * "Failure behaviour" table. Each fault test asserts its outcome against its
 * row, and readme-failure-table.test.ts checks that the README shows exactly
 * these rows, so the table cannot drift from what the handler does.
 *
 * In `reason`, text in angle brackets stands for a value that varies:
 * `<image>` is how stack events name the image (tag, repository, registry and
 * region), the others are named by what they hold.
 */

/** One row of the table. */
export interface FailureRow {
  /** What goes wrong. */
  readonly fault: string;
  /** The status in the stack events. */
  readonly status: 'SUCCESS' | 'FAILED';
  /** For FAILED, the reason shown; for SUCCESS, what the attributes hold. */
  readonly reason: string;
}

const DIGEST = 'the digest the tag points to';
const SIGN_ADVICE = 'Sign the image with a trusted key or certificate (see the README\'s "Only signed images"), or trust its signer.';

/** Every fault the tests inject, in the order the README lists them. */
export const FAILURE_BEHAVIOUR = {
  ecrSlow: { fault: 'ECR answers after 2 s', status: 'SUCCESS', reason: DIGEST },
  ecrResetThenPass: { fault: 'ECR resets the connection twice, then answers', status: 'SUCCESS', reason: `${DIGEST} (the SDK retried)` },
  ecrResetAlways: {
    fault: 'ECR resets every connection',
    status: 'FAILED',
    reason: 'The connection to ECR failed on every attempt at DescribeImages for <image> (ECONNRESET): deploy again once ECR is reachable.',
  },
  ecr500ThenPass: { fault: 'ECR answers HTTP 500 twice, then answers', status: 'SUCCESS', reason: `${DIGEST} (the SDK retried)` },
  ecr500Always: {
    fault: 'ECR answers HTTP 500 to all 5 attempts',
    status: 'FAILED',
    reason: 'ECR DescribeImages failed for <image>: HTTP 500 ServerException: <ECR\'s message>',
  },
  ecr503Always: {
    fault: 'ECR answers HTTP 503 to all 5 attempts',
    status: 'FAILED',
    reason: 'ECR DescribeImages failed for <image>: HTTP 503 ServiceUnavailableException: <ECR\'s message>',
  },
  ecrThrottleThenPass: { fault: 'ECR throttles (ThrottlingException) 3 times, then answers', status: 'SUCCESS', reason: `${DIGEST} (the handler backed off and retried)` },
  ecrThrottleAlways: {
    fault: 'ECR throttles every request until the Lambda\'s deadline',
    status: 'FAILED',
    reason: 'ECR kept throttling DescribeImages for <image> on <n> attempts over <seconds>s, until the handler had to answer before its timeout: deploy again, or spread the lookups over fewer concurrent deployments.',
  },
  throttleBurst: {
    fault: '120 lookups start together against a rate limit of 10 calls a second',
    status: 'SUCCESS',
    reason: 'each lookup\'s own digest: throttled calls are retried with jittered backoff for as long as the Lambda\'s timeout allows',
  },
  deniedWhileGrantPropagates: {
    fault: 'ECR denies the call (AccessDeniedException) for the first 4 s, as while IAM applies a fresh grant',
    status: 'SUCCESS',
    reason: `${DIGEST} (denials are retried with backoff for up to 60 s)`,
  },
  deniedAlways: {
    fault: 'ECR denies every call',
    status: 'FAILED',
    reason: 'ECR denied ecr:DescribeImages for <image> on <n> attempts over <seconds>s: <ECR\'s message, naming the role and the policy that denied>. <advice for that kind of policy>',
  },
  ecrMalformedJson: {
    fault: 'ECR answers HTTP 200 with malformed JSON',
    status: 'FAILED',
    reason: 'ECR DescribeImages failed for <image>: HTTP 200 SyntaxError: <the parser\'s message>',
  },
  ecrHangOnce: { fault: 'One ECR request hangs, the next is answered', status: 'SUCCESS', reason: `${DIGEST} (the hung attempt is abandoned after 10 s and retried)` },
  ecrHangAlways: {
    fault: 'ECR hangs past the Lambda\'s remaining time',
    status: 'FAILED',
    reason: 'The lookup did not finish within the <seconds>s the handler had left before its timeout, so it stopped waiting for ECR.',
  },
  responseUrl5xx: { fault: 'The ResponseURL answers HTTP 429, 500 or 503 twice', status: 'SUCCESS', reason: `${DIGEST}: the same body is PUT again until it is accepted` },
  responseUrlReset: { fault: 'The ResponseURL resets the connection twice', status: 'SUCCESS', reason: `${DIGEST}: the same body is PUT again until it is accepted` },
  responseUrlHang: { fault: 'The ResponseURL does not answer one PUT', status: 'SUCCESS', reason: `${DIGEST}: that PUT is abandoned after 5 s and the same body PUT again` },
  tagPushedLater: {
    fault: 'The tag is pushed a second after the lookup ran',
    status: 'FAILED',
    reason: 'Tag "<tag>" was not found in repository "<repository>" (registry <account>, region <region>): push an image with that tag, or fix the tag.',
  },
  repositoryMissing: {
    fault: 'The repository does not exist',
    status: 'FAILED',
    reason: 'Repository "<repository>" was not found in registry <account>, region <region>, while looking up tag "<tag>": create it, or fix the repository\'s name, account or region.',
  },
  invalidValueAtDeploy: {
    fault: 'A value that was a token at synth breaks a naming rule',
    status: 'FAILED',
    reason: '<Property> "<value>" is not a valid <what>: <the rule>',
  },
  missingProperty: {
    fault: 'A property is missing from the request',
    status: 'FAILED',
    reason: 'The lookup\'s property <Property> is missing: deploy the resource with the ImageDigestLookup construct, which always sets it.',
  },
  unknownRequestType: {
    fault: 'An unknown RequestType',
    status: 'FAILED',
    reason: 'Unknown RequestType "<type>": expected Create, Update or Delete.',
  },
  gateRefusesUpdate: {
    fault: 'The tag moves to an image whose scan exceeds requireScan, and the stack updates',
    status: 'FAILED',
    reason: 'Image <digest> (<image>) failed requireScan: its <scan type> scan found <the counts over their thresholds>: fix the vulnerabilities and push again, or raise requireScan\'s thresholds.',
  },
  rollbackAfterRefusedUpdate: {
    fault: 'CloudFormation rolls that update back (the stack is UPDATE_ROLLBACK_IN_PROGRESS)',
    status: 'SUCCESS',
    reason: 'the digest deployed before, named in the physical id and described again without the scan requirement, so the rollback completes',
  },
  rollbackAfterFailureElsewhere: {
    fault: 'Another resource fails the update, and the tag moves before the rollback reaches the lookup',
    status: 'SUCCESS',
    reason: 'the digest deployed before, not the image the tag now names',
  },
  // Refresh.whenDigestChanges(): the template carries the image resolved at synth.
  movedImageFail: {
    fault: 'With Refresh.whenDigestChanges(), the tag moves between synth and deploy',
    status: 'FAILED',
    reason: 'The image moved between synth and deploy: <image> was <digest at synth> at synth (ExpectedImage <repository>:<tag>@<digest at synth>) and is <digest now> now. Synthesize again (cdk diff shows the new image) and deploy that template, or set Refresh.whenDigestChanges({ onMovedImage: MovedImage.FOLLOW }) to deploy the current image.',
  },
  movedImageFollow: {
    fault: 'The same, with onMovedImage: MovedImage.FOLLOW',
    status: 'SUCCESS',
    reason: 'the digest the tag points to at deploy time; the function\'s log says that the image moved and names both digests',
  },
  aliasFollowsDigest: {
    fault: 'The tag moves while an alias, provisioned concurrency or a CodeDeploy canary uses the function\'s currentVersion',
    status: 'SUCCESS',
    reason: 'the version\'s CodeSha256 is the new digest, so CloudFormation publishes a new version and the alias moves to it',
  },
  // requireSignature: the image must carry a signature by a trusted key or CA.
  unsignedImage: {
    fault: 'With requireSignature, no signature is attached to the image',
    status: 'FAILED',
    reason: `Image <digest> (<image>) failed requireSignature: no signature is attached to <digest>. ${SIGN_ADVICE}`,
  },
  untrustedCosignKey: {
    fault: 'With requireSignature, the image\'s one signature is by a cosign key that is not trusted',
    status: 'FAILED',
    reason: `Image <digest> (<image>) failed requireSignature: 1 signature was found, none valid: (1) cosign signature <signature's digest> of <digest> (<its .sig tag, or referrer>): the signature over payload <payload's digest> verifies with none of the <n> trusted cosign <key or keys>. ${SIGN_ADVICE}`,
  },
  untrustedNotationRoot: {
    fault: 'With requireSignature, the image\'s one Notation signature is by a certificate of a CA that is not trusted',
    status: 'FAILED',
    reason: `Image <digest> (<image>) failed requireSignature: 1 signature was found, none valid: (1) notation signature <signature's digest> of <digest> (referrer) by <signer's subject>: <JWS or COSE> envelope: its chain ends at <root's subject>, which is not and is not signed by any of the <n> trusted <root or roots>. ${SIGN_ADVICE}`,
  },
  tamperedSignature: {
    fault: 'With requireSignature, a cosign signature\'s payload was altered in the registry',
    status: 'FAILED',
    reason: `Image <digest> (<image>) failed requireSignature: 1 signature was found, none valid: (1) cosign signature <signature's digest> of <digest> (<its .sig tag, or referrer>): its payload could not be read: blob <payload's digest> downloaded as <n> bytes with digest <digest of those bytes>, not the <n> bytes its manifest names. ${SIGN_ADVICE}`,
  },
  otherDigestSignature: {
    fault: 'With requireSignature, a valid cosign signature of another image is attached to this one',
    status: 'FAILED',
    reason: `Image <digest> (<image>) failed requireSignature: 1 signature was found, none valid: (1) cosign signature <signature's digest> of <digest> (<its .sig tag, or referrer>) by cosign key <key's fingerprint>: its payload signs <other image's digest>, not <digest>. ${SIGN_ADVICE}`,
  },
  // holdImage: a tag that keeps the deployed image from lifecycle rules.
  lifecycleRiskFail: {
    fault: 'With holdImage and failOnLifecycleRisk, a lifecycle rule can still expire the held image',
    status: 'FAILED',
    reason: 'The lifecycle policy of repository "<repository>" (registry <account>, region <region>) could still remove held image <digest> (failOnLifecycleRisk): <each rule that can, and why>',
  },
  releaseFails: {
    fault: 'With holdImage, ECR refuses the release on every attempt until the Delete\'s deadline',
    status: 'SUCCESS',
    reason: 'nothing: the Delete answers SUCCESS so the stack can go on; the image keeps the hold tag, and the function\'s log names the aws ecr batch-delete-image command that removes it',
  },
  holdTagTaken: {
    fault: 'With holdImage on a repository with immutable tags, the hold tag already names another image',
    status: 'FAILED',
    reason: 'Tag <hold tag> already names image <other digest> in repository "<repository>" (registry <account>, region <region>), and the repository\'s tags are immutable, so the lookup cannot put it on image <digest>: remove that tag (batch-delete-image --image-ids imageTag=<hold tag>) and deploy again.',
  },
  // ECR's archive: an ARCHIVED image cannot be pulled until it is restored.
  archivedImage: {
    fault: 'The image is ARCHIVED, without restoreArchived',
    status: 'FAILED',
    reason: 'Image <digest> for <image> is ARCHIVED, not ACTIVE, so it cannot be pulled: restore it in ECR (aws ecr update-image-storage-class --registry-id <account> --region <region> --repository-name <repository> --image-id imageDigest=<digest> --target-storage-class STANDARD, or set restoreArchived to let the lookup ask), or <point the tag at, or select> an active image.',
  },
  archivedRestored: {
    fault: 'The same, with restoreArchived and waitFor',
    status: 'SUCCESS',
    reason: 'the digest, once the lookup asked ECR to restore the image and waited through ACTIVATING until it is ACTIVE',
  },
  archivedNoWait: {
    fault: 'The same, with restoreArchived and no waitFor',
    status: 'FAILED',
    reason: 'Image <digest> for <image> was ARCHIVED; the lookup asked ECR to restore it (restoreArchived), and it is not ACTIVE yet: deploy again once it is, or set waitFor to wait for the restore.',
  },
  deleteAfterFailedCreate: { fault: 'Delete of a lookup whose Create failed', status: 'SUCCESS', reason: 'nothing to remove; ECR is not called' },
  manyTags: {
    fault: 'The image has 1,000 tags of 128 characters',
    status: 'SUCCESS',
    reason: `${DIGEST}; ImageTags holds the looked-up tag first and as many others as fit 4,096 bytes, ImageTagCount says 1000`,
  },
} as const satisfies Record<string, FailureRow>;

/** A row's reason as a pattern: each `<placeholder>` matches any text. */
export function reasonPattern(row: FailureRow): RegExp {
  const parts = row.reason.split(/<[^>]+>/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.+?')}$`);
}

/** The rows as the README's markdown table. */
export function failureTable(): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const lines = [
    '| fault | CloudFormation shows | reason in the stack events (FAILED) or result (SUCCESS) |',
    '| --- | --- | --- |',
    // A FAILED reason is quoted as code, which also shows its <placeholders> literally.
    ...Object.values(FAILURE_BEHAVIOUR).map((row: FailureRow) =>
      `| ${cell(row.fault)} | ${row.status} | ${row.status === 'FAILED' ? `\`${cell(row.reason)}\`` : cell(row.reason)} |`),
  ];
  return lines.join('\n');
}
