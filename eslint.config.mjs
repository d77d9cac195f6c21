// ESLint flat config: typescript-eslint's recommended rules over every TypeScript file, and
// @pulumi/eslint-plugin (type-aware: an Output in a plain template literal is a bug, use
// pulumi.interpolate) over the program's code, where Outputs live. Type checking itself is
// `npm run typecheck`; lint looks for mistakes the compiler accepts.
import js from "@eslint/js";
import pulumi from "@pulumi/eslint-plugin";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

export default defineConfig(
  {
    ignores: ["node_modules/**", "bin/**", ".tmp/**", ".stryker-tmp/**", "reports/**", "**/*.d.ts", "policies/node_modules/**", "test/site/app/.next/**"],
  },
  {
    files: ["**/*.ts"],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: { parserOptions: { tsconfigRootDir: import.meta.dirname } },
    rules: {
      // The code's present convention: `any` at SDK and protocol boundaries (gRPC messages, mock
      // arguments, policy props); the compiler's strict mode checks the rest.
      "@typescript-eslint/no-explicit-any": "off",
      // Control characters in patterns are deliberate here: header, mail and log sanitisers strip them.
      "no-control-regex": "off",
      // require() where a module must load lazily or from a computed path (bundles, workers, fixtures).
      "@typescript-eslint/no-require-imports": "off",
      // Unused names are mistakes, except the deliberately ignored `_`-prefixed ones.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true }],
    },
  },
  {
    files: ["stacks/**/*.ts", "components/**/*.ts", "test/fixtures/**/*.ts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { "@pulumi": pulumi },
    rules: {
      "@pulumi/no-output-in-template-literal": "error",
      "@pulumi/no-output-instance-in-template-literal": "error",
    },
  },
  {
    files: ["**/*.js", "**/*.mjs", "**/*.cjs"],
    extends: [js.configs.recommended],
    rules: { "no-control-regex": "off" },
    languageOptions: { globals: { require: "readonly", module: "writable", process: "readonly", __dirname: "readonly", console: "readonly", Buffer: "readonly", URL: "readonly" } },
  },
  {
    // CloudFront Functions code: the runtime calls `handler`; the build prepends `var CONFIG = {...};`.
    files: ["functions/edge/cloudfront-function.js"],
    languageOptions: { sourceType: "script", globals: { CONFIG: "readonly" } },
    rules: { "no-unused-vars": ["error", { varsIgnorePattern: "^handler$", caughtErrors: "none" }] },
  },
);
