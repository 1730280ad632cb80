import { ChildProcess, spawn } from 'child_process';
import * as net from 'net';

/** A moto server in server mode on a free loopback port. */
export interface MotoServer {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** Asks the kernel for a free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `moto_server` (moto 5 with its server extra) on loopback and waits
 * until it answers. The command can be overridden with MOTO_SERVER_COMMAND.
 */
export async function startMotoServer(): Promise<MotoServer> {
  const port = await freePort();
  const command = process.env.MOTO_SERVER_COMMAND ?? 'moto_server';
  const child: ChildProcess = spawn(command, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, MOTO_ALLOW_NONEXISTENT_REGION: 'true' },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => { stderr = (stderr + chunk).slice(-4000); });
  // Without a listener, a command that cannot be spawned (ENOENT) would end
  // the whole process with an unhandled 'error' event instead of this error.
  let spawnError: Error | undefined;
  child.on('error', (error) => { spawnError = error; });
  const endpoint = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (spawnError !== undefined) {
      throw new Error(`Cannot start ${JSON.stringify(command)} (${spawnError.message}): install moto with its server extra (\`npx projen ensure-python-tools\` does), or set MOTO_SERVER_COMMAND to the moto_server binary.`);
    }
    if (child.exitCode !== null) {
      throw new Error(`moto_server exited with code ${child.exitCode} before answering: ${stderr}`);
    }
    try {
      const response = await fetch(`${endpoint}/moto-api/data.json`);
      if (response.ok) {
        break;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() - started > 30_000) {
      child.kill('SIGKILL');
      throw new Error(`moto_server did not answer on ${endpoint} within 30 s: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    endpoint,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) {
        resolve();
        return;
      }
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}
