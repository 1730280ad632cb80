/**
 * # The local deployment kit
 *
 * A local stand-in for what a CloudFormation deployment gives the lookup
 * handler, so that the shipped artifact can run end to end on one machine
 * with no AWS account and no Docker:
 *
 * - ECR: moto in server mode (`moto-server`), filled with repositories,
 *   manifests, image indexes and scan findings (`local-ecr`, `multi-arch`,
 *   `scan-findings`);
 * - the pre-signed ResponseURL: a real HTTP endpoint that records every
 *   answer (`response-endpoint`), and a CloudFormation endpoint that reports
 *   any stack status, rollbacks included (`stack-status-endpoint`);
 * - the requests: CloudFormation's Create, Update and Delete events, with
 *   properties typed by the contract (`events`);
 * - the function: the bundled handler run in a fresh Node.js process, on
 *   Lambda's Node.js when it is installed (`shipped-handler`, `handler-node`);
 * - the stack: a template deployer that creates a synthesized template's
 *   lookups in dependency order (`template-deployment`), resolving
 *   intrinsics with the one evaluator (`intrinsics`).
 *
 * The tests, the README's demo (examples/demo.ts) and the benchmark (bench/)
 * all use it. It is development tooling: the npm package does not ship it,
 * and it holds no test framework code (jest hooks stay under test/).
 */
export * from './events';
export * from './handler-node';
export * from './intrinsics';
export * from './local-ecr';
export * from './moto-server';
export * from './multi-arch';
export * from './response-endpoint';
export * from './scan-findings';
export * from './shipped-handler';
export * from './stack-status-endpoint';
export * from './template-deployment';
