import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { acceptFindings, FUNCTION_FINDINGS, LOG_GROUP_FINDINGS, ROLE_FINDINGS } from '../../src/private/security-findings';

describe('acceptFindings', () => {
  test('GIVEN findings on a construct THEN its CloudFormation resource carries them as cdk-nag 2 metadata, ids and reasons as given', () => {
    const stack = new Stack(new App(), 'Stack');
    const logGroup = new logs.LogGroup(stack, 'Logs');

    acceptFindings(logGroup, LOG_GROUP_FINDINGS);

    const [resource] = Object.values<any>(Template.fromStack(stack).findResources('AWS::Logs::LogGroup'));
    expect(resource.Metadata).toEqual({ cdk_nag: { rules_to_suppress: LOG_GROUP_FINDINGS.map(({ id, reason }) => ({ id, reason })) } });
  });

  test('GIVEN findings on a construct THEN they are acknowledged for cdk-nag 3 on that construct only, not on its siblings', () => {
    const stack = new Stack(new App(), 'Stack');
    const accepted = new logs.LogGroup(stack, 'Accepted');
    const other = new logs.LogGroup(stack, 'Other');
    const acknowledge = jest.spyOn(Validations.prototype, 'acknowledge');

    acceptFindings(accepted, LOG_GROUP_FINDINGS);

    expect(acknowledge).toHaveBeenCalledTimes(LOG_GROUP_FINDINGS.length);
    for (const finding of LOG_GROUP_FINDINGS) {
      expect(acknowledge).toHaveBeenCalledWith(finding);
    }
    const resources = Template.fromStack(stack).findResources('AWS::Logs::LogGroup');
    expect(resources[stack.getLogicalId(accepted.node.defaultChild as CfnResource)].Metadata?.cdk_nag).toBeDefined();
    expect(resources[stack.getLogicalId(other.node.defaultChild as CfnResource)].Metadata?.cdk_nag).toBeUndefined();
    acknowledge.mockRestore();
  });

  test('GIVEN a construct with no CloudFormation resource of its own THEN only the acknowledgement is recorded, and nothing throws', () => {
    const stack = new Stack(new App(), 'Stack');
    const imported = logs.LogGroup.fromLogGroupName(stack, 'Imported', 'existing');

    expect(() => acceptFindings(imported, LOG_GROUP_FINDINGS)).not.toThrow();
    expect(imported.node.defaultChild).toBeUndefined();
  });
});

test.each([
  ['function', FUNCTION_FINDINGS],
  ['role', ROLE_FINDINGS],
  ['log group', LOG_GROUP_FINDINGS],
])('GIVEN the %s findings THEN each names a rule pack rule and says why it does not fit, in a sentence', (_kind, findings) => {
  expect(findings.length).toBeGreaterThan(0);
  for (const { id, reason } of findings) {
    expect(id).toMatch(/^(AwsSolutions|NIST\.800\.53\.R5|HIPAA\.Security|PCI\.DSS\.321)-[A-Za-z0-9]+$/);
    expect(reason.length).toBeGreaterThan(40);
    expect(reason).toMatch(/[.]$/);
  }
});
