import { breaches, readScanGate } from '../../lambda/scan-gate';

describe('breaches', () => {
  test.each([
    [{ CRITICAL: 0 }, {}, []],
    [{ CRITICAL: 0 }, { CRITICAL: 1 }, ['1 CRITICAL (at most 0 allowed)']],
    [{ CRITICAL: 0, HIGH: 5 }, { HIGH: 5 }, []],
    [{ CRITICAL: 0, HIGH: 5 }, { HIGH: 6 }, ['6 HIGH (at most 5 allowed)']],
    [{ LOW: 10 }, { CRITICAL: 9, LOW: 11 }, ['11 LOW (at most 10 allowed)']],
    [{ CRITICAL: 0, MEDIUM: 0 }, { CRITICAL: 1, MEDIUM: 2 }, ['1 CRITICAL (at most 0 allowed)', '2 MEDIUM (at most 0 allowed)']],
  ])('GIVEN thresholds %j and counts %j WHEN judged THEN the breaches are %j', (max, counts, expected) => {
    expect(breaches({ max, waitForSeconds: 0 }, counts)).toEqual(expected);
  });
});

describe('readScanGate', () => {
  test('GIVEN thresholds as CloudFormation hands them over (strings) WHEN read THEN they are numbers', () => {
    expect(readScanGate({ MaxCritical: '0', MaxHigh: '5', WaitForSeconds: '120' })).toEqual({ max: { CRITICAL: 0, HIGH: 5 }, waitForSeconds: 120 });
  });

  test.each([
    ['a negative threshold', { MaxCritical: '-1' }, /ScanGate.MaxCritical is "-1", not a whole number of findings of 0 or more/],
    ['a fractional threshold', { MaxHigh: '1.5' }, /ScanGate.MaxHigh is "1.5", not a whole number/],
    ['a word', { MaxLow: 'none' }, /ScanGate.MaxLow is "none", not a whole number/],
    ['an empty threshold', { MaxMedium: '' }, /ScanGate.MaxMedium is "", not a whole number/],
    ['a wait past 14 minutes', { WaitForSeconds: '900' }, /ScanGate.WaitForSeconds is "900", not a whole number of seconds from 0 to 840/],
  ])('GIVEN %s WHEN read THEN it fails naming the property and the rule', (_name, gate, message) => {
    expect(() => readScanGate(gate)).toThrow(message);
  });

  test.each([['a string', 'strict'], ['a list', ['0']], ['null', null]])('GIVEN %s as ScanGate WHEN read THEN it fails', (_name, value) => {
    expect(() => readScanGate(value)).toThrow(/not an object of thresholds/);
  });
});
