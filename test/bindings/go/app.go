// Package bindingtest is the README's quick start in Go, written against the
// module that jsii-pacmak generates: a Fargate task and a Lambda function, each
// pinned to the digest its tag points to at deploy time.
package bindingtest

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdk-image-digest-lookup/cdk-image-digest-lookup-go/cdkimagedigestlookup"
)

// NewServiceStack defines two lookups of one repository: a container image and a Lambda image.
func NewServiceStack(scope constructs.Construct, id string) awscdk.Stack {
	stack := awscdk.NewStack(scope, jsii.String(id), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("eu-west-1")},
	})
	repository := awsecr.Repository_FromRepositoryName(stack, jsii.String("Repo"), jsii.String("api"))

	api := cdkimagedigestlookup.NewImageDigestLookup(stack, jsii.String("Api"), &cdkimagedigestlookup.ImageDigestLookupProps{
		Repository: repository,
		Tag:        jsii.String("main"),
	})
	task := awsecs.NewFargateTaskDefinition(stack, jsii.String("Task"), nil)
	task.AddContainer(jsii.String("api"), &awsecs.ContainerDefinitionOptions{
		Image:        api.ContainerImage(),
		PortMappings: &[]*awsecs.PortMapping{{ContainerPort: jsii.Number(8080)}},
	})

	worker := cdkimagedigestlookup.NewImageDigestLookup(stack, jsii.String("Worker"), &cdkimagedigestlookup.ImageDigestLookupProps{
		Repository: repository,
		Tag:        jsii.String("worker"),
	})
	awslambda.NewDockerImageFunction(stack, jsii.String("WorkerFn"), &awslambda.DockerImageFunctionProps{
		Code: worker.DockerImageCode(nil),
	})
	return stack
}
