// Writes the two files pulumi-resource-kubernetes/main.go embeds, as the provider's own
// cmd/pulumi-resource-kubernetes/generate.go does: the package schema with its version set to the
// version we stamp (so `pulumi package get-schema` and the SDK agree), and the terraform mapping,
// both compacted. Run by tools/build-go-tool.sh with TOOL_VERSION and MODULE_DIR set.
package main

import (
	"encoding/json"
	"log"
	"os"
	"path/filepath"
)

func main() {
	version := os.Getenv("TOOL_VERSION")
	moduleDir := os.Getenv("MODULE_DIR")
	if version == "" || moduleDir == "" {
		log.Fatal("TOOL_VERSION and MODULE_DIR must be set")
	}
	source := filepath.Join(moduleDir, "cmd", "pulumi-resource-kubernetes")

	var schema map[string]json.RawMessage
	read(filepath.Join(source, "schema.json"), &schema)
	stamped, err := json.Marshal(version)
	if err != nil {
		log.Fatal(err)
	}
	schema["version"] = stamped
	write("pulumi-resource-kubernetes/schema-embed.json", schema)

	var mapping any
	read(filepath.Join(source, "terraform-mapping.json"), &mapping)
	write("pulumi-resource-kubernetes/terraform-mapping-embed.json", mapping)
}

func read(path string, into any) {
	contents, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	if err := json.Unmarshal(contents, into); err != nil {
		log.Fatalf("%s: %v", path, err)
	}
}

func write(path string, value any) {
	contents, err := json.Marshal(value)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(path, contents, 0o644); err != nil {
		log.Fatal(err)
	}
}
