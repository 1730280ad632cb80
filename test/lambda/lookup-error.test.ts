import { ReportableError } from '../../lambda/cfn-response';
import { LookupError } from '../../lambda/lookup-error';

test('GIVEN a LookupError WHEN the protocol sees it THEN it is a ReportableError, named as itself', () => {
  const error = new LookupError('Tag "main" was not found.');

  expect(error).toBeInstanceOf(ReportableError);
  expect(error).toBeInstanceOf(Error);
  expect(error.name).toBe('LookupError');
  expect(error.message).toBe('Tag "main" was not found.');
});

test.each([
  [undefined, false],
  [true, true],
])('GIVEN waitable %s WHEN a LookupError is made THEN waitable is %s', (waitable, expected) => {
  expect(new LookupError('x', waitable).waitable).toBe(expected);
});
