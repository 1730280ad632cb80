/**
 * The example app: an ECS Fargate task and a Lambda function, each pinned to
 * the digest its tag points to at deploy time. `npm run demo` synthesizes it
 * into cdk.out/ (no AWS credentials, no Docker) and then runs its lookup
 * against a local ECR endpoint.
 */
import { App, CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ImageDigestLookup } from '../src';

export class ExampleStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // The image of the service, pushed by CI under a moving tag.
    const apiRepository = ecr.Repository.fromRepositoryName(this, 'ApiRepository', 'demo/api');
    const api = new ImageDigestLookup(this, 'Api', { repository: apiRepository, tag: 'main' });

    const task = new ecs.FargateTaskDefinition(this, 'ApiTask', { cpu: 256, memoryLimitMiB: 512 });
    task.addContainer('api', {
      image: api.containerImage(),
      portMappings: [{ containerPort: 8080 }],
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'api' }),
    });

    // A Lambda function built from the same repository's `worker` tag.
    const worker = new ImageDigestLookup(this, 'Worker', { repository: apiRepository, tag: 'worker' });
    new lambda.DockerImageFunction(this, 'WorkerFunction', {
      code: worker.dockerImageCode({ cmd: ['worker.handler'] }),
      architecture: lambda.Architecture.ARM_64,
    });

    new CfnOutput(this, 'ApiImage', { value: api.imageUri });
    new CfnOutput(this, 'WorkerDigest', { value: worker.digest });
  }
}

if (require.main === module) {
  const app = new App({ outdir: process.env.CDK_OUTDIR ?? 'cdk.out' });
  new ExampleStack(app, 'ImageDigestLookupExample', {
    env: { account: process.env.CDK_DEFAULT_ACCOUNT ?? '123456789012', region: process.env.CDK_DEFAULT_REGION ?? 'us-east-1' },
  });
  const assembly = app.synth();
  for (const stack of assembly.stacks) {
    console.log(`Synthesized ${stack.stackName} into ${assembly.directory}/${stack.templateFile} (${Object.keys(stack.template.Resources).length} resources)`);
  }
}
