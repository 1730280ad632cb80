import type { MotoServer } from '../../local/moto-server';

export default async function teardown(): Promise<void> {
  await (globalThis as { __motoServer?: MotoServer }).__motoServer?.stop();
}
