import { EventProperties } from '../../local/events';
import { CreateLookup, deployLookups } from '../../local/template-deployment';
import { RESOURCE_TYPE } from '../../src/shared/contract';

const TOKEN = { 'Fn::GetAtt': ['Provider', 'Arn'] };

function lookup(properties: Record<string, unknown>, dependsOn?: string | string[]) {
  return { Type: RESOURCE_TYPE, Properties: { ServiceToken: TOKEN, RegistryId: '123456789012', Region: 'us-east-1', ...properties }, DependsOn: dependsOn };
}

/** Answers each lookup with a digest named after it, and records the order and the properties it was given. */
function recording(fail: string[] = []) {
  const calls: Array<{ logicalId: string; properties: EventProperties }> = [];
  const create: CreateLookup = async (logicalId, properties) => {
    calls.push({ logicalId, properties });
    return fail.includes(logicalId)
      ? { Status: 'FAILED', Reason: `${logicalId} failed` }
      : { Status: 'SUCCESS', Data: { Digest: `sha256:${logicalId}`, RepositoryName: String(properties.RepositoryName) } };
  };
  return { calls, create };
}

test('GIVEN a lookup whose tag is another lookup\'s attribute THEN it is created second, with the attribute resolved', async () => {
  const template = {
    Resources: {
      Second: lookup({ RepositoryName: 'api', Tag: { 'Fn::GetAtt': ['First', 'Digest'] } }),
      First: lookup({ RepositoryName: { Ref: 'Repo' }, Tag: 'main' }),
      Provider: { Type: 'AWS::Lambda::Function', Properties: {} },
    },
  };
  const { calls, create } = recording();

  const deployed = await deployLookups(template, { refs: { Repo: 'base' } }, create);

  expect(calls.map((c) => c.logicalId)).toEqual(['First', 'Second']);
  expect(calls[0].properties).toEqual({ RegistryId: '123456789012', Region: 'us-east-1', RepositoryName: 'base', Tag: 'main' });
  expect(calls[1].properties.Tag).toBe('sha256:First');
  expect(deployed.map((d) => [d.logicalId, d.status])).toEqual([['First', 'SUCCESS'], ['Second', 'SUCCESS']]);
});

test('GIVEN DependsOn in its string and its list form THEN the lookup waits for each', async () => {
  const template = {
    Resources: {
      C: lookup({ RepositoryName: 'c', Tag: 'main' }, ['A', 'B']),
      B: lookup({ RepositoryName: 'b', Tag: 'main' }, 'A'),
      A: lookup({ RepositoryName: 'a', Tag: 'main' }),
    },
  };
  const { calls, create } = recording();

  await deployLookups(template, {}, create);

  expect(calls.map((c) => c.logicalId)).toEqual(['A', 'B', 'C']);
});

test('GIVEN a lookup that fails THEN the lookups after it are not created, as CloudFormation stops the stack', async () => {
  const template = {
    Resources: {
      A: lookup({ RepositoryName: 'a', Tag: 'main' }),
      B: lookup({ RepositoryName: 'b', Tag: { 'Fn::GetAtt': ['A', 'Digest'] } }),
    },
  };
  const { calls, create } = recording(['A']);

  const deployed = await deployLookups(template, {}, create);

  expect(calls.map((c) => c.logicalId)).toEqual(['A']);
  expect(deployed).toEqual([expect.objectContaining({ logicalId: 'A', status: 'FAILED', reason: 'A failed', data: {} })]);
});

test('GIVEN lookups that refer to each other THEN the error names the cycle and none is created', async () => {
  const template = {
    Resources: {
      A: lookup({ RepositoryName: 'a', Tag: { 'Fn::GetAtt': ['B', 'Digest'] } }),
      B: lookup({ RepositoryName: 'b', Tag: { 'Fn::GetAtt': ['A', 'Digest'] } }),
    },
  };
  const { calls, create } = recording();

  await expect(deployLookups(template, {}, create)).rejects.toThrow('The lookups A, B depend on each other in a cycle');
  expect(calls).toHaveLength(0);
});

test('GIVEN a property the environment cannot resolve THEN the error names the reference', async () => {
  const template = { Resources: { A: lookup({ RepositoryName: { Ref: 'Unknown' }, Tag: 'main' }) } };

  await expect(deployLookups(template, {}, recording().create)).rejects.toThrow('Ref Unknown');
});
