"""Checks, from Python, what the TypeScript tests check: one provider function
for both lookups, image URIs with the `@` digest separator, and a lookup role
that may call `ecr:DescribeImages` and `ecr:BatchGetImage` (to read an image
index) on the repository alone.

Run with `python -m unittest` after installing the built wheel; the template is
left in $CDK_OUTDIR (default cdk.out) for cfn-lint.
"""
import json
import os
import unittest

from aws_cdk.assertions import Annotations, Match, Template

from app import DOCKER_HUB_IMAGE, synth, synth_pinned

REPOSITORY_ARN_SUFFIX = ":ecr:eu-west-1:111111111111:repository/api"


def provider_role_statements(template: Template) -> list:
    """Every statement of the inline policies of the role the provider function runs as."""
    providers = template.find_resources("AWS::Lambda::Function", {"Properties": {"Handler": "index.handler"}})
    (provider,) = providers.values()
    role_id = provider["Properties"]["Role"]["Fn::GetAtt"][0]
    role = template.to_json()["Resources"][role_id]
    return [
        statement
        for policy in role["Properties"].get("Policies", [])
        for statement in policy["PolicyDocument"]["Statement"]
    ]


def as_list(value) -> list:
    return value if isinstance(value, list) else [value]


class PythonAppTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        stack = synth(os.environ.get("CDK_OUTDIR", "cdk.out"))
        cls.template = Template.from_stack(stack)

    def test_one_provider_function_serves_both_lookups(self) -> None:
        self.template.resource_count_is("Custom::ImageDigestLookup", 2)
        self.template.resource_count_is("AWS::Lambda::Function", 2)
        self.template.resource_properties_count_is(
            "AWS::Lambda::Function",
            {"Handler": "index.handler", "Runtime": Match.string_like_regexp("^nodejs")},
            1,
        )
        self.template.resource_properties_count_is("AWS::Lambda::Function", {"PackageType": "Image"}, 1)

    def test_container_image_names_the_digest_after_an_at_sign(self) -> None:
        tasks = json.dumps(self.template.find_resources("AWS::ECS::TaskDefinition"))
        self.assertIn("/api@sha256:", tasks)
        self.assertNotIn("/api:sha256", tasks)

    def test_lambda_image_uri_names_the_digest_after_an_at_sign(self) -> None:
        self.template.has_resource_properties(
            "AWS::Lambda::Function",
            {
                "PackageType": "Image",
                "Code": {"ImageUri": {"Fn::Join": ["", Match.array_with([Match.string_like_regexp("/api@sha256:$")])]}},
            },
        )

    def test_lookup_role_may_describe_images_of_the_repository_only(self) -> None:
        statements = provider_role_statements(self.template)
        describe = [s for s in statements if "ecr:DescribeImages" in as_list(s["Action"])]
        self.assertEqual(len(describe), 1)
        self.assertEqual(as_list(describe[0]["Action"]), ["ecr:BatchGetImage", "ecr:DescribeImages"])
        resources = as_list(describe[0]["Resource"])
        self.assertEqual(len(resources), 1)
        self.assertIn(REPOSITORY_ARN_SUFFIX, json.dumps(resources[0]))
        self.assertNotIn("*", [r for s in statements for r in as_list(s["Resource"])])
        self.template.has_resource_properties("AWS::IAM::Role", {"ManagedPolicyArns": Match.absent(), "Policies": Match.any_value()})


class PinnedAppTest(unittest.TestCase):
    """PinImageDigests from Python: an app written with tags, pinned in one line."""

    @classmethod
    def setUpClass(cls) -> None:
        cls.outdir = "pinned.cdk.out"
        cls.stack = synth_pinned(cls.outdir)
        cls.template = Template.from_stack(cls.stack)

    def test_each_repository_and_tag_gets_one_lookup_the_arm64_function_its_platform(self) -> None:
        lookups = self.template.find_resources("Custom::ImageDigestLookup")
        found = sorted((l["Properties"]["Tag"], l["Properties"].get("Platform", "")) for l in lookups.values())
        self.assertEqual(found, [("main", ""), ("worker", "linux/arm64")])

    def test_ecr_references_name_digests_and_docker_hub_stays(self) -> None:
        tasks = json.dumps(self.template.find_resources("AWS::ECS::TaskDefinition"))
        self.assertIn("/api@sha256:", tasks)
        self.assertNotIn("/api:main", tasks)
        self.assertIn(f'"Image": "{DOCKER_HUB_IMAGE}"', tasks)
        functions = json.dumps(self.template.find_resources("AWS::Lambda::Function", {"Properties": {"PackageType": "Image"}}))
        self.assertIn("/api@sha256:", functions)

    def test_docker_hub_image_is_annotated(self) -> None:
        Annotations.from_stack(self.stack).has_warning(
            "/PythonExistingStack/Task/Resource", Match.string_like_regexp("datadog/agent:7 .*which is not pinned: its registry is not ECR")
        )

    def test_summary_lists_every_reference(self) -> None:
        with open(os.path.join(self.outdir, "image-digest-pins.json"), encoding="utf-8") as summary:
            references = json.load(summary)["references"]
        self.assertEqual(sorted(r["status"] for r in references), ["pinned", "pinned", "skipped"])


if __name__ == "__main__":
    unittest.main()
