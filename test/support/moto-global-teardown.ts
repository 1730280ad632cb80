import type { MotoServer } from './moto-server';

export default async function teardown(): Promise<void> {
  await (globalThis as { __motoServer?: MotoServer }).__motoServer?.stop();
}
