// ESLint flat config: typescript-eslint's recommended rules plus Pulumi's rule against
// Outputs in template literals (use pulumi.interpolate instead).
import tseslint from "typescript-eslint";
import pulumi from "@pulumi/eslint-plugin";

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "charts/", "**/*.js"] },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ["vitest.config.ts"] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { "@pulumi": pulumi },
    rules: {
      "@pulumi/no-output-in-template-literal": "error",
      "@pulumi/no-output-instance-in-template-literal": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  {
    // stacks/site-model/index.ts is the site-file model's one door; tests may reach inside.
    files: ["stacks/**/*.ts", "components/**/*.ts", "bench/**/*.ts"],
    ignores: ["stacks/site-model/**"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "site-model/(?!index\\.js$)",
              message: "import the site-file model through stacks/site-model/index.js",
            },
          ],
        },
      ],
    },
  },
);
