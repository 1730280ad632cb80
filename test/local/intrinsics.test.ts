import { Environment, evaluate, pseudoParameters, Reference, referencedIds } from '../../local/intrinsics';

const ENV: Environment = {
  refs: { ...pseudoParameters('123456789012', 'eu-west-1'), Repo: 'api' },
  attributes: { Lookup: { Digest: 'sha256:abc', DigestHex: 'abc' } },
  imports: { 'shared:RepositoryName': 'shared-api' },
};

describe('evaluate', () => {
  test('GIVEN the pseudo parameters WHEN referenced THEN each has the value of the account and region', () => {
    expect(evaluate({ Ref: 'AWS::AccountId' }, ENV)).toBe('123456789012');
    expect(evaluate({ Ref: 'AWS::Region' }, ENV)).toBe('eu-west-1');
    expect(evaluate({ Ref: 'AWS::Partition' }, ENV)).toBe('aws');
    expect(evaluate({ Ref: 'AWS::URLSuffix' }, ENV)).toBe('amazonaws.com');
  });

  test('GIVEN Fn::GetAtt in its array and its dotted form THEN both read the same attribute', () => {
    expect(evaluate({ 'Fn::GetAtt': ['Lookup', 'Digest'] }, ENV)).toBe('sha256:abc');
    expect(evaluate({ 'Fn::GetAtt': 'Lookup.Digest' }, ENV)).toBe('sha256:abc');
  });

  test('GIVEN an image URI as the construct writes it THEN Fn::Join resolves every part', () => {
    const uri = {
      'Fn::Join': ['', [
        { Ref: 'AWS::AccountId' }, '.dkr.ecr.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/', { Ref: 'Repo' },
        '@sha256:', { 'Fn::GetAtt': ['Lookup', 'DigestHex'] },
      ]],
    };
    expect(evaluate(uri, ENV)).toBe('123456789012.dkr.ecr.eu-west-1.amazonaws.com/api@sha256:abc');
  });

  test('GIVEN an ARN split and a part selected THEN Fn::Select of Fn::Split picks it, the index itself evaluated', () => {
    const arn = 'arn:aws:ecr:eu-west-1:123456789012:repository/api';
    expect(evaluate({ 'Fn::Select': [3, { 'Fn::Split': [':', arn] }] }, ENV)).toBe('eu-west-1');
    expect(evaluate({ 'Fn::Select': ['4', { 'Fn::Split': [':', arn] }] }, ENV)).toBe('123456789012');
  });

  test('GIVEN Fn::ImportValue with a computed name THEN the export of that name', () => {
    expect(evaluate({ 'Fn::ImportValue': { 'Fn::Join': [':', ['shared', 'RepositoryName']] } }, ENV)).toBe('shared-api');
  });

  test('GIVEN intrinsics nested in objects and arrays THEN each is resolved and the rest kept as it is', () => {
    const properties = { RepositoryName: { Ref: 'Repo' }, Tags: [{ Ref: 'AWS::Region' }, 'literal', 3, null], Nested: { Keep: true } };
    expect(evaluate(properties, ENV)).toEqual({ RepositoryName: 'api', Tags: ['eu-west-1', 'literal', 3, null], Nested: { Keep: true } });
  });

  test('GIVEN an object with several keys THEN it is data, not an intrinsic, even when one key is Ref', () => {
    expect(evaluate({ Ref: 'Repo', Other: 'x' }, ENV)).toEqual({ Ref: 'Repo', Other: 'x' });
  });

  test.each([
    [{ Ref: 'Missing' }, 'Ref Missing'],
    [{ 'Fn::GetAtt': ['Lookup', 'Missing'] }, 'Fn::GetAtt Lookup.Missing'],
    [{ 'Fn::GetAtt': ['Other', 'Arn'] }, 'Fn::GetAtt Other.Arn'],
    [{ 'Fn::ImportValue': 'nobody:exports' }, 'Fn::ImportValue nobody:exports'],
  ])('GIVEN %j that the environment cannot answer THEN the error names the reference', (value, named) => {
    expect(() => evaluate(value, ENV)).toThrow(`The template refers to ${named}, which the environment does not provide`);
  });

  test('GIVEN Fn::Sub as the synthesizer writes an image asset\'s repository THEN each ${} is the pseudo parameter\'s value', () => {
    expect(evaluate({ 'Fn::Sub': 'cdk-hnb659fds-container-assets-${AWS::AccountId}-${AWS::Region}' }, ENV))
      .toBe('cdk-hnb659fds-container-assets-123456789012-eu-west-1');
  });

  test('GIVEN Fn::Sub with variables, a GetAtt and an escaped ${!} THEN the variables win, the GetAtt is read and the escape kept literal', () => {
    const value = { 'Fn::Sub': ['${Name}@${Lookup.Digest} ${Repo} ${!Literal}', { Name: { Ref: 'Repo' }, Repo: 'own' }] };
    expect(evaluate(value, ENV)).toBe('api@sha256:abc own ${Literal}');
  });

  test.each(['Fn::If', 'Fn::FindInMap', 'Fn::Base64'])('GIVEN %s THEN the evaluator refuses it rather than pass it through', (fn) => {
    expect(() => evaluate({ [fn]: ['x'] }, ENV)).toThrow(`${fn} is not supported by the template evaluator`);
  });

  describe('GIVEN a fallback for references the tables do not hold', () => {
    const asked: Reference[] = [];
    const env: Environment = { ...ENV, otherwise: (reference) => { asked.push(reference); return reference.intrinsic === 'Ref' ? 'generated-name' : undefined; } };

    test('THEN the tables still win, and the fallback answers the rest', () => {
      expect(evaluate({ Ref: 'Repo' }, env)).toBe('api');
      expect(evaluate({ Ref: 'Role' }, env)).toBe('generated-name');
      expect(asked).toEqual([{ intrinsic: 'Ref', logicalId: 'Role' }]);
    });

    test('THEN a reference the fallback declines is still an error', () => {
      expect(() => evaluate({ 'Fn::GetAtt': ['Role', 'Arn'] }, env)).toThrow('Fn::GetAtt Role.Arn');
      expect(asked).toContainEqual({ intrinsic: 'Fn::GetAtt', logicalId: 'Role', attribute: 'Arn' });
    });
  });
});

describe('referencedIds', () => {
  test('GIVEN Ref and both forms of Fn::GetAtt, however deep THEN each logical id once', () => {
    const value = {
      A: { Ref: 'Repo' },
      B: [{ 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Lookup', 'Digest'] }, { 'Fn::GetAtt': 'Other.Arn' }]] }],
      C: { Ref: 'Repo' },
    };
    expect([...referencedIds(value)].sort()).toEqual(['Lookup', 'Other', 'Repo']);
  });

  test('GIVEN Fn::Sub THEN the names it refers to, not its own variables nor escapes, and references inside its variables', () => {
    const value = { 'Fn::Sub': ['${Lookup.Digest} ${Repo} ${Own} ${!Escaped}', { Own: { Ref: 'Other' } }] };
    expect([...referencedIds(value)].sort()).toEqual(['Lookup', 'Other', 'Repo']);
  });

  test('GIVEN only literals and imports THEN no logical id', () => {
    expect(referencedIds({ A: 'x', B: [1, null], C: { 'Fn::ImportValue': 'name' } }).size).toBe(0);
  });
});
