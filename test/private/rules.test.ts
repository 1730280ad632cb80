import { RegionInfo } from 'aws-cdk-lib/region-info';
import { checkRegion } from '../../src/private/rules';

test.each(RegionInfo.regions.map((region) => region.name))('GIVEN region %s, which aws-cdk-lib knows, WHEN checked THEN it is accepted', (region) => {
  expect(checkRegion('repository region', region)).toBeUndefined();
});

test.each(['', 'eu-west', 'EU-WEST-1', 'europe-west-1x', 'e-west-1'])('GIVEN %j WHEN checked THEN it is rejected, naming the value', (region) => {
  expect(checkRegion('repository region', region)).toContain(`repository region ${JSON.stringify(region)} is not a valid AWS region`);
});
