// A user's CDK app that installed the npm package: lookups resolved at
// synth by the package's CLI plugin (Refresh.whenDigestChanges()), one of
// them pinned into a Fargate task definition, in moto's account, one in
// a repository of another region, and one in a stack of another account,
// which the plugin reads through that account's lookup role.
const { App, Stack } = require('aws-cdk-lib');
const ecr = require('aws-cdk-lib/aws-ecr');
const ecs = require('aws-cdk-lib/aws-ecs');
const { ImageDigestLookup, Refresh } = require('cdk-image-digest-lookup');

const app = new App();
const stack = new Stack(app, 'Service', { env: { account: '123456789012', region: 'us-east-1' } });

const api = new ImageDigestLookup(stack, 'Api', {
  repository: ecr.Repository.fromRepositoryName(stack, 'ApiRepo', 'api'),
  tag: 'main',
  refresh: Refresh.whenDigestChanges(),
});
new ecs.FargateTaskDefinition(stack, 'Task').addContainer('api', { image: api.containerImage() });

new ImageDigestLookup(stack, 'Worker', {
  repository: ecr.Repository.fromRepositoryName(stack, 'WorkerRepo', 'worker'),
  tag: 'v1',
  refresh: Refresh.whenDigestChanges(),
});

// A repository of another region, named by its ARN: the plugin asks ECR there.
new ImageDigestLookup(stack, 'Edge', {
  repository: ecr.Repository.fromRepositoryArn(stack, 'EdgeRepo', 'arn:aws:ecr:eu-west-1:123456789012:repository/edge'),
  tag: 'main',
  refresh: Refresh.whenDigestChanges(),
});

// Another account: the CLI names its lookup role in the query, and only that
// role's credentials reach the account's registry (moto serves the account
// that issued the access key).
const tools = new Stack(app, 'Tools', { env: { account: '111111111111', region: 'us-east-1' } });
new ImageDigestLookup(tools, 'Builder', {
  repository: ecr.Repository.fromRepositoryName(tools, 'BuilderRepo', 'builder'),
  tag: 'main',
  refresh: Refresh.whenDigestChanges(),
});

app.synth();
