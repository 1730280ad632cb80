import { perRegion } from '../../lambda/regional';

test('GIVEN calls for two regions WHEN clients are asked for THEN each region gets one client, created on first use and reused', () => {
  const created: string[] = [];
  const clientIn = perRegion((region) => {
    created.push(region);
    return { region };
  });

  expect(created).toEqual([]);
  const first = clientIn('eu-west-1');
  const again = clientIn('eu-west-1');
  const other = clientIn('us-east-1');

  expect(again).toBe(first);
  expect(other).not.toBe(first);
  expect(other.region).toBe('us-east-1');
  expect(created).toEqual(['eu-west-1', 'us-east-1']);
});

test('GIVEN two caches WHEN asked for the same region THEN they share nothing', () => {
  const a = perRegion((region) => ({ region }));
  const b = perRegion((region) => ({ region }));

  expect(a('eu-west-1')).not.toBe(b('eu-west-1'));
});
