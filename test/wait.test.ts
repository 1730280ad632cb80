import { App, CfnParameter, Duration, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { ImageDigestLookup } from '../src';

function newStack(): { stack: Stack; repository: ecr.IRepository } {
  const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
  return { stack, repository: ecr.Repository.fromRepositoryName(stack, 'Repo', 'api') };
}

function functionTimeout(stack: Stack): number {
  return (Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'))[0] as any).Properties.Timeout;
}

test('GIVEN waitFor WHEN synthesized THEN the lookup carries it in seconds', () => {
  const { stack, repository } = newStack();

  new ImageDigestLookup(stack, 'Api', { repository, waitFor: Duration.minutes(5) });

  Template.fromStack(stack).hasResourceProperties('Custom::ImageDigestLookup', { WaitForSeconds: '300' });
});

test('GIVEN lookups waiting 5 and 10 minutes WHEN synthesized THEN the one function\'s timeout covers the longest wait plus a minute', () => {
  const { stack, repository } = newStack();

  new ImageDigestLookup(stack, 'A', { repository, waitFor: Duration.minutes(10) });
  new ImageDigestLookup(stack, 'B', { repository, waitFor: Duration.minutes(5) });

  expect(functionTimeout(stack)).toBe(660);
});

test('GIVEN a short wait WHEN synthesized THEN the timeout stays at its 2-minute floor', () => {
  const { stack, repository } = newStack();

  new ImageDigestLookup(stack, 'A', { repository, waitFor: Duration.seconds(30) });

  expect(functionTimeout(stack)).toBe(120);
});

test('GIVEN the longest wait allowed WHEN synthesized THEN the timeout is Lambda\'s 15-minute maximum', () => {
  const { stack, repository } = newStack();

  new ImageDigestLookup(stack, 'A', { repository, waitFor: Duration.minutes(14) });

  expect(functionTimeout(stack)).toBe(900);
});

test('GIVEN no waitFor WHEN synthesized THEN there is no WaitForSeconds and the timeout is 2 minutes', () => {
  const { stack, repository } = newStack();

  new ImageDigestLookup(stack, 'A', { repository });

  Template.fromStack(stack).hasResourceProperties('Custom::ImageDigestLookup', { WaitForSeconds: Match.absent() });
  expect(functionTimeout(stack)).toBe(120);
});

test.each([
  [Duration.minutes(15), /waitFor 15 minutes is longer than the 14 minutes a lookup can wait: Lambda stops the lookup function after 15 minutes/],
  [Duration.hours(1), /waitFor 1 hour is longer than the 14 minutes a lookup can wait/],
  [Duration.millis(500), /waitFor 500 millis is not a whole number of seconds of at least 1/],
  [Duration.millis(1500), /waitFor 1 second 500 millis is not a whole number of seconds of at least 1/],
  [Duration.seconds(0), /waitFor 0 seconds is not a whole number of seconds of at least 1/],
])('GIVEN waitFor %s WHEN constructed THEN it throws naming the value and the limit', (waitFor, message) => {
  const { stack, repository } = newStack();

  expect(() => new ImageDigestLookup(stack, 'A', { repository, waitFor })).toThrow(message);
});

describe('waits that are tokens', () => {
  function parameterNumber(stack: Stack, name: string): number {
    return Token.asNumber(new CfnParameter(stack, name, { type: 'Number' }).value);
  }

  test('GIVEN waitFor from a stack parameter WHEN synthesized THEN the lookup carries a reference and the function may wait the longest a lookup can', () => {
    const { stack, repository } = newStack();

    new ImageDigestLookup(stack, 'Api', { repository, waitFor: Duration.seconds(parameterNumber(stack, 'WaitSeconds')) });

    Template.fromStack(stack).hasResourceProperties('Custom::ImageDigestLookup', { WaitForSeconds: { Ref: 'WaitSeconds' } });
    expect(functionTimeout(stack)).toBe(900);
  });

  test('GIVEN requireScan.waitForScan and thresholds from stack parameters WHEN synthesized THEN the scan gate carries references', () => {
    const { stack, repository } = newStack();

    new ImageDigestLookup(stack, 'Api', {
      repository,
      requireScan: { maxHigh: parameterNumber(stack, 'MaxHigh'), waitForScan: Duration.seconds(parameterNumber(stack, 'ScanWait')) },
    });

    Template.fromStack(stack).hasResourceProperties('Custom::ImageDigestLookup', {
      ScanGate: { MaxCritical: '0', MaxHigh: { Ref: 'MaxHigh' }, WaitForSeconds: { Ref: 'ScanWait' } },
    });
  });

  test('GIVEN waitFor as minutes of a token WHEN constructed THEN it throws saying to write seconds', () => {
    const { stack, repository } = newStack();

    expect(() => new ImageDigestLookup(stack, 'Api', { repository, waitFor: Duration.minutes(parameterNumber(stack, 'WaitMinutes')) }))
      .toThrow(/waitFor .* comes from a token in a unit other than seconds, which cannot be converted at synth: write it as Duration.seconds/);
  });
});
