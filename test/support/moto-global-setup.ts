import { reportHandlerNode } from '../../local/handler-node';
import { startMotoServer } from '../../local/moto-server';

/**
 * Starts one moto server for the whole test run; test files find it through
 * MOTO_ENDPOINT, which the workers inherit.
 */
export default async function setup(): Promise<void> {
  reportHandlerNode();
  // The SDK warns that its 2027 releases drop Node.js 20, the Node.js that may
  // run jest here; the handler itself runs on Lambda's Node.js 24.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  if (process.env.MOTO_ENDPOINT) {
    return;
  }
  const server = await startMotoServer();
  process.env.MOTO_ENDPOINT = server.endpoint;
  (globalThis as { __motoServer?: typeof server }).__motoServer = server;
}
