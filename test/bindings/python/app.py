"""The README's quick start, written in Python against the built wheel.

A Fargate task and a Lambda function, each pinned to the digest its tag points
to at deploy time. Synthesizing it needs no AWS credentials, no network and no
Docker: the lookup's handler ships inside the package.
"""
import os

import aws_cdk as cdk
from aws_cdk import aws_ecr as ecr
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from cdk_image_digest_lookup import ImageDigestLookup, PinImageDigests

ENV = cdk.Environment(account="111111111111", region="eu-west-1")


class ServiceStack(cdk.Stack):
    """Two lookups of one repository: a container image and a Lambda image."""

    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        repository = ecr.Repository.from_repository_name(self, "Repo", "api")

        api = ImageDigestLookup(self, "Api", repository=repository, tag="main")
        task = ecs.FargateTaskDefinition(self, "Task")
        task.add_container(
            "api",
            image=api.container_image(),
            port_mappings=[ecs.PortMapping(container_port=8080)],
        )

        worker = ImageDigestLookup(self, "Worker", repository=repository, tag="worker")
        lambda_.DockerImageFunction(self, "WorkerFn", code=worker.docker_image_code())


class ExistingStack(cdk.Stack):
    """Images by tag, as apps are written before they pin anything, and a Docker Hub sidecar."""

    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        repository = ecr.Repository.from_repository_name(self, "Repo", "api")
        task = ecs.FargateTaskDefinition(self, "Task")
        task.add_container("api", image=ecs.ContainerImage.from_ecr_repository(repository, "main"))
        task.add_container("metrics", image=ecs.ContainerImage.from_registry(DOCKER_HUB_IMAGE), memory_limit_mib=256)
        lambda_.DockerImageFunction(
            self,
            "WorkerFn",
            code=lambda_.DockerImageCode.from_ecr(repository, tag_or_digest="worker"),
            architecture=lambda_.Architecture.ARM_64,
        )


DOCKER_HUB_IMAGE = "datadog/agent:7"


def synth_pinned(outdir: str) -> cdk.Stack:
    """Synthesizes the existing app, pinned by the one line, into `outdir` and returns its stack."""
    app = cdk.App(outdir=outdir)
    stack = ExistingStack(app, "PythonExistingStack", env=ENV)
    PinImageDigests.apply_to(app)
    app.synth()
    return stack


def synth(outdir: str) -> cdk.Stack:
    """Synthesizes the app into `outdir` and returns its stack."""
    app = cdk.App(outdir=outdir)
    stack = ServiceStack(app, "PythonServiceStack", env=ENV)
    app.synth()
    return stack


if __name__ == "__main__":
    synth(os.environ.get("CDK_OUTDIR", "cdk.out"))
