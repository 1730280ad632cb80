package io.github.cdkimagedigestlookup.bindingtest;

import io.github.cdkimagedigestlookup.ImageDigestLookup;
import java.util.List;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ecr.IRepository;
import software.amazon.awscdk.services.ecr.Repository;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.PortMapping;
import software.amazon.awscdk.services.lambda.DockerImageFunction;
import software.constructs.Construct;

/**
 * The README's quick start in Java: a Fargate task and a Lambda function, each
 * pinned to the digest its tag points to at deploy time. Synthesizing it needs
 * no AWS credentials, no network and no Docker.
 */
public class ServiceStack extends Stack {
    /** The account and region the checks expect in ARNs and image URIs. */
    public static final Environment ENV = Environment.builder().account("111111111111").region("eu-west-1").build();

    public ServiceStack(final Construct scope, final String id, final StackProps props) {
        super(scope, id, props);
        IRepository repository = Repository.fromRepositoryName(this, "Repo", "api");

        ImageDigestLookup api = ImageDigestLookup.Builder.create(this, "Api").repository(repository).tag("main").build();
        FargateTaskDefinition task = new FargateTaskDefinition(this, "Task");
        task.addContainer("api", ContainerDefinitionOptions.builder()
                .image(api.containerImage())
                .portMappings(List.of(PortMapping.builder().containerPort(8080).build()))
                .build());

        ImageDigestLookup worker = ImageDigestLookup.Builder.create(this, "Worker").repository(repository).tag("worker").build();
        DockerImageFunction.Builder.create(this, "WorkerFn").code(worker.dockerImageCode()).build();
    }

    /** Synthesizes the app into {@code outdir} and returns its stack. */
    public static ServiceStack synth(final String outdir) {
        App app = new App(AppProps.builder().outdir(outdir).build());
        ServiceStack stack = new ServiceStack(app, "JavaServiceStack", StackProps.builder().env(ENV).build());
        app.synth();
        return stack;
    }

    public static void main(final String[] args) {
        synth(System.getenv().getOrDefault("CDK_OUTDIR", "cdk.out"));
    }
}
