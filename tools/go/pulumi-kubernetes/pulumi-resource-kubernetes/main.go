// The real Kubernetes provider, built from its Go module. The module's own main embeds
// schema-embed.json and terraform-mapping-embed.json, generated files that its module zip does not
// carry; tools/go/pulumi-kubernetes/generate writes them here from the module's schema.json and
// terraform-mapping.json (with the stamped version) just before `go build`. They are not committed.
package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version"
)

//go:embed schema-embed.json
var pulumiSchema []byte

//go:embed terraform-mapping-embed.json
var terraformMapping []byte

func main() {
	provider.Serve("kubernetes", version.Version, pulumiSchema, terraformMapping)
}
