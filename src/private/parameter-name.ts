/** SSM's rules for parameter names, which only `publish()` at synth needs. */

const PARAMETER_NAME_PATTERN = /^[A-Za-z0-9_.\-/]{1,1011}$/;

/** Checks an SSM parameter name against SSM's rules for names that CloudFormation creates. */
export function checkParameterName(input: string, name: string): string | undefined {
  const hierarchical = name.includes('/');
  if (!PARAMETER_NAME_PATTERN.test(name) || (hierarchical && !name.startsWith('/')) || /^\/?(aws|ssm)/i.test(name)) {
    return `${input} ${JSON.stringify(name)} is not a valid SSM parameter name: use letters, digits and '_', '.', '-', '/', start a path with '/' (such as '/services/api/image'), and do not start with 'aws' or 'ssm'.`;
  }
  return undefined;
}
