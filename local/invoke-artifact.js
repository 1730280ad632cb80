// Runs a bundled handler once, in this fresh process, the way Lambda would:
// argv[2] is the artifact, argv[3] the event as JSON, argv[4] the function's
// timeout in ms. Like Lambda, the process is ended when the timeout is reached.
const [artifact, eventJson, timeoutMs] = process.argv.slice(2);
const deadline = Date.now() + Number(timeoutMs);
const context = {
  functionName: 'ImageDigestLookupHandler',
  awsRequestId: 'local-invocation',
  getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
};
setTimeout(() => {
  console.error('Task timed out');
  process.exit(124);
}, Number(timeoutMs));
process.stderr.write(`@@node-version ${process.version}\n`);
const loadStart = process.hrtime.bigint();
const { handler } = require(artifact);
const loadMs = Number(process.hrtime.bigint() - loadStart) / 1e6;
process.stderr.write(`@@module-load-ms ${loadMs}\n`);
handler(JSON.parse(eventJson), context).then(
  () => process.exit(0),
  (error) => {
    console.error('Handler rejected:', error);
    process.exit(3);
  },
);
