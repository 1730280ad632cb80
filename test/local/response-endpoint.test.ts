import { ResponseEndpoint } from '../../local/response-endpoint';

let endpoint: ResponseEndpoint;
beforeAll(async () => { endpoint = await ResponseEndpoint.start(); });
afterAll(() => endpoint.close());
beforeEach(() => endpoint.clear());

const put = (body: string, url = endpoint.url()) => fetch(url, { method: 'PUT', body, headers: { 'content-type': '' } });

test('GIVEN its URL THEN it is shaped like a pre-signed S3 URL, its secret in the query', () => {
  const url = new URL(endpoint.url('X-Amz-Signature=secret'));
  expect(url.hostname).toBe('127.0.0.1');
  expect(url.searchParams.get('X-Amz-Signature')).toBe('secret');
  expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
});

test('GIVEN a PUT of a response THEN it answers 200 and records the method, path, raw and parsed body', async () => {
  const response = await put(JSON.stringify({ Status: 'SUCCESS', PhysicalResourceId: 'p' }));

  expect(response.status).toBe(200);
  expect(endpoint.received).toEqual([expect.objectContaining({
    method: 'PUT',
    path: expect.stringMatching(/^\/cloudformation-custom-resource-response-useast1\/.*X-Amz-Signature=/),
    rawBody: '{"Status":"SUCCESS","PhysicalResourceId":"p"}',
    body: { Status: 'SUCCESS', PhysicalResourceId: 'p' },
  })]);
});

test('GIVEN a body that is not JSON THEN it is recorded raw, with no parsed body', async () => {
  await put('not json');
  expect(endpoint.received[0]).toMatchObject({ rawBody: 'not json', body: undefined });
});

test('GIVEN failNext(2, 503) THEN the next two requests fail with 503, are still recorded, and the third succeeds', async () => {
  endpoint.failNext(2, 503);

  const statuses = [];
  for (let i = 0; i < 3; i++) {
    statuses.push((await put(`{"attempt":${i}}`)).status);
  }

  expect(statuses).toEqual([503, 503, 200]);
  expect(endpoint.received.map((r) => r.body.attempt)).toEqual([0, 1, 2]);
});

test('GIVEN failures pending WHEN cleared THEN the record is empty and the next request succeeds', async () => {
  endpoint.failNext(5);
  await put('{}');
  endpoint.clear();

  expect(endpoint.received).toEqual([]);
  expect((await put('{}')).status).toBe(200);
});
