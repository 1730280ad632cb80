/**
 * CDK Pipelines: a test stage and a production stage that deploy exactly the
 * same image.
 *
 * `cdk synth` in the pipeline's synth step needs nothing beyond this package:
 * no AWS credentials (no context lookups), no Docker (the lookup's handler is
 * a prebuilt file asset). Two patterns:
 *
 * - the service image is pushed under a per-build immutable tag (`git-<commit>`)
 *   by the build of the same commit. Both stages look up that tag; it never
 *   moves (enforce it with the repository's tag immutability), so production
 *   gets the digest the test stage ran, even if `main` moves in between.
 * - a shared image that follows a moving tag is looked up once per pipeline
 *   execution per stage with `Refresh.whenChanged(buildId)`: templates stay the
 *   same across re-synths of one execution, and each new execution resolves
 *   the tag again. The stages may then see different digests if the tag moves
 *   between them: use it only where that is acceptable.
 */
import { App, Stack, Stage, StageProps } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { Construct } from 'constructs';
import { ImageDigestLookup, Refresh } from '../src';

/** Where the images live: one repository per image, in a shared tools account. */
const TOOLS = { account: '111111111111', region: 'eu-west-1' };

/** What one pipeline execution deploys. */
export interface ServiceStageProps extends StageProps {
  /** The per-build tag of the service image, such as `git-<commit>`. */
  readonly imageTag: string;
  /** An id of the pipeline execution, such as CodeBuild's build id. */
  readonly buildId: string;
}

/** The service, as deployed by every stage of the pipeline. */
export class ServiceStage extends Stage {
  constructor(scope: Construct, id: string, props: ServiceStageProps) {
    super(scope, id, props);
    const stack = new Stack(this, 'Service');
    const repository = (name: string) => ecr.Repository.fromRepositoryArn(stack, name,
      `arn:aws:ecr:${TOOLS.region}:${TOOLS.account}:repository/${name}`);

    // Immutable per-build tag: the lookup only has to run when the tag changes.
    const api = new ImageDigestLookup(stack, 'Api', {
      repository: repository('api'),
      tag: props.imageTag,
      refresh: Refresh.onPropertyChange(),
    });
    // Moving tag: resolved again by each pipeline execution, and only then.
    const proxy = new ImageDigestLookup(stack, 'Proxy', {
      repository: repository('proxy'),
      tag: 'stable',
      refresh: Refresh.whenChanged(props.buildId),
    });

    const task = new ecs.FargateTaskDefinition(stack, 'Task', { cpu: 512, memoryLimitMiB: 1024 });
    task.addContainer('api', { image: api.containerImage(), portMappings: [{ containerPort: 8080 }] });
    task.addContainer('proxy', { image: proxy.containerImage(), portMappings: [{ containerPort: 443 }] });
  }
}

/** The pipeline: synth, then the test stage, then production. */
export class PipelineStack extends Stack {
  constructor(scope: Construct, id: string, build: { readonly imageTag: string; readonly buildId: string }) {
    super(scope, id, { env: TOOLS });
    const pipeline = new pipelines.CodePipeline(this, 'Pipeline', {
      // The stages deploy to other accounts than the pipeline's.
      crossAccountKeys: true,
      synth: new pipelines.ShellStep('Synth', {
        input: pipelines.CodePipelineSource.connection('example-org/service', 'main', {
          connectionArn: `arn:aws:codeconnections:${TOOLS.region}:${TOOLS.account}:connection/00000000-0000-0000-0000-000000000000`,
        }),
        commands: ['npm ci', 'npx cdk synth'],
      }),
    });
    pipeline.addStage(new ServiceStage(this, 'Test', { ...build, env: { account: '222222222222', region: 'eu-west-1' } }));
    pipeline.addStage(new ServiceStage(this, 'Prod', { ...build, env: { account: '333333333333', region: 'eu-west-1' } }));
  }
}

/**
 * The build's identity, as CodeBuild hands it to the synth step; `-c imageTag=`
 * and `-c buildId=` override it elsewhere.
 */
export function buildOf(app: App): { imageTag: string; buildId: string } {
  const commit = process.env.CODEBUILD_RESOLVED_SOURCE_VERSION ?? 'local';
  return {
    imageTag: app.node.tryGetContext('imageTag') ?? `git-${commit.slice(0, 12)}`,
    buildId: app.node.tryGetContext('buildId') ?? process.env.CODEBUILD_BUILD_ID ?? 'local',
  };
}

if (require.main === module) {
  const app = new App();
  new PipelineStack(app, 'ServicePipeline', buildOf(app));
  app.synth();
}
