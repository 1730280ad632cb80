import { adviceFor, principalAccount } from '../../lambda/access-denied';

const ROLE = 'arn:aws:sts::111111111111:assumed-role/app-LookupRole1A2B/app-Handler';
const RESOURCE = 'arn:aws:ecr:eu-west-1:111111111111:repository/api';
const same = { action: 'ecr:DescribeImages', registryId: '111111111111' };
const other = { action: 'ecr:DescribeImages', registryId: '999999999999' };

/** ECR's message in AWS's documented shape: principal, action, resource, then the policy type. */
function denial(reason: string, principal = ROLE): string {
  return `User: ${principal} is not authorized to perform: ecr:DescribeImages on resource: ${RESOURCE} ${reason}`;
}

test.each([
  ['because no identity-based policy allows the ecr:DescribeImages action', same, /lookup role's policy did not allow ecr:DescribeImages even after waiting for IAM/],
  ['with an explicit deny in an identity-based policy', same, /A policy attached to the lookup role denies ecr:DescribeImages explicitly/],
  ['with an explicit deny in a service control policy', same, /A service control policy of your AWS Organization blocks ecr:DescribeImages/],
  ['because no service control policy allows the ecr:DescribeImages action', same, /A service control policy of your AWS Organization blocks/],
  ['due to an explicit deny in a Service Control Policy', same, /A service control policy of your AWS Organization blocks/],
  ['with an explicit deny in a resource control policy', other, /A resource control policy of the AWS Organization that owns account 999999999999/],
  ['because no permissions boundary allows the ecr:DescribeImages action', same, /permissions boundary does not allow ecr:DescribeImages/],
  ['with an explicit deny in a permissions boundary', same, /permissions boundary does not allow/],
  ['because no session policy allows the ecr:DescribeImages action', same, /A session policy limits the lookup role's credentials/],
  ['with an explicit deny in a VPC endpoint policy', same, /ECR VPC endpoint/],
  ['with an explicit deny in a resource-based policy', same, /The repository policy denies ecr:DescribeImages to the lookup role explicitly/],
  ['because no resource-based policy allows the ecr:DescribeImages action', other, /belongs to account 999999999999, so its repository policy must allow ecr:DescribeImages/],
])('GIVEN a denial "... %s" WHEN advised THEN the advice names that kind of policy', (reason, context, advice) => {
  expect(adviceFor(denial(reason), context)).toMatch(advice);
});

test('GIVEN a same-account repository and no resource-based allow WHEN advised THEN the advice does not speak of another account', () => {
  const advice = adviceFor(denial('because no resource-based policy allows the ecr:DescribeImages action'), same);

  expect(advice).not.toMatch(/another account|belongs to account/);
  expect(advice).toMatch(/repository policy does not allow/);
});

test('GIVEN a message that names no policy type WHEN the role is in another account THEN the advice speaks of the repository policy and both accounts', () => {
  const advice = adviceFor('User: arn:aws:sts::222222222222:assumed-role/r/s is not authorized to perform: ecr:DescribeImages', other);

  expect(advice).toMatch(/account 999999999999 and the lookup role to account 222222222222/);
});

test('GIVEN a message that names no policy type nor principal WHEN advised THEN every place a denial can come from is listed', () => {
  expect(adviceFor('not authorized', same)).toMatch(/policies and permissions boundary, the repository policy and your organization's service control policies/);
});

test.each([
  [ROLE, '111111111111'],
  ['arn:aws-us-gov:iam::123456789012:user/ci', '123456789012'],
  ['arn:aws-cn:sts::210987654321:assumed-role/x/y', '210987654321'],
])('GIVEN principal %s WHEN read THEN its account is %s', (principal, account) => {
  expect(principalAccount(denial('because no identity-based policy allows the x action', principal))).toBe(account);
});
