package io.github.cdkimagedigestlookup.bindingtest;

import io.github.cdkimagedigestlookup.PinImageDigests;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ecr.IRepository;
import software.amazon.awscdk.services.ecr.Repository;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.DockerImageCode;
import software.amazon.awscdk.services.lambda.DockerImageFunction;
import software.amazon.awscdk.services.lambda.EcrImageCodeProps;
import software.constructs.Construct;

/**
 * Images by tag, as apps are written before they pin anything, and a Docker
 * Hub sidecar: {@link #synthPinned} pins the app in one line.
 */
public class ExistingStack extends Stack {
    /** The sidecar's image, which no lookup can pin. */
    public static final String DOCKER_HUB_IMAGE = "datadog/agent:7";

    public ExistingStack(final Construct scope, final String id, final StackProps props) {
        super(scope, id, props);
        IRepository repository = Repository.fromRepositoryName(this, "Repo", "api");
        FargateTaskDefinition task = new FargateTaskDefinition(this, "Task");
        task.addContainer("api", ContainerDefinitionOptions.builder()
                .image(ContainerImage.fromEcrRepository(repository, "main"))
                .build());
        task.addContainer("metrics", ContainerDefinitionOptions.builder()
                .image(ContainerImage.fromRegistry(DOCKER_HUB_IMAGE))
                .memoryLimitMiB(256)
                .build());
        DockerImageFunction.Builder.create(this, "WorkerFn")
                .code(DockerImageCode.fromEcr(repository, EcrImageCodeProps.builder().tagOrDigest("worker").build()))
                .architecture(Architecture.ARM_64)
                .build();
    }

    /** Synthesizes the app, pinned by {@code PinImageDigests.applyTo(app)}, into {@code outdir}. */
    public static ExistingStack synthPinned(final String outdir) {
        App app = new App(AppProps.builder().outdir(outdir).build());
        ExistingStack stack = new ExistingStack(app, "JavaExistingStack", StackProps.builder().env(ServiceStack.ENV).build());
        PinImageDigests.applyTo(app);
        app.synth();
        return stack;
    }
}
