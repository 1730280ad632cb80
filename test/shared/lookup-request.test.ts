import { LookupProperties } from '../../src/shared/contract';
import { fromProperties, LookupRequest, toProperties, WrittenProperties } from '../../src/shared/lookup-request';

const read = (properties: Record<string, unknown> | undefined) => fromProperties(properties, (message) => new Error(message));
const VALID = { RepositoryName: 'api', RegistryId: '123456789012', Region: 'us-east-1', Tag: 'main' };
const REQUEST: LookupRequest = { registryId: '123456789012', region: 'us-east-1', repositoryName: 'api', selector: { kind: 'tag', tag: 'main' }, waitForSeconds: 0 };

describe('toProperties', () => {
  test('GIVEN a plain request WHEN written THEN only the keys it sets carry values', () => {
    const written = toProperties(REQUEST, { serviceToken: 'arn:fn' });

    expect(JSON.parse(JSON.stringify(written))).toEqual({ ServiceToken: 'arn:fn', RepositoryName: 'api', RegistryId: '123456789012', Region: 'us-east-1', Tag: 'main' });
  });

  test('GIVEN waits and thresholds WHEN written with a number writer THEN every number goes through it', () => {
    const request: LookupRequest = { ...REQUEST, waitForSeconds: 30, scanRequirement: { max: { CRITICAL: 0, LOW: 9 }, waitForSeconds: 60 } };

    const written = toProperties(request, { serviceToken: 'arn:fn', writeNumber: (value) => `n${value}` });

    expect(written.WaitForSeconds).toBe('n30');
    expect(JSON.parse(JSON.stringify(written.ScanGate))).toEqual({ MaxCritical: 'n0', MaxLow: 'n9', WaitForSeconds: 'n60' });
  });

  test('GIVEN a scan requirement writer WHEN written THEN what it returns is written', () => {
    const written = toProperties({ ...REQUEST, scanRequirement: { max: { CRITICAL: 0 }, waitForSeconds: 0 } }, { serviceToken: 'arn:fn', writeScanRequirement: () => undefined });

    expect(written.ScanGate).toBeUndefined();
  });

  test('the written properties name every key of the contract, and no other', () => {
    // Compile-time checks, run by the type-check of this file: the writer
    // builds a WrittenProperties literal, so each line below would fail it.
    const complete: WrittenProperties = {
      ServiceToken: 't',
      RepositoryName: 'r',
      RegistryId: 'i',
      Region: 'g',
      Tag: undefined,
      Digest: undefined,
      NewestTagPattern: undefined,
      Platform: undefined,
      WaitForSeconds: undefined,
      ScanGate: undefined,
      SignatureRequirement: undefined,
      RefreshToken: undefined,
      HoldImage: undefined,
      FailOnLifecycleRisk: undefined,
      RestoreArchived: undefined,
      ExpectedImage: undefined,
      OnMovedImage: undefined,
    };
    const { RefreshToken: _refreshToken, ...withoutRefreshToken } = complete;
    // @ts-expect-error a forgotten key (here: RefreshToken) fails to compile
    const forgotten: WrittenProperties = withoutRefreshToken;
    const misspelled: LookupProperties = {
      ServiceToken: 't',
      RepositoryName: 'r',
      RegistryId: 'i',
      Region: 'g',
      // @ts-expect-error a misspelled key fails to compile
      Tagg: 'main',
    };
    expect([complete, forgotten, misspelled]).toHaveLength(3);
  });
});

describe('fromProperties: the scan requirement', () => {
  test('GIVEN thresholds and a wait as CloudFormation passes them WHEN read THEN they are numbers', () => {
    expect(read({ ...VALID, ScanGate: { MaxCritical: '0', MaxHigh: '5', WaitForSeconds: '120' } }).scanRequirement).toEqual({ max: { CRITICAL: 0, HIGH: 5 }, waitForSeconds: 120 });
  });

  test.each([
    ['a negative threshold', { MaxCritical: '-1' }, /ScanGate.MaxCritical is "-1", not a whole number of findings of 0 or more/],
    ['a fractional threshold', { MaxHigh: '1.5' }, /ScanGate.MaxHigh is "1.5", not a whole number/],
    ['a word', { MaxLow: 'none' }, /ScanGate.MaxLow is "none", not a whole number/],
    ['an empty threshold', { MaxMedium: '' }, /ScanGate.MaxMedium is "", not a whole number/],
    ['a wait past 14 minutes', { WaitForSeconds: '900' }, /ScanGate.WaitForSeconds is "900", not a whole number of seconds from 0 to 840/],
    // Deliberate: an empty wait was read as 0 here while WaitForSeconds rejected it; both reject it now.
    ['an empty wait', { WaitForSeconds: '' }, /ScanGate.WaitForSeconds is "", not a whole number of seconds from 0 to 840: .* which checks requireScan.waitForScan at synth/],
    ['a negative wait', { WaitForSeconds: '-1' }, /ScanGate.WaitForSeconds is "-1", not a whole number of seconds/],
  ])('GIVEN %s WHEN read THEN it fails naming the key and the rule', (_name, gate, message) => {
    expect(() => read({ ...VALID, ScanGate: gate })).toThrow(message);
  });

  test.each([['a string', 'strict'], ['a list', ['0']], ['null', null]])('GIVEN %s as ScanGate WHEN read THEN it fails', (_name, value) => {
    expect(() => read({ ...VALID, ScanGate: value })).toThrow(/not an object of thresholds/);
  });
});

describe('fromProperties: waits', () => {
  test.each([
    ['WaitForSeconds', (wait: string) => ({ WaitForSeconds: wait })],
    ['ScanGate.WaitForSeconds', (wait: string) => ({ ScanGate: { WaitForSeconds: wait } })],
  ])('GIVEN %s THEN both waits follow one rule: whole seconds from 0 to 840, no empty string', (_key, at) => {
    for (const good of ['0', '1', '840']) {
      expect(() => read({ ...VALID, ...at(good) })).not.toThrow();
    }
    for (const bad of ['', ' ', '-1', '841', '1.5', 'ten']) {
      expect(() => read({ ...VALID, ...at(bad) })).toThrow(`is ${JSON.stringify(bad)}, not a whole number of seconds from 0 to 840`);
    }
  });

  test('GIVEN no properties at all WHEN read THEN the first missing one is named', () => {
    expect(() => read(undefined)).toThrow(/^The lookup's property RepositoryName is missing/);
  });

  test('GIVEN an error factory WHEN a property is bad THEN the error it makes is thrown', () => {
    class Custom extends Error {}

    expect(() => fromProperties({ ...VALID, Tag: 'a b' }, (message) => new Custom(message))).toThrow(Custom);
  });
});
