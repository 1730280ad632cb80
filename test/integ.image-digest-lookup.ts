/**
 * Integration test: a lookup resolves the tag of an image the test itself
 * publishes, and its `digest` equals what ECR `DescribeImages` answers.
 *
 * The image is a `TarballImageAsset` (test/integ-image/image.tar, written by
 * build.py there) rather than a `DockerImageAsset`: a Docker build runs at
 * synth and needs a Docker engine, a tarball is only copied into the cloud
 * assembly, so `integ-runner` can synthesize and verify the snapshot anywhere.
 * A deployment (`integ-runner --update-on-failed` with AWS credentials) loads
 * and pushes it with Docker like any container asset, before the stack
 * deploys, so the tag exists when the lookup runs. Copying a public image by a
 * custom resource would also avoid Docker at synth, but would test a second
 * custom resource and a public registry rather than our lookup.
 */
import * as path from 'path';
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { Annotations, App, CfnOutput, Stack } from 'aws-cdk-lib';
import { TarballImageAsset } from 'aws-cdk-lib/aws-ecr-assets';
import { DISABLE_CREATION_STACK_TRACES } from 'aws-cdk-lib/cx-api';
import { ImageDigestLookup, Refresh } from '../src';

// Creation stack traces would write the paths of the machine that synthesized
// the snapshot into it, and make it differ from one checkout to another.
const app = new App({ stackTraces: false, context: { [DISABLE_CREATION_STACK_TRACES]: true } });
const stack = new Stack(app, 'ImageDigestLookupInteg');

const image = new TarballImageAsset(stack, 'Image', {
  tarballFile: path.join(__dirname, 'integ-image', 'image.tar'),
});

// An asset's tag is its content hash: it never moves, so looking it up again
// on every deployment would only make the snapshot differ at each synth.
const lookup = new ImageDigestLookup(stack, 'Lookup', {
  repository: image.repository,
  tag: image.imageTag,
  refresh: Refresh.onPropertyChange(),
});
new CfnOutput(stack, 'ImageUri', { value: lookup.imageUri });
// The assertion stack reads the digest through an export. The tag is an
// asset hash that never moves, and the test stacks are deployed once and
// destroyed, so the export never has to change.
Annotations.of(stack).acknowledgeWarning('cdk-image-digest-lookup:crossStackAttribute',
  'the assertion stack compares the digest once; the asset tag never moves');

const integ = new IntegTest(app, 'ImageDigestLookupTest', { testCases: [stack] });

// ECR's own answer for the same tag; one tag names exactly one image.
integ.assertions
  .awsApiCall('ECR', 'describeImages', {
    repositoryName: image.repository.repositoryName,
    imageIds: [{ imageTag: image.imageTag }],
  })
  .expect(ExpectedResult.objectLike({ imageDetails: [{ imageDigest: lookup.digest }] }));
