// Checks the cloud assembly that `cdk synth` wrote for app.js: both lookups,
// one provider function whose code asset was staged from the installed
// package and is the handler the build bundled, and image URIs that name the
// digest after an `@`. Usage: node check.js <cdk.out> <bundled handler>.
const assert = require('assert');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const [outdir, bundledHandler] = process.argv.slice(2);
const template = JSON.parse(fs.readFileSync(path.join(outdir, 'ConsumerStack.template.json'), 'utf8'));
const resources = Object.values(template.Resources);
const ofType = (type) => resources.filter((r) => r.Type === type);
const sha256 = (file) => `sha256:${crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex')}`;

assert.strictEqual(ofType('Custom::ImageDigestLookup').length, 2, 'two lookups');

const providers = ofType('AWS::Lambda::Function').filter((f) => f.Properties.Handler === 'index.handler');
assert.strictEqual(providers.length, 1, 'one provider function serves both lookups');
// The function's code key is the asset's hash; the assets manifest says
// where in the cloud assembly that asset was staged.
const codeKey = JSON.stringify(providers[0].Properties.Code.S3Key);
const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'ConsumerStack.assets.json'), 'utf8'));
const assetHash = Object.keys(manifest.files).find((hash) => codeKey.includes(`${hash}.zip`));
assert.ok(assetHash, `the provider function's code ${codeKey} is a file asset of the stack`);
const staged = path.join(outdir, manifest.files[assetHash].source.path, 'index.js');
assert.ok(fs.existsSync(staged), `${staged} exists`);
const installed = require.resolve('cdk-image-digest-lookup/assets/lambda/index/index.js', { paths: [process.cwd()] });
assert.strictEqual(sha256(staged), sha256(installed), 'the staged asset is the handler in the installed package');
assert.strictEqual(sha256(staged), sha256(bundledHandler), 'the installed package ships the handler the build bundled');

const taskImages = JSON.stringify(ofType('AWS::ECS::TaskDefinition').map((t) => t.Properties.ContainerDefinitions));
assert.match(taskImages, /\/api@sha256:/, 'containerImage() names the digest after an @');
assert.doesNotMatch(taskImages, /\/api:sha256/, 'containerImage() never uses the tag separator for a digest');
const lambdaImages = JSON.stringify(ofType('AWS::Lambda::Function').filter((f) => f.Properties.PackageType === 'Image'));
assert.match(lambdaImages, /\/api@sha256:/, 'dockerImageCode() names the digest after an @');

console.log(`ok: 2 lookups, 1 provider function, its asset ${assetHash} is the shipped handler (${sha256(staged)}), @sha256: image URIs`);
