import { ScanSeverity } from '../../src';
import { SEVERITY_ATTRIBUTES } from '../../src/shared/contract';
import { ALL_SEVERITIES, BOUNDED_SEVERITIES, SEVERITIES, thresholdOf } from '../../src/shared/severities';

test('GIVEN the public ScanSeverity enum THEN it lists exactly the table\'s severities, in its order', () => {
  expect(Object.values(ScanSeverity)).toEqual(ALL_SEVERITIES);
});

test('GIVEN the table THEN the bounded severities are the most severe four, most severe first', () => {
  expect(BOUNDED_SEVERITIES).toEqual(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW']);
});

test.each(BOUNDED_SEVERITIES)('GIVEN bounded severity %s THEN its wire key and option follow one naming', (severity) => {
  const { wireKey, option } = thresholdOf(severity);
  const word = severity[0] + severity.slice(1).toLowerCase();

  expect([wireKey, option]).toEqual([`Max${word}`, `max${word}`]);
});

test('GIVEN the table THEN only CRITICAL is bounded when requireScan sets no threshold', () => {
  expect(BOUNDED_SEVERITIES.map((severity) => [severity, thresholdOf(severity).defaultMax])).toEqual([['CRITICAL', 0], ['HIGH', undefined], ['MEDIUM', undefined], ['LOW', undefined]]);
});

test('GIVEN the attributes derived from the table THEN each severity has its own, as findingCount() reads them', () => {
  expect(SEVERITY_ATTRIBUTES).toEqual({
    CRITICAL: 'FindingsCritical', HIGH: 'FindingsHigh', MEDIUM: 'FindingsMedium', LOW: 'FindingsLow', INFORMATIONAL: 'FindingsInformational', UNDEFINED: 'FindingsUndefined',
  });
  expect(Object.keys(SEVERITIES)).toEqual(Object.keys(SEVERITY_ATTRIBUTES));
});
