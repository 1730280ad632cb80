package io.github.cdkimagedigestlookup.bindingtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * Checks, from Java, what the TypeScript tests check: one provider function for
 * both lookups, image URIs with the {@code @} digest separator, and a lookup
 * role that may call {@code ecr:DescribeImages} and {@code ecr:BatchGetImage} (to
 * read an image index) on the repository alone. The
 * template is left in $CDK_OUTDIR (default target/cdk.out) for cfn-lint.
 */
class ServiceStackTest {
    private static final String REPOSITORY_ARN_SUFFIX = ":ecr:eu-west-1:111111111111:repository/api";

    private static Template template;

    @BeforeAll
    static void synthesize() {
        String outdir = System.getenv().getOrDefault("CDK_OUTDIR", "target/cdk.out");
        template = Template.fromStack(ServiceStack.synth(outdir));
    }

    @Test
    void oneProviderFunctionServesBothLookups() {
        template.resourceCountIs("Custom::ImageDigestLookup", 2);
        template.resourceCountIs("AWS::Lambda::Function", 2);
        template.resourcePropertiesCountIs("AWS::Lambda::Function",
                Map.of("Handler", "index.handler", "Runtime", Match.stringLikeRegexp("^nodejs")), 1);
        template.resourcePropertiesCountIs("AWS::Lambda::Function", Map.of("PackageType", "Image"), 1);
    }

    @Test
    void containerImageNamesTheDigestAfterAnAtSign() {
        String tasks = template.findResources("AWS::ECS::TaskDefinition").toString();
        assertTrue(tasks.contains("/api@sha256:"), tasks);
        assertFalse(tasks.contains("/api:sha256"), tasks);
    }

    @Test
    void lambdaImageUriNamesTheDigestAfterAnAtSign() {
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "PackageType", "Image",
                "Code", Map.of("ImageUri", Map.of("Fn::Join", List.of("",
                        Match.arrayWith(List.of(Match.stringLikeRegexp("/api@sha256:$"))))))));
    }

    @Test
    void lookupRoleMayDescribeImagesOfTheRepositoryOnly() {
        List<Map<String, Object>> statements = providerRoleStatements();
        List<Map<String, Object>> describe = new ArrayList<>();
        for (Map<String, Object> statement : statements) {
            if (asList(statement.get("Action")).contains("ecr:DescribeImages")) {
                describe.add(statement);
            }
        }
        assertEquals(1, describe.size(), statements.toString());
        assertEquals(List.of("ecr:BatchGetImage", "ecr:DescribeImages"), asList(describe.get(0).get("Action")));
        List<Object> resources = asList(describe.get(0).get("Resource"));
        assertEquals(1, resources.size(), resources.toString());
        assertTrue(resources.get(0).toString().contains(REPOSITORY_ARN_SUFFIX), resources.toString());
        for (Map<String, Object> statement : statements) {
            assertFalse(asList(statement.get("Resource")).contains("*"), statement.toString());
        }
        template.hasResourceProperties("AWS::IAM::Role",
                Map.of("ManagedPolicyArns", Match.absent(), "Policies", Match.anyValue()));
    }

    /** Every statement of the inline policies of the role the provider function runs as. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> providerRoleStatements() {
        Map<String, Map<String, Object>> providers = template.findResources("AWS::Lambda::Function",
                Map.of("Properties", Map.of("Handler", "index.handler")));
        assertEquals(1, providers.size(), providers.toString());
        Map<String, Object> properties = (Map<String, Object>) providers.values().iterator().next().get("Properties");
        String roleId = (String) ((List<Object>) ((Map<String, Object>) properties.get("Role")).get("Fn::GetAtt")).get(0);
        Map<String, Object> resources = (Map<String, Object>) template.toJSON().get("Resources");
        Map<String, Object> role = (Map<String, Object>) ((Map<String, Object>) resources.get(roleId)).get("Properties");
        List<Map<String, Object>> statements = new ArrayList<>();
        for (Object policy : (List<Object>) role.getOrDefault("Policies", List.of())) {
            Map<String, Object> document = (Map<String, Object>) ((Map<String, Object>) policy).get("PolicyDocument");
            statements.addAll((List<Map<String, Object>>) document.get("Statement"));
        }
        return statements;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> asList(final Object value) {
        return value instanceof List ? (List<Object>) value : List.of(value);
    }
}
