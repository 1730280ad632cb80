package io.github.cdkimagedigestlookup.bindingtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** PinImageDigests from Java: an app written with tags, pinned in one line. */
class ExistingStackTest {
    private static final String OUTDIR = "target/pinned.cdk.out";

    private static ExistingStack stack;
    private static Template template;

    @BeforeAll
    static void synthesize() {
        stack = ExistingStack.synthPinned(OUTDIR);
        template = Template.fromStack(stack);
    }

    @Test
    @SuppressWarnings("unchecked")
    void eachRepositoryAndTagGetsOneLookupTheArm64FunctionItsPlatform() {
        List<String> found = new ArrayList<>();
        for (Map<String, Object> lookup : template.findResources("Custom::ImageDigestLookup").values()) {
            Map<String, Object> properties = (Map<String, Object>) lookup.get("Properties");
            found.add(properties.get("Tag") + " " + properties.getOrDefault("Platform", "-"));
        }
        Collections.sort(found);
        assertEquals(List.of("main -", "worker linux/arm64"), found);
    }

    @Test
    void ecrReferencesNameDigestsAndDockerHubStays() {
        String tasks = template.findResources("AWS::ECS::TaskDefinition").toString();
        assertTrue(tasks.contains("/api@sha256:"), tasks);
        assertFalse(tasks.contains("/api:main"), tasks);
        assertTrue(tasks.contains("Image=" + ExistingStack.DOCKER_HUB_IMAGE), tasks);
        String functions = template.findResources("AWS::Lambda::Function", Map.of("Properties", Map.of("PackageType", "Image"))).toString();
        assertTrue(functions.contains("/api@sha256:"), functions);
    }

    @Test
    void dockerHubImageIsAnnotated() {
        Annotations.fromStack(stack).hasWarning("/JavaExistingStack/Task/Resource",
                Match.stringLikeRegexp("datadog/agent:7 .*which is not pinned: its registry is not ECR"));
    }

    @Test
    void summaryListsEveryReference() throws IOException {
        String summary = Files.readString(Path.of(OUTDIR, "image-digest-pins.json"));
        Matcher statuses = Pattern.compile("\"status\": \"(\\w+)\"").matcher(summary);
        List<String> found = new ArrayList<>();
        while (statuses.find()) {
            found.add(statuses.group(1));
        }
        Collections.sort(found);
        assertEquals(List.of("pinned", "pinned", "skipped"), found);
    }
}
