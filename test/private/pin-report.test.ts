import * as fs from 'fs';
import * as path from 'path';
import { App, Aspects, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { PinImageDigests } from '../../src';
import { PIN_REPORT_FILE, PinReport } from '../../src/private/pin-report';

test('GIVEN records added out of order and one added twice THEN each resource and property once, sorted by path then property', () => {
  const report = PinReport.of(new App());
  const entry = (p: string, property: string, status: 'pinned' | 'skipped') => ({ path: p, resourceType: 'AWS::ECS::TaskDefinition', property, image: 'x', status });

  report.record(entry('B/Task', 'ContainerDefinitions.0.Image', 'pinned'));
  report.record(entry('A/Task', 'ContainerDefinitions.1.Image', 'skipped'));
  report.record(entry('A/Task', 'ContainerDefinitions.0.Image', 'skipped'));
  report.record(entry('A/Task', 'ContainerDefinitions.0.Image', 'pinned'));

  expect(report.all().map((r) => [r.path, r.property, r.status])).toEqual([
    ['A/Task', 'ContainerDefinitions.0.Image', 'pinned'],
    ['A/Task', 'ContainerDefinitions.1.Image', 'skipped'],
    ['B/Task', 'ContainerDefinitions.0.Image', 'pinned'],
  ]);
});

test('GIVEN two stacks and the aspect applied twice THEN the app writes one summary, with each reference once', () => {
  const app = new App();
  for (const id of ['One', 'Two']) {
    const stack = new Stack(app, id);
    new ecs.FargateTaskDefinition(stack, 'Task').addContainer('c', {
      image: ecs.ContainerImage.fromEcrRepository(ecr.Repository.fromRepositoryName(stack, 'Repo', 'api'), 'main'),
    });
  }
  Aspects.of(app).add(new PinImageDigests());
  Aspects.of(app).add(new PinImageDigests());

  const summary = JSON.parse(fs.readFileSync(path.join(app.synth().directory, PIN_REPORT_FILE), 'utf8'));

  expect(summary.version).toBe(1);
  expect(summary.references.map((r: any) => r.path)).toEqual(['One/Task/Resource', 'Two/Task/Resource']);
});
