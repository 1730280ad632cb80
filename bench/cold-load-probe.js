// Loads handler code in this fresh process the way Lambda's runtime would at a
// cold start, and prints one JSON line: the load time, the files and bytes of
// code loaded, and the network connections opened while loading (a cold start
// must open none). argv holds the modules to load, in order.
const fs = require('fs');
const net = require('net');

let connections = 0;
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function countedConnect(...args) {
  connections++;
  return connect.apply(this, args);
};

const alreadyLoaded = new Set(Object.keys(require.cache));
const start = process.hrtime.bigint();
for (const module of process.argv.slice(2)) {
  require(module);
}
const loadMs = Number(process.hrtime.bigint() - start) / 1e6;
const loadedFiles = Object.keys(require.cache).filter((file) => !alreadyLoaded.has(file));
const loadedBytes = loadedFiles.reduce((sum, file) => sum + fs.statSync(file).size, 0);
console.log(JSON.stringify({ loadMs, files: loadedFiles.length, bytes: loadedBytes, connections }));
