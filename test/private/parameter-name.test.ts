import { checkParameterName } from '../../src/private/parameter-name';

test.each(['/services/api/image', 'api-image', 'a.b_c-d', `/${'x'.repeat(1010)}`])('GIVEN %s THEN it is a valid SSM parameter name', (name) => {
  expect(checkParameterName('parameterName', name)).toBeUndefined();
});

test.each(['', 'has space', 'services/api', '/aws/api', 'ssm-image', 'AWS', `/${'x'.repeat(1011)}`])('GIVEN %j THEN the problem names the input and the rule', (name) => {
  expect(checkParameterName('parameterName', name)).toBe(
    `parameterName ${JSON.stringify(name)} is not a valid SSM parameter name: use letters, digits and '_', '.', '-', '/', start a path with '/' (such as '/services/api/image'), and do not start with 'aws' or 'ssm'.`);
});
