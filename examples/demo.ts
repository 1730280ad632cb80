/**
 * Runs the example app's lookups the way CloudFormation would, against a
 * local ECR endpoint (moto in server mode): the shipped handler artifact is
 * invoked with the properties from the synthesized template, answers a local
 * response endpoint, and the resolved digests and image URIs are printed.
 * Then the tag moves and the next deployment's Update picks it up.
 */
import * as fs from 'fs';
import * as path from 'path';
import { createEvent, updateEvent } from '../local/events';
import { LocalEcr, motoEnvironment } from '../local/local-ecr';
import { startMotoServer } from '../local/moto-server';
import { ResponseEndpoint } from '../local/response-endpoint';
import { invokeShippedHandler } from '../local/shipped-handler';

const TEMPLATE = path.join(process.env.CDK_OUTDIR ?? 'cdk.out', 'ImageDigestLookupExample.template.json');

async function main(): Promise<void> {
  const template = JSON.parse(fs.readFileSync(TEMPLATE, 'utf8'));
  const lookups = Object.entries<any>(template.Resources).filter(([, r]) => r.Type === 'Custom::ImageDigestLookup');
  console.log(`${TEMPLATE}: ${lookups.length} lookups`);

  const moto = await startMotoServer();
  const cloudFormation = await ResponseEndpoint.start();
  try {
    const ecr = new LocalEcr(moto.endpoint);
    const env = motoEnvironment(moto.endpoint);
    const repositories = new Set(lookups.map(([, r]) => r.Properties.RepositoryName as string));
    for (const repository of repositories) {
      await ecr.createRepository(repository);
    }
    for (const [, resource] of lookups) {
      await ecr.push(resource.Properties.RepositoryName, resource.Properties.Tag);
    }

    const physicalIds = new Map<string, string>();
    const digests = new Map<string, string>();
    for (const [logicalId, resource] of lookups) {
      const props = resource.Properties;
      cloudFormation.clear();
      await invokeShippedHandler({ ...createEvent(cloudFormation.url(), props), LogicalResourceId: logicalId }, { env });
      const answer = cloudFormation.received[0].body;
      physicalIds.set(logicalId, answer.PhysicalResourceId);
      digests.set(logicalId, answer.Data?.Digest);
      report('Create', logicalId, props, answer);
    }

    // The pipeline pushes a new build under the first tag; the next deploy
    // sends an Update (the refresh token changed) and gets the new digest.
    // Both digests are printed so that a reader (and CI) can see the Update
    // answer with the new one, not the digest of the first deployment.
    const [movedId, moved] = lookups[0];
    const pushed = await ecr.push(moved.Properties.RepositoryName, moved.Properties.Tag);
    console.log(`\nTag moved: ${moved.Properties.RepositoryName}:${moved.Properties.Tag}`);
    console.log(`  before    ${digests.get(movedId)}`);
    console.log(`  after     ${pushed}`);
    cloudFormation.clear();
    const newProps = { ...moved.Properties, RefreshToken: new Date().toISOString() };
    const update = updateEvent(cloudFormation.url(), physicalIds.get(movedId)!, newProps, moved.Properties);
    await invokeShippedHandler({ ...update, LogicalResourceId: movedId }, { env });
    report('Update after the tag moved', movedId, newProps, cloudFormation.received[0].body);

    // A tag nobody pushed: the deployment fails with a reason naming it.
    cloudFormation.clear();
    const missing = { ...moved.Properties, Tag: 'release-404' };
    await invokeShippedHandler({ ...createEvent(cloudFormation.url(), missing), LogicalResourceId: movedId }, { env });
    report('Create of a missing tag', movedId, missing, cloudFormation.received[0].body);
  } finally {
    await cloudFormation.close();
    await moto.stop();
  }
}

function report(action: string, logicalId: string, props: any, answer: any): void {
  console.log(`\n${action}: ${logicalId} (${props.RepositoryName}:${props.Tag}) -> ${answer.Status}`);
  if (answer.Status === 'SUCCESS') {
    const registry = `${props.RegistryId}.dkr.ecr.${props.Region}.amazonaws.com`;
    console.log(`  digest    ${answer.Data.Digest}`);
    console.log(`  image URI ${registry}/${props.RepositoryName}@sha256:${answer.Data.DigestHex}`);
    console.log(`  size      ${answer.Data.SizeInBytes} bytes, pushed ${answer.Data.PushedAt}, tags ${answer.Data.ImageTags}`);
  } else {
    console.log(`  reason    ${answer.Reason}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
