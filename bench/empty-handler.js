// The floor of the runtime benchmark: a handler that does no lookup and
// answers CloudFormation with a fixed SUCCESS, so that its invoke-to-PUT time
// is what the Lambda runtime, Node.js and one HTTP request cost by themselves.
const http = require('http');
const https = require('https');

exports.handler = (event) => new Promise((resolve, reject) => {
  const body = JSON.stringify({
    Status: 'SUCCESS',
    PhysicalResourceId: 'empty',
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: {},
  });
  const url = new URL(event.ResponseURL);
  const request = (url.protocol === 'http:' ? http : https).request(url, {
    method: 'PUT',
    headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
  }, (response) => {
    response.resume();
    response.on('end', resolve);
  });
  request.on('error', reject);
  request.end(body);
});
