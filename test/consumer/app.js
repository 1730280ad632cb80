// A user's CDK app, in JavaScript, that installed the npm package: a Fargate
// task and a Lambda function, each pinned to the digest its tag points to at
// deploy time. `cdk synth` needs no AWS credentials and no Docker.
const { App, Stack } = require('aws-cdk-lib');
const ecr = require('aws-cdk-lib/aws-ecr');
const ecs = require('aws-cdk-lib/aws-ecs');
const lambda = require('aws-cdk-lib/aws-lambda');
const { ImageDigestLookup } = require('cdk-image-digest-lookup');

const app = new App();
const stack = new Stack(app, 'ConsumerStack', { env: { account: '111111111111', region: 'eu-west-1' } });
const repository = ecr.Repository.fromRepositoryName(stack, 'Repo', 'api');

const api = new ImageDigestLookup(stack, 'Api', { repository, tag: 'main' });
new ecs.FargateTaskDefinition(stack, 'Task').addContainer('api', {
  image: api.containerImage(),
  portMappings: [{ containerPort: 8080 }],
});

const worker = new ImageDigestLookup(stack, 'Worker', { repository, tag: 'worker' });
new lambda.DockerImageFunction(stack, 'WorkerFn', { code: worker.dockerImageCode() });

app.synth();
