// Stands in for a handler in the runtime benchmark's phase pass: loads the
// handler named by BENCH_PHASE_TARGET and prints, once its first invoke ends,
// when the process started, when loading began and ended, and when the
// runtime handed over the event (epoch milliseconds, fractional).
const { performance } = require('perf_hooks');

const now = () => performance.timeOrigin + performance.now();
const loadStart = now();
const target = require(process.env.BENCH_PHASE_TARGET);
const loadEnd = now();
let first = true;

exports.handler = async (event, context) => {
  const handlerStart = now();
  try {
    return await target.handler(event, context);
  } finally {
    if (first) {
      first = false;
      console.log(`@@phases ${JSON.stringify({ processStart: performance.timeOrigin, loadStart, loadEnd, handlerStart })}`);
    }
  }
};
