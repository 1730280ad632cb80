import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The values aws-cdk-lib's context providers hand out before the CLI has
 * performed a lookup: `StringParameter.valueFromLookup` gives
 * `dummy-value-for-<parameter name>`, `Repository.fromLookup` a repository
 * named `DUMMY_ARN`. The CLI needs the first synth to finish so that it can
 * perform the lookups and synthesize again with the real values.
 */
const PLACEHOLDER_PATTERNS = [/^dummy-value-for-/, /(?:^|\/)DUMMY_ARN$/];

/**
 * Whether `value` is a context provider's placeholder in an app that is still
 * waiting for context. Such a value is not checked: the next synth, with the
 * real value, checks it as usual.
 */
export function isContextPlaceholder(scope: IConstruct, value: string): boolean {
  return PLACEHOLDER_PATTERNS.some((pattern) => pattern.test(value)) && contextIsMissing(scope);
}

/**
 * Whether some stack of the app reported missing context in this synth. When
 * aws-cdk-lib stops keeping the report where it does today, the placeholder's
 * exact shape alone decides.
 */
function contextIsMissing(scope: IConstruct): boolean {
  const reports = scope.node.root.node.findAll()
    .filter((construct): construct is Stack => Stack.isStack(construct))
    .map((stack) => (stack as unknown as { _missingContext?: unknown[] })._missingContext);
  return reports.every((report) => report === undefined) || reports.some((report) => (report?.length ?? 0) > 0);
}
