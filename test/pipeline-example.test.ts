/**
 * The CDK Pipelines example (examples/pipeline.ts) synthesizes with nothing but
 * the package, and its stages deploy the same image.
 */
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { PipelineStack } from '../examples/pipeline';

const BUILD = { imageTag: 'git-0123456789ab', buildId: 'service-synth:6a1f' };

function synthStages(): { assembly: ReturnType<App['synth']>; test: Template; prod: Template } {
  const app = new App();
  new PipelineStack(app, 'Pipeline', BUILD);
  const assembly = app.synth();
  const template = (stage: string) =>
    Template.fromJSON(assembly.getNestedAssembly(`assembly-Pipeline-${stage}`).getStackByName(`${stage}-Service`).template);
  return { assembly, test: template('Test'), prod: template('Prod') };
}

test('GIVEN the pipeline example WHEN synthesized THEN it needs no Docker: its only assets are files', () => {
  const { assembly } = synthStages();

  const nested = assembly.artifacts.filter((a) => a instanceof cxapi.NestedCloudAssemblyArtifact).map((a) => assembly.getNestedAssembly(a.id));
  const manifests = [assembly, ...nested].flatMap((a) => a.artifacts)
    .filter((a): a is cxapi.AssetManifestArtifact => a instanceof cxapi.AssetManifestArtifact);
  const files = manifests.flatMap((m) => Object.keys(m.contents.files ?? {}));
  const dockerImages = manifests.flatMap((m) => Object.keys(m.contents.dockerImages ?? {}));
  // The stages' templates and the lookup's prebuilt handler, nothing to build.
  expect(files.length).toBeGreaterThan(0);
  expect(dockerImages).toEqual([]);
});

test('GIVEN one build WHEN the stages are synthesized THEN both look up the same per-build tag, once', () => {
  const { test: testStage, prod } = synthStages();

  for (const template of [testStage, prod]) {
    template.hasResourceProperties('Custom::ImageDigestLookup', { Tag: BUILD.imageTag, RefreshToken: Match.absent() });
    template.hasResourceProperties('Custom::ImageDigestLookup', { Tag: 'stable', RefreshToken: BUILD.buildId });
  }
});
