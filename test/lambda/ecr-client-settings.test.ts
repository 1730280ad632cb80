/**
 * The client settings read from the environment at load: for every variable
 * that decides them, the request the handler's client sends must be the one
 * the SDK alone would send, and no shared config file may be consulted.
 * Nothing leaves the process: each request is captured once signed.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DescribeImagesCommand, ECRClient, ECRClientConfig } from '@aws-sdk/client-ecr';
import { settingsFromEnvironment, TRANSPORT_ATTEMPTS } from '../../lambda/ecr-client';

const VARIABLES = [
  'AWS_ENDPOINT_URL_ECR', 'AWS_ENDPOINT_URL', 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS', 'AWS_USE_FIPS_ENDPOINT',
  'AWS_USE_DUALSTACK_ENDPOINT', 'AWS_SDK_UA_APP_ID', 'AWS_AUTH_SCHEME_PREFERENCE', 'AWS_BEARER_TOKEN_ECR',
  'AWS_DISABLE_CLOCK_SKEW_CORRECTION', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_PROFILE', 'AWS_MAX_ATTEMPTS',
];
const saved = { ...process.env };
let emptyConfig: string;

beforeAll(() => {
  emptyConfig = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-settings-')), 'config');
  fs.writeFileSync(emptyConfig, '');
});
beforeEach(() => {
  for (const name of VARIABLES) {
    delete process.env[name];
  }
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_SESSION_TOKEN: 'testing' });
  // The SDK alone would read these files; in Lambda they do not exist.
  Object.assign(process.env, { AWS_CONFIG_FILE: emptyConfig, AWS_SHARED_CREDENTIALS_FILE: emptyConfig });
});
afterAll(() => {
  process.env = saved;
});

/** The request a client sends for one DescribeImages, as signed, or the error it fails with before sending. */
async function requestOf(config: ECRClientConfig): Promise<{ url: string; userAgent: string; attempts: string } | { error: string }> {
  const client = new ECRClient({ region: 'eu-west-1', ...config });
  let captured: any;
  client.middlewareStack.addRelativeTo((_next: unknown) => async (args: any) => {
    captured = args.request;
    throw new Error('captured');
  }, { relation: 'after', toMiddleware: 'httpSigningMiddleware', name: 'capture' } as any);
  try {
    await client.send(new DescribeImagesCommand({ repositoryName: 'api', imageIds: [{ imageTag: 'v1' }] }));
    throw new Error('the request was sent');
  } catch (error) {
    if ((error as Error).message !== 'captured') {
      return { error: (error as Error).message };
    }
  } finally {
    client.destroy();
  }
  return {
    url: `${captured.protocol}//${captured.hostname}${captured.port ? `:${captured.port}` : ''}${captured.path}`,
    // The SDK's user agent names its own version and features; the app id is the part a setting decides.
    userAgent: / app\/\S+/.exec(String(captured.headers['user-agent']))?.[0] ?? '',
    attempts: captured.headers['amz-sdk-request'],
  };
}

const CASES: Array<[string, Record<string, string>]> = [
  ['nothing set, as in Lambda', {}],
  ['AWS_ENDPOINT_URL_ECR', { AWS_ENDPOINT_URL_ECR: 'http://127.0.0.1:4566' }],
  ['AWS_ENDPOINT_URL', { AWS_ENDPOINT_URL: 'http://127.0.0.1:4567' }],
  ['both endpoint variables', { AWS_ENDPOINT_URL_ECR: 'http://127.0.0.1:4566', AWS_ENDPOINT_URL: 'http://127.0.0.1:4567' }],
  ['an empty AWS_ENDPOINT_URL_ECR beside AWS_ENDPOINT_URL', { AWS_ENDPOINT_URL_ECR: '', AWS_ENDPOINT_URL: 'http://127.0.0.1:4567' }],
  ['AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true', { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true', AWS_ENDPOINT_URL_ECR: 'http://127.0.0.1:4566' }],
  ['AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=false', { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'false', AWS_ENDPOINT_URL_ECR: 'http://127.0.0.1:4566' }],
  ['AWS_USE_FIPS_ENDPOINT=true', { AWS_USE_FIPS_ENDPOINT: 'true' }],
  ['AWS_USE_FIPS_ENDPOINT with a custom endpoint', { AWS_USE_FIPS_ENDPOINT: 'true', AWS_ENDPOINT_URL_ECR: 'http://127.0.0.1:4566' }],
  ['AWS_USE_DUALSTACK_ENDPOINT=true', { AWS_USE_DUALSTACK_ENDPOINT: 'true' }],
  ['AWS_USE_FIPS_ENDPOINT and AWS_USE_DUALSTACK_ENDPOINT', { AWS_USE_FIPS_ENDPOINT: 'true', AWS_USE_DUALSTACK_ENDPOINT: 'true' }],
  ['AWS_SDK_UA_APP_ID', { AWS_SDK_UA_APP_ID: 'platform-team' }],
  ['AWS_AUTH_SCHEME_PREFERENCE', { AWS_AUTH_SCHEME_PREFERENCE: 'sigv4' }],
  ['AWS_DISABLE_CLOCK_SKEW_CORRECTION=true', { AWS_DISABLE_CLOCK_SKEW_CORRECTION: 'true' }],
];

test.each(CASES)('GIVEN %s WHEN the handler\'s client sends THEN the request is the one the SDK alone sends', async (_name, variables) => {
  Object.assign(process.env, variables);
  const sdkAlone = await requestOf({ maxAttempts: TRANSPORT_ATTEMPTS });

  const ours = await requestOf({ ...settingsFromEnvironment(), maxAttempts: TRANSPORT_ATTEMPTS });

  expect(ours).toEqual(sdkAlone);
});

test('GIVEN a shared config file that would turn FIPS on and move the endpoint WHEN the handler\'s client sends THEN the file is not consulted', async () => {
  // Lambda has none; the handler takes its settings from the environment only.
  const config = path.join(path.dirname(emptyConfig), 'fips-config');
  fs.writeFileSync(config, '[default]\nuse_fips_endpoint = true\nendpoint_url = http://127.0.0.1:9\nsdk_ua_app_id = from-file\n');
  process.env.AWS_CONFIG_FILE = config;

  const sdkAlone = await requestOf({});
  const ours = await requestOf(settingsFromEnvironment());

  expect(sdkAlone).toEqual({ error: expect.stringMatching(/FIPS and custom endpoint are not supported/) });
  expect(ours).toMatchObject({ url: 'https://api.ecr.eu-west-1.amazonaws.com/', userAgent: '' });
});

test('GIVEN a variable the SDK must check WHEN the settings are read THEN they leave it to the SDK', () => {
  const settings = settingsFromEnvironment({ AWS_USE_FIPS_ENDPOINT: 'yes', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'maybe' });

  expect(settings).not.toHaveProperty('useFipsEndpoint');
  expect(settings).not.toHaveProperty('endpoint');
  expect(settings).not.toHaveProperty('ignoreConfiguredEndpointUrls');
  expect(settings).toMatchObject({ useDualstackEndpoint: false, authSchemePreference: [] });
});
