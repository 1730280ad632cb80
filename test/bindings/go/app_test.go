package bindingtest

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
)

// The checks of the TypeScript tests, from Go: one provider function for both
// lookups, image URIs with the @ digest separator, and a lookup role that may
// call ecr:DescribeImages and ecr:BatchGetImage (to read an image index) on the
// repository alone. The template is left in
// $CDK_OUTDIR (default cdk.out) for cfn-lint.
func synth(t *testing.T) assertions.Template {
	t.Helper()
	outdir := os.Getenv("CDK_OUTDIR")
	if outdir == "" {
		outdir = "cdk.out"
	}
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(outdir)})
	stack := NewServiceStack(app, "GoServiceStack")
	app.Synth(nil)
	return assertions.Template_FromStack(stack, nil)
}

func asList(value interface{}) []interface{} {
	if list, ok := value.([]interface{}); ok {
		return list
	}
	return []interface{}{value}
}

func TestServiceStack(t *testing.T) {
	template := synth(t)

	t.Run("one provider function serves both lookups", func(t *testing.T) {
		template.ResourceCountIs(jsii.String("Custom::ImageDigestLookup"), jsii.Number(2))
		template.ResourceCountIs(jsii.String("AWS::Lambda::Function"), jsii.Number(2))
		template.ResourcePropertiesCountIs(jsii.String("AWS::Lambda::Function"), map[string]interface{}{
			"Handler": "index.handler",
			"Runtime": assertions.Match_StringLikeRegexp(jsii.String("^nodejs")),
		}, jsii.Number(1))
		template.ResourcePropertiesCountIs(jsii.String("AWS::Lambda::Function"), map[string]interface{}{"PackageType": "Image"}, jsii.Number(1))
	})

	t.Run("container image names the digest after an at sign", func(t *testing.T) {
		tasks, _ := json.Marshal(template.FindResources(jsii.String("AWS::ECS::TaskDefinition"), nil))
		if !strings.Contains(string(tasks), "/api@sha256:") || strings.Contains(string(tasks), "/api:sha256") {
			t.Fatalf("task definition image is not repository@sha256:digest: %s", tasks)
		}
	})

	t.Run("lambda image uri names the digest after an at sign", func(t *testing.T) {
		template.HasResourceProperties(jsii.String("AWS::Lambda::Function"), map[string]interface{}{
			"PackageType": "Image",
			"Code": map[string]interface{}{"ImageUri": map[string]interface{}{"Fn::Join": []interface{}{"",
				assertions.Match_ArrayWith(&[]interface{}{assertions.Match_StringLikeRegexp(jsii.String("/api@sha256:$"))}),
			}}},
		})
	})

	t.Run("lookup role may describe images of the repository only", func(t *testing.T) {
		providers := *template.FindResources(jsii.String("AWS::Lambda::Function"), map[string]interface{}{
			"Properties": map[string]interface{}{"Handler": "index.handler"},
		})
		if len(providers) != 1 {
			t.Fatalf("want one provider function, got %d", len(providers))
		}
		var roleID string
		for _, provider := range providers {
			props := (*provider)["Properties"].(map[string]interface{})
			roleID = props["Role"].(map[string]interface{})["Fn::GetAtt"].([]interface{})[0].(string)
		}
		resources := (*template.ToJSON())["Resources"].(map[string]interface{})
		role := resources[roleID].(map[string]interface{})["Properties"].(map[string]interface{})
		if _, attached := role["ManagedPolicyArns"]; attached {
			t.Fatalf("the lookup role has managed policies: %v", role["ManagedPolicyArns"])
		}
		describe := 0
		for _, policy := range asList(role["Policies"]) {
			document := policy.(map[string]interface{})["PolicyDocument"].(map[string]interface{})
			for _, s := range asList(document["Statement"]) {
				statement := s.(map[string]interface{})
				targets := asList(statement["Resource"])
				for _, target := range targets {
					if target == "*" {
						t.Fatalf("statement grants on *: %v", statement)
					}
				}
				actions := asList(statement["Action"])
				for _, action := range actions {
					if action != "ecr:DescribeImages" {
						continue
					}
					describe++
					arn, _ := json.Marshal(targets)
					if fmt.Sprint(actions) != "[ecr:BatchGetImage ecr:DescribeImages]" || len(targets) != 1 || !strings.Contains(string(arn), ":ecr:eu-west-1:111111111111:repository/api") {
						t.Fatalf("DescribeImages is not granted on the repository alone: %v", statement)
					}
				}
			}
		}
		if describe != 1 {
			t.Fatalf("want one DescribeImages statement, got %d", describe)
		}
	})
}
