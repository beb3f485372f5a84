// ESLint (flat config) for the extension's JavaScript, the Node unit tests and the build's Node checks (run by `make lint`, part of `make test`).
import js from "@eslint/js";
import globals from "globals";

export default [
  js.configs.recommended,
  {
    files: ["extension/**/*.js"],
    languageOptions: {
      ecmaVersion: 2025,
      sourceType: "module",
      globals: { ...globals.browser, ...globals.serviceworker, chrome: "readonly" },
    },
    rules: {
      "no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "no-unused-expressions": ["error", { allowTernary: true }],
      eqeqeq: ["error", "always"],
    },
  },
  {
    files: ["tests/js/**/*.mjs", "build/**/*.mjs"],
    languageOptions: { ecmaVersion: 2025, sourceType: "module", globals: { ...globals.node } },
  },
];
