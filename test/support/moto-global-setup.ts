import { startMotoServer } from './moto-server';

/**
 * Starts one moto server for the whole test run; test files find it through
 * MOTO_ENDPOINT, which the workers inherit.
 */
export default async function setup(): Promise<void> {
  if (process.env.MOTO_ENDPOINT) {
    return;
  }
  const server = await startMotoServer();
  process.env.MOTO_ENDPOINT = server.endpoint;
  (globalThis as { __motoServer?: typeof server }).__motoServer = server;
}
