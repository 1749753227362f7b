// Dependency rules for src/ (run with `npm run check:deps`; part of `npm test`).
//
// The rules cover src/ only: test/ and bench/ may import anything (they build services from
// concrete backends, reach into internals, etc.), so they are not cruised.
//
// Parsing: this repo uses TypeScript 7, which has no JavaScript compiler API, so
// dependency-cruiser's `tsc` parser is unavailable; it parses .ts with @swc/core instead
// (`parser: 'swc'`). The swc extractor reports every import declaration, `import type` included,
// so the circular rule below also catches cycles made of type-only imports.

/** Folders of the outer layers: the process entry point, the wiring and the web console. */
const OUTER = '^src/(composition|main|console)/';

/**
 * What job work (src/data/jobs/, src/training/, src/serving/) may take from src/resources/: the
 * families' stored documents (`*-record.ts`) and the shared status tables. Anything else in
 * resources/ is request handling that the work must not depend on.
 */
const RESOURCES_EXCEPT_RECORDS = {
  path: '^src/resources/',
  pathNot: ['^src/resources/.+-record\\.ts$', '^src/resources/shared/status-table\\.ts$'],
};

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'Cycles (type-only imports included) make load order fragile and the layering meaningless: ' +
        'a module that depends on itself through others cannot be understood, tested or moved alone.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'data-not-to-upper-layers',
      severity: 'error',
      comment:
        'src/data/ (schema, engine, generations, sources, records) is the storage layer: it must not ' +
        'know about the resource families, the job runner, training, serving or the wiring. Only ' +
        'src/data/jobs/ (job work) has its own, separate rule.',
      from: { path: '^src/data/', pathNot: '^src/data/jobs/' },
      to: { path: '^src/(resources|jobs|training|serving|composition|main|console)/' },
    },
    {
      name: 'data-jobs-only-records-from-resources',
      severity: 'error',
      comment:
        'Job work in src/data/jobs/ runs outside a request: from src/resources/ it may use only the ' +
        "families' stored documents (*-record.ts) and shared/status-table.ts, not operations or rules.",
      from: { path: '^src/data/jobs/' },
      to: RESOURCES_EXCEPT_RECORDS,
    },
    {
      name: 'data-jobs-not-to-outer-layers',
      severity: 'error',
      comment: 'Job work is wired by src/composition/; it must not import the wiring, the entry point or the console.',
      from: { path: '^src/data/jobs/' },
      to: { path: OUTER },
    },
    {
      name: 'training-serving-only-records-from-resources',
      severity: 'error',
      comment:
        'Like src/data/jobs/: training and serving work may take from src/resources/ only the stored ' +
        'documents (*-record.ts) and shared/status-table.ts.',
      from: { path: '^src/(training|serving)/' },
      to: RESOURCES_EXCEPT_RECORDS,
    },
    {
      name: 'training-serving-not-to-outer-layers',
      severity: 'error',
      comment: 'Training and serving work is wired by src/composition/; it must not import the wiring, the entry point or the console.',
      from: { path: '^src/(training|serving)/' },
      to: { path: OUTER },
    },
    {
      name: 'resources-not-to-work-or-outer-layers',
      severity: 'error',
      comment:
        'Resource families (request handling) start work through the job runner and their records; ' +
        'they must not import the work itself (src/data/jobs/, *-work.ts in training/serving), nor the ' +
        'wiring, the entry point or the console, which depend on them.',
      from: { path: '^src/resources/' },
      to: {
        path: ['^src/data/jobs/', '^src/training/.*-work\\.ts$', '^src/serving/.*-work\\.ts$', OUTER],
      },
    },
    {
      name: 'protocol-only-protocol-and-api',
      severity: 'error',
      comment:
        'src/protocol/ (HTTP, SigV4, the JSON protocols, the service model) is generic wire machinery: ' +
        'it may use only itself, src/api/ and node built-ins, never the resource families or storage.',
      from: { path: '^src/protocol/' },
      to: { pathNot: ['^src/(protocol|api)/'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'api-only-handler-types',
      severity: 'error',
      comment:
        'src/api/ declares the wire API; from outside itself it may use only src/protocol/handler-types.ts ' +
        '(and node built-ins), so that it stays a plain description that anything can import.',
      from: { path: '^src/api/' },
      to: { pathNot: ['^src/api/', '^src/protocol/handler-types\\.ts$'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'config-imports-nothing-from-src',
      severity: 'error',
      comment: 'src/config/ (reading settings) is a leaf: everything may import it, so it imports nothing else from src/.',
      from: { path: '^src/config/' },
      to: { path: '^src/', pathNot: '^src/config/' },
    },
    {
      name: 'jobs-only-catalog-and-status-table',
      severity: 'error',
      comment:
        'src/jobs/ (the generic job runner) knows only the catalog interface and the status tables, ' +
        'plus node built-ins: what a job does is given to it, so it must not import the work or the families.',
      from: { path: '^src/jobs/' },
      to: {
        pathNot: ['^src/jobs/', '^src/catalog/catalog\\.ts$', '^src/resources/shared/status-table\\.ts$'],
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'catalog-backends-only-from-composition',
      severity: 'error',
      comment:
        'The concrete catalogs (SQLite, Postgres) and the factory choosing one are picked by the wiring ' +
        'in src/composition/; everything else uses the Catalog interface (src/catalog/catalog.ts).',
      from: { path: '^src/', pathNot: ['^src/composition/', '^src/catalog/'] },
      to: {
        path: [
          '^src/catalog/sqlite/sqlite-catalog\\.ts$',
          '^src/catalog/postgres/postgres-catalog\\.ts$',
          '^src/catalog/open-catalog\\.ts$',
        ],
      },
    },
    {
      name: 'object-store-backends-only-from-composition',
      severity: 'error',
      comment:
        'The concrete object stores (local directory, S3) and the factory choosing one are picked by ' +
        'the wiring in src/composition/; everything else uses the ObjectStore interface (src/object-store/object-store.ts).',
      from: { path: '^src/', pathNot: ['^src/composition/', '^src/object-store/'] },
      to: {
        path: ['^src/object-store/local-dir-store\\.ts$', '^src/object-store/s3-store\\.ts$', '^src/object-store/open-object-store\\.ts$'],
      },
    },
    {
      name: 'src-not-to-tests',
      severity: 'error',
      comment:
        'Shipped code must not depend on tests or test helpers: they are not built into dist/ and pull test-only code into the service.',
      from: { path: '^src/' },
      to: { path: ['\\.test\\.ts$', '^test/'] },
    },
  ],
  options: {
    // `npm run check:deps` cruises src/ only. npm packages are not followed (they still show
    // as dependencies, so the "only ..." rules above see them). Nothing is excluded: a src/ file
    // importing test/ must stay visible to src-not-to-tests.
    doNotFollow: { path: ['node_modules'] },
    // TypeScript 7 has no JS API; parse .ts with swc (see the header).
    parser: 'swc',
    // Keep imports that vanish after compilation (import type, type-only re-exports): the
    // circular rule covers them too.
    tsPreCompilationDeps: true,
    // Harmless without a TypeScript JS API (dependency-cruiser then ignores it); kept so a
    // future TypeScript with one picks up the project's settings.
    tsConfig: { fileName: 'tsconfig.json' },
    moduleSystems: ['es6', 'cjs'],
    enhancedResolveOptions: {
      // Imports are written with their .ts extension (allowImportingTsExtensions).
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types'],
    },
    skipAnalysisNotInRules: true,
  },
};
