// Preloaded into both handlers' processes. aws-cdk-lib's AwsCustomResource
// handler always answers CloudFormation with `https.request` and drops the
// URL's port, while the local response endpoint speaks plain HTTP on a free
// port: requests to loopback are sent there over plain HTTP instead. Requests
// to any other host are untouched, and the bundled handler already uses plain
// HTTP for an http: URL, so both answer the same endpoint the same way.
const http = require('http');
const https = require('https');

const port = Number(process.env.BENCH_RESPONSE_PORT);
const request = https.request;
https.request = function loopbackOverPlainHttp(options, ...rest) {
  if (options && typeof options === 'object' && !(options instanceof URL) && options.hostname === '127.0.0.1') {
    return http.request({ ...options, port }, ...rest);
  }
  return request.call(this, options, ...rest);
};
