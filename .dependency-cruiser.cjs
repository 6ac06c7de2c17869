// @ts-check
/**
 * Layer rules of docs/architecture.md#dependency-direction and STYLE practice 1, checked by `npm run lint`:
 *
 *   functions → shared/domain ← shared/adapters        lib (CDK) → functions' env schemas only
 *
 * The domain is pure (no AWS SDK, no middy, no CDK); adapters never reach up into entry points or
 * infrastructure; deployed code never reaches the local-only backend and dev tooling under scripts/local.
 * test/unit/architecture/dependency-rules.test.ts proves these rules pass on the code base and still bite.
 */

/** npm packages that mean "infrastructure" wherever they appear; resolved (node_modules/…) or not. */
const AWS_AND_FRAMEWORK_PACKAGES = [
  '(^|/node_modules/)@aws-sdk/',
  '(^|/node_modules/)@smithy/',
  '(^|/node_modules/)@middy/',
  '(^|/node_modules/)@aws-lambda-powertools/',
  '(^|/node_modules/)aws-cdk-lib(/|$)',
  '(^|/node_modules/)constructs(/|$)',
  // Lambda event shapes (@types/aws-lambda) belong to the handlers, not to the domain.
  '(^|/node_modules/)(@types/)?aws-lambda(/|$)',
];

/** Modules under shared/ that only build tooling (scripts/) imports: they may use devDependencies. */
const BUILD_TIME_ONLY = ['^shared/http/openapi\\.ts$'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment:
        'shared/domain holds pure logic, zod schemas and ports. It must not import adapters, HTTP plumbing, entry ' +
        'points, infrastructure or tooling, nor any AWS SDK, middy, Powertools or CDK package: put the ' +
        'technology in shared/adapters behind a port declared in the domain.',
      severity: 'error',
      from: { path: '^shared/domain/' },
      to: { path: ['^shared/(adapters|http)/', '^(functions|lib|scripts|bin)/', ...AWS_AND_FRAMEWORK_PACKAGES] },
    },
    {
      name: 'shared-does-not-import-entry-points',
      comment:
        'Code in shared/ (adapters, http, config, contracts) is used by functions and by lib; importing ' +
        'functions/ or lib/ from it turns the dependency direction around.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(functions|lib|bin)/' },
    },
    {
      name: 'functions-do-not-import-infrastructure',
      comment: 'Lambda entry points are bundled and deployed: CDK code (lib/) and dev tooling (scripts/) stay out.',
      severity: 'error',
      from: { path: '^functions/' },
      to: { path: '^(lib|bin|scripts)/' },
    },
    {
      name: 'lib-does-not-import-scripts',
      comment: 'Infrastructure definitions must not depend on dev tooling or the local stack.',
      severity: 'error',
      from: { path: '^(lib|bin)/' },
      to: { path: '^scripts/' },
    },
    {
      name: 'deployed-code-never-imports-local-stack',
      comment:
        'scripts/local holds the local-only backend (runs commands on the host) and dev tooling. Deployed code ' +
        '(functions/, shared/) must never import it, directly or through another module.',
      severity: 'error',
      from: { path: '^(functions|shared)/' },
      to: { path: '^scripts/local/', reachable: true },
    },
    {
      name: 'deployed-code-not-to-dev-dependency',
      comment:
        'Lambda bundles ship only what package.json "dependencies" lists; a devDependency is fine for types ' +
        '(e.g. aws-lambda event shapes) but not at run time. Build-time modules are listed in BUILD_TIME_ONLY.',
      severity: 'error',
      from: { path: '^(functions|shared)/', pathNot: BUILD_TIME_ONLY },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'functions-never-reach-build-time-modules',
      comment: 'Build-time modules (OpenAPI generation) use devDependencies: no Lambda entry may import them, even indirectly.',
      severity: 'error',
      from: { path: '^functions/' },
      to: { path: BUILD_TIME_ONLY, reachable: true },
    },
    {
      name: 'functions-do-not-import-other-functions',
      comment:
        "A function folder (functions/api/<fn>/) is one Lambda: it must not import another function's folder " +
        "(that would bundle the other function's code and blur which function owns what). What several " +
        'functions compose lives beside them (functions/api/*.ts: api-access, sign-in-composition, ...).',
      severity: 'error',
      from: { path: '^functions/api/([^/]+)/' },
      to: { path: '^functions/api/[^/]+/', pathNot: '^functions/api/$1/' },
    },
    {
      name: 'no-domain-folder-cycles',
      comment:
        'Domain folders form layers: when jobs imports quotas, nothing in quotas may import jobs, directly or through ' +
        'another folder. Move what both need down to a folder both can import (docs/architecture.md#domain-folders).',
      severity: 'error',
      scope: 'folder',
      from: { path: '^shared/domain/[^/]+$' },
      to: { path: '^shared/domain/[^/]+$', circular: true },
    },
    {
      name: 'no-circular',
      comment: 'Circular imports make module initialisation order matter and layers impossible to reason about.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that does not resolve fails at run time (or in the bundler); also keeps the rules above honest.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-non-package-json',
      comment: 'Import only packages declared in package.json, not ones that happen to be installed transitively.',
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
  ],
  options: {
    // Packages are reported as dependencies but not cruised into. Do not put node_modules in `exclude`: that
    // drops npm dependencies altogether and the package rules above would never fire.
    doNotFollow: { path: ['(^|/)node_modules/'] },
    exclude: { path: ['^(cdk\\.out|\\.tools|\\.local|\\.bench|dist|coverage|web)/'] },
    // Type-only imports count: a domain file importing a type from an adapter is still a wrong-way dependency.
    tsPreCompilationDeps: true,
    // Resolve like tsc does (moduleResolution Bundler, extensionless relative imports).
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.d.ts', '.js', '.mjs', '.cjs', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
