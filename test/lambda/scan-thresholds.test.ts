import { exceededThresholds } from '../../lambda/scan-thresholds';

describe('exceededThresholds', () => {
  test.each([
    [{ CRITICAL: 0 }, {}, []],
    [{ CRITICAL: 0 }, { CRITICAL: 1 }, ['1 CRITICAL (at most 0 allowed)']],
    [{ CRITICAL: 0, HIGH: 5 }, { HIGH: 5 }, []],
    [{ CRITICAL: 0, HIGH: 5 }, { HIGH: 6 }, ['6 HIGH (at most 5 allowed)']],
    [{ LOW: 10 }, { CRITICAL: 9, LOW: 11 }, ['11 LOW (at most 10 allowed)']],
    [{ CRITICAL: 0, MEDIUM: 0 }, { CRITICAL: 1, MEDIUM: 2 }, ['1 CRITICAL (at most 0 allowed)', '2 MEDIUM (at most 0 allowed)']],
  ])('GIVEN thresholds %j and counts %j WHEN judged THEN the exceeded thresholds are %j', (max, counts, expected) => {
    expect(exceededThresholds({ max, waitForSeconds: 0 }, counts)).toEqual(expected);
  });
});
