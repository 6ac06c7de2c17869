// @ts-check
import { defineConfig, globalIgnores } from 'eslint/config';
import { builtinRules } from 'eslint/use-at-your-own-risk';
import tseslint from 'typescript-eslint';

/**
 * ESLint for the whole repository (`npm run lint`). TypeScript is linted type-aware (typescript-eslint's
 * project service reads tsconfig.json), so the rules that catch real async bugs — floating and misused
 * promises, awaiting non-promises — apply. Layer boundaries are dependency-cruiser's job
 * (`.dependency-cruiser.cjs`); formatting is prettier's (`.prettierrc.json`).
 */

// `eslint:recommended`, built from the rules' own metadata: `@eslint/js` is not a dependency of ESLint 10.
const eslintRecommended = Object.fromEntries(
  [...builtinRules]
    .filter(([, rule]) => rule.meta?.docs?.recommended === true && !rule.meta.deprecated)
    .map(([name]) => [name, /** @type {const} */ ('error')]),
);

// Node's globals for the few plain-JS config files (TypeScript files get them from @types/node).
const nodeGlobals = /** @type {const} */ ({
  console: 'readonly',
  process: 'readonly',
  module: 'writable',
  require: 'readonly',
  __dirname: 'readonly',
  __filename: 'readonly',
  URL: 'readonly',
});

export default defineConfig(
  globalIgnores(
    ['node_modules/', 'cdk.out/', '.tools/', '.local/', '.bench/', 'dist/', 'coverage/', 'web/', 'docs/openapi.json'],
    'quartermaster/ignores',
  ),

  { name: 'quartermaster/eslint-recommended', files: ['**/*.{js,cjs,mjs,ts}'], rules: eslintRecommended },

  {
    name: 'quartermaster/typescript',
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // `_`-prefixed names are deliberately unused (placeholders in destructuring and signatures).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Async port implementations with synchronous bodies are fine: `async` turns a throw into a rejection.
      '@typescript-eslint/require-await': 'off',
      // A promise nobody awaits loses its errors: in Lambda that is a silently dropped write.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // Code outside its own folder is reached by Node subpath imports (package.json "imports": #domain/…,
      // #adapters/…, #http/…, #contracts/…, #config/…, #functions/…): a `../` path breaks when a file moves and
      // hides which layer it reaches into (dependency-cruiser's layer rules read the resolved paths).
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['../*', '../**'], message: 'Import across folders with a subpath import (#domain/…, #adapters/…, …), not ../' },
          ],
        },
      ],
      // Hygiene rather than bugs: reported, not blocking.
      '@typescript-eslint/no-unnecessary-type-assertion': 'warn',
      'preserve-caught-error': 'warn',
    },
  },

  {
    // With `verbatimModuleSyntax`, an import used only as a type still loads its module at run time. In a
    // Lambda bundle that is cold-start cost (docs/budgets.md), so deployed code marks type-only imports.
    name: 'quartermaster/deployed-code',
    files: ['functions/**/*.ts', 'shared/**/*.ts'],
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Classic zod (`'zod'`) costs ~97 KB minified in every Lambda bundle that reaches it through any import;
      // `zod/mini` is ~25 KB and builds the same schemas (same zod v4 core, same errors, same JSON Schema).
      // Deployed code therefore imports only `zod/mini`; type-only imports from 'zod' cost nothing and stay allowed.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'zod',
              allowTypeImports: true,
              message: "Use `import * as z from 'zod/mini'`: a value import of classic 'zod' puts all of it (~97 KB) in the Lambda bundle.",
            },
          ],
        },
      ],
    },
  },

  {
    name: 'quartermaster/tests',
    files: ['test/**/*.ts'],
    rules: {
      // Tests read untyped JSON (HTTP bodies, synthesized templates) and hand mocks' methods to `expect`.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },

  {
    name: 'quartermaster/plain-js',
    files: ['**/*.{js,cjs,mjs}'],
    languageOptions: { globals: nodeGlobals },
  },
  {
    name: 'quartermaster/commonjs',
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
);
