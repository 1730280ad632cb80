import { App, CfnResource, Stack } from 'aws-cdk-lib';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { imagesOf, namesImages } from '../../src/private/image-locations';

test('GIVEN list properties nested in lists THEN each image with the template path of its element, in property order', () => {
  const stack = new Stack(new App(), 'Service');
  const job = new batch.CfnJobDefinition(stack, 'Job', {
    type: 'container',
    containerProperties: { image: 'single' },
    ecsProperties: { taskProperties: [{ containers: [{ image: 'a' }, { image: 'b' }] }, { containers: [{ image: 'c' }] }] },
  });

  expect(imagesOf(job).map((f) => [f.propertyPath, f.resolved])).toEqual([
    ['ContainerProperties.Image', 'single'],
    ['EcsProperties.TaskProperties.0.Containers.0.Image', 'a'],
    ['EcsProperties.TaskProperties.0.Containers.1.Image', 'b'],
    ['EcsProperties.TaskProperties.1.Containers.0.Image', 'c'],
  ]);
});

test('GIVEN an L2 task definition THEN its containers are read from the lazily rendered property', () => {
  const stack = new Stack(new App(), 'Service');
  const task = new ecs.FargateTaskDefinition(stack, 'Task');
  task.addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx:1.27') });

  expect(imagesOf(task.node.defaultChild as CfnResource).map((f) => [f.propertyPath, f.resolved])).toEqual([['ContainerDefinitions.0.Image', 'nginx:1.27']]);
});

test('GIVEN a resource type that runs no image THEN it names none and is never resolved', () => {
  const bucket = new s3.CfnBucket(new Stack(new App(), 'Service'), 'Bucket');

  expect(namesImages(bucket)).toBe(false);
  expect(imagesOf(bucket)).toEqual([]);
});
