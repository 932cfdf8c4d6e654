import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

/**
 * Lint rules that keep the extension safe: no HTML strings into the DOM (page data is
 * untrusted), no code from strings, no floating promises, no `any` in message payloads.
 */
const unsafeDom = [
  { selector: "MemberExpression[property.name=/^(innerHTML|outerHTML)$/]", message: "Never write HTML strings into the DOM: build nodes or use JSX." },
  { selector: "CallExpression[callee.property.name='insertAdjacentHTML']", message: "Never write HTML strings into the DOM: build nodes or use JSX." },
  { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: "Never write HTML strings into the DOM." },
  { selector: "Property[key.name='dangerouslySetInnerHTML']", message: "Never write HTML strings into the DOM." },
  { selector: "CallExpression[callee.property.name='write'][callee.object.name='document']", message: "No document.write." },
];

export default tseslint.config(
  { ignores: [".output/**", ".output-*/**", ".wxt/**", "node_modules/**", "test-results/**", "playwright-report/**", "demo-output/**", "bench-output/**", "tests/fake-hub/assets/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "no-restricted-syntax": ["error", ...unsafeDom],
      "no-eval": "error",
      "no-implied-eval": "error",
      "no-new-func": "error",
      "@typescript-eslint/no-implied-eval": "error",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { arguments: false, attributes: false } }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "error",
    },
  },
  {
    // Tests and scripts run in Node against our own fake Hub; they may use looser typing on
    // recorded JSON, but never the DOM-writing sinks above.
    files: ["tests/**", "scripts/**", "*.config.ts", "*.config.js"],
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/require-await": "off",
      "@typescript-eslint/unbound-method": "off",
      "no-empty-pattern": "off",
    },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ["scripts/**", "*.config.js"],
    languageOptions: { globals: globals.node },
  },
);
