import { spawn } from 'child_process';
import * as path from 'path';
import { handlerNode } from './handler-node';

/** The bundled handler exactly as the package ships it (built by `npx projen bundle`). */
export const SHIPPED_HANDLER = path.join(__dirname, '..', 'assets', 'lambda', 'index', 'index.js');

export interface Invocation {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** All the function printed, as CloudWatch Logs would hold it. */
  readonly logs: string;
  readonly moduleLoadMs: number;
  /** The version of the Node.js that ran the handler (`v24.x.y`). */
  readonly nodeVersion: string;
}

/**
 * Invokes the shipped handler in a fresh Node.js process with the given
 * environment, as a cold Lambda invocation would run it.
 */
export interface InvokeOptions {
  readonly env: Record<string, string>;
  readonly timeoutMs?: number;
  readonly artifact?: string;
  /** Called once the process has loaded the handler's module, before the handler runs. */
  readonly onModuleLoaded?: () => void;
}

export function invokeShippedHandler(event: object, options: InvokeOptions): Promise<Invocation> {
  const runner = path.join(__dirname, 'invoke-artifact.js');
  const args = [runner, options.artifact ?? SHIPPED_HANDLER, JSON.stringify(event), String(options.timeoutMs ?? 30_000)];
  return new Promise((resolve, reject) => {
    // The Node.js that Lambda's runtime gives the handler, not the one running jest.
    const child = spawn(handlerNode(), args, {
      // Only what Lambda would set: no credentials or config from this machine.
      env: { PATH: process.env.PATH ?? '', AWS_EC2_METADATA_DISABLED: 'true', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    let loaded = false;
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      if (!loaded && stderr.includes('@@module-load-ms')) {
        loaded = true;
        options.onModuleLoaded?.();
      }
    });
    child.on('error', reject);
    // A process that died before loading the module still frees its place.
    child.on('close', () => { if (!loaded) options.onModuleLoaded?.(); });
    child.on('close', (exitCode) => {
      const moduleLoadMs = Number(/@@module-load-ms ([0-9.]+)/.exec(stderr)?.[1] ?? NaN);
      const nodeVersion = /@@node-version (\S+)/.exec(stderr)?.[1] ?? '';
      resolve({ exitCode, stdout, stderr, logs: stdout + stderr, moduleLoadMs, nodeVersion });
    });
  });
}
