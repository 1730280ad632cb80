import { defaultProvider } from '../../lambda/env-credentials';

const KEYS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'] as const;
const saved = Object.fromEntries(KEYS.map((key) => [key, process.env[key]]));

afterEach(() => {
  for (const key of KEYS) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
});

test('GIVEN the role credentials Lambda puts in the environment THEN the bundled provider returns them', async () => {
  process.env.AWS_ACCESS_KEY_ID = 'ASIAEXAMPLE';
  process.env.AWS_SECRET_ACCESS_KEY = 'secret';
  process.env.AWS_SESSION_TOKEN = 'session';

  await expect(defaultProvider()()).resolves.toMatchObject({ accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'session' });
});

test('GIVEN no credentials in the environment THEN the provider fails instead of searching files or instance metadata', async () => {
  for (const key of KEYS) delete process.env[key];

  await expect(defaultProvider()()).rejects.toThrow(/environment/i);
});
