/**
 * An app shaped like a typical existing service, written the way apps are
 * before they pin anything: every image by tag. One line
 * (`Aspects.of(app).add(new PinImageDigests())`) pins them all.
 *
 * `npx ts-node --project examples/tsconfig.json examples/existing-service.ts`
 * synthesizes it into cdk.out/ and prints the summary of its image references.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Aspects, Size, Stack, StackProps } from 'aws-cdk-lib';
import * as apprunner from 'aws-cdk-lib/aws-apprunner';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as patterns from 'aws-cdk-lib/aws-ecs-patterns';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { PinImageDigests } from '../src';

/** The repositories the service's images are pushed to, under the stack's namespace. */
export const SERVICE_REPOSITORIES = ['api', 'worker', 'thumbnails', 'reports', 'web'] as const;

export interface ExistingServiceStackProps extends StackProps {
  /**
   * The prefix of the repositories' names: `<namespace>/api` and so on.
   * @default 'shop'
   */
  readonly namespace?: string;
}

/** The Docker Hub image the service runs beside its own. */
export const DOCKER_HUB_IMAGE = 'datadog/agent:7';

export class ExistingServiceStack extends Stack {
  constructor(scope: Construct, id: string, props: ExistingServiceStackProps = {}) {
    super(scope, id, props);
    const namespace = props.namespace ?? 'shop';
    const repo = (constructId: string, name: typeof SERVICE_REPOSITORIES[number]) =>
      ecr.Repository.fromRepositoryName(this, constructId, `${namespace}/${name}`);

    // The API behind a load balancer, with a Docker Hub sidecar.
    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const cluster = new ecs.Cluster(this, 'Cluster', { vpc });
    const api = new patterns.ApplicationLoadBalancedFargateService(this, 'Api', {
      cluster,
      taskImageOptions: { image: ecs.ContainerImage.fromEcrRepository(repo('ApiRepo', 'api'), 'main'), containerPort: 8080 },
      assignPublicIp: true,
    });
    api.taskDefinition.addContainer('metrics', { image: ecs.ContainerImage.fromRegistry(DOCKER_HUB_IMAGE), memoryLimitMiB: 256 });

    // Two Lambda image functions: an x86 worker, and an arm64 one whose tag is a multi-architecture image.
    new lambda.DockerImageFunction(this, 'Worker', {
      code: lambda.DockerImageCode.fromEcr(repo('WorkerRepo', 'worker'), { tagOrDigest: 'latest' }),
    });
    new lambda.Function(this, 'Thumbnails', {
      code: lambda.Code.fromEcrImage(repo('ThumbnailsRepo', 'thumbnails'), { tagOrDigest: 'main' }),
      handler: lambda.Handler.FROM_IMAGE,
      runtime: lambda.Runtime.FROM_IMAGE,
      architecture: lambda.Architecture.ARM_64,
    });

    // A nightly Batch job.
    new batch.EcsJobDefinition(this, 'Reports', {
      container: new batch.EcsFargateContainerDefinition(this, 'ReportsContainer', {
        image: ecs.ContainerImage.fromEcrRepository(repo('ReportsRepo', 'reports'), 'nightly'),
        cpu: 1,
        memory: Size.mebibytes(2048),
      }),
    });

    // The storefront on App Runner (aws-cdk-lib has its L1 only).
    const web = repo('WebRepo', 'web');
    const access = new iam.Role(this, 'WebAccess', { assumedBy: new iam.ServicePrincipal('build.apprunner.amazonaws.com') });
    web.grantPull(access);
    new apprunner.CfnService(this, 'Web', {
      sourceConfiguration: {
        authenticationConfiguration: { accessRoleArn: access.roleArn },
        imageRepository: { imageIdentifier: web.repositoryUriForTag('main'), imageRepositoryType: 'ECR' },
      },
    });

    // Database migrations, an image that CDK builds and publishes itself.
    const migrations = new ecs.FargateTaskDefinition(this, 'Migrations');
    migrations.addContainer('migrate', { image: ecs.ContainerImage.fromAsset(path.join(__dirname, 'images', 'migrations')) });
  }
}

if (require.main === module) {
  const app = new App();
  new ExistingServiceStack(app, 'Shop');
  // The one line: every ECR image reference by tag becomes a digest lookup.
  Aspects.of(app).add(new PinImageDigests());
  const assembly = app.synth();
  const summary = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'image-digest-pins.json'), 'utf8'));
  for (const reference of summary.references) {
    console.log(`${reference.status.padEnd(8)} ${reference.path} ${reference.property}: ${reference.reason ?? reference.lookup}`);
  }
}
