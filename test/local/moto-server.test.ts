import * as net from 'net';
import { freePort, startMotoServer } from '../../local/moto-server';

const saved = process.env.MOTO_SERVER_COMMAND;
afterEach(() => {
  if (saved === undefined) delete process.env.MOTO_SERVER_COMMAND;
  else process.env.MOTO_SERVER_COMMAND = saved;
});

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

test('GIVEN freePort THEN the port is free to listen on', async () => {
  const port = await freePort();
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(port, '127.0.0.1', resolve); });
  await new Promise((resolve) => server.close(resolve));
});

test('GIVEN moto_server WHEN a server starts THEN it answers on its own loopback port, and stop() ends it', async () => {
  const server = await startMotoServer();
  const port = Number(new URL(server.endpoint).port);

  expect(server.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(server.endpoint).not.toBe(process.env.MOTO_ENDPOINT);
  expect((await fetch(`${server.endpoint}/moto-api/data.json`)).ok).toBe(true);

  await server.stop();
  expect(await accepts(port)).toBe(false);
  await server.stop();
});

test('GIVEN MOTO_SERVER_COMMAND names no file THEN start fails naming the command and what to install, without ending the process', async () => {
  process.env.MOTO_SERVER_COMMAND = '/nonexistent/moto_server';

  await expect(startMotoServer()).rejects.toThrow(/^Cannot start "\/nonexistent\/moto_server" \(spawn \/nonexistent\/moto_server ENOENT\): install moto with its server extra/);
});

test('GIVEN a command that exits before answering THEN start fails with its exit code', async () => {
  process.env.MOTO_SERVER_COMMAND = 'false';

  await expect(startMotoServer()).rejects.toThrow('moto_server exited with code 1 before answering');
});
