// Generates the API types, handler signatures and coverage from the vendored botocore models:
//   node --import tsx scripts/generate-api.ts           writes the files (npm run generate:api)
//   node --import tsx scripts/generate-api.ts --check   fails if any on disk differs (npm run check:api)
// Inputs: spec/<service>/<version>/service-2.json and src/api/implemented-operations.json.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { renderCoverageIndex, renderCoverageMarkdown, renderHandlers } from './api-gen/render-handlers.ts';
import { renderTypes } from './api-gen/render-types.ts';
import { PERSONALIZE_PARTS, renderTypeParts } from './api-gen/type-parts.ts';
import { GENERATED_HEADER, IMPLEMENTED_FILE, loadServices, modelPath } from './api-gen/services.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Every generated file, by path relative to the repository root, with its content. */
export function generateApi(root = REPO_ROOT): Map<string, string> {
  const services = loadServices(root);
  const files = new Map<string, string>();
  for (const s of services) {
    const header = GENERATED_HEADER([modelPath(s)]);
    // Personalize's model is large: its types are split by resource (type-parts.ts).
    if (s.service === 'personalize')
      for (const [path, text] of renderTypeParts(s.model, s.service, header, PERSONALIZE_PARTS)) files.set(path, text);
    else files.set(`src/api/${s.service}-types.ts`, renderTypes(s.model, header));
    files.set(`src/api/${s.service}-handlers.ts`, renderHandlers(s, GENERATED_HEADER([modelPath(s), IMPLEMENTED_FILE])));
  }
  const all = GENERATED_HEADER(['spec/*/*/service-2.json', IMPLEMENTED_FILE]);
  files.set('src/api/operation-coverage.ts', renderCoverageIndex(services, all));
  files.set('COVERAGE.md', renderCoverageMarkdown(services, all));
  return files;
}

/** The generated files that are missing on disk or differ from what the generator makes now. */
export function checkApi(root = REPO_ROOT): string[] {
  const stale: string[] = [];
  for (const [path, content] of generateApi(root)) {
    const file = join(root, path);
    if (!existsSync(file) || readFileSync(file, 'utf8') !== content) stale.push(path);
  }
  return stale;
}

function main(args: string[]): number {
  if (args.includes('--check')) {
    const stale = checkApi();
    if (stale.length === 0) return 0;
    process.stderr.write(
      `check:api: these generated files are out of date with spec/ and ${IMPLEMENTED_FILE}:\n${stale.map((p) => `  ${p}\n`).join('')}` +
        'Run `npm run generate:api` and commit the result (never edit them by hand).\n',
    );
    return 1;
  }
  let written = 0;
  for (const [path, content] of generateApi()) {
    const file = join(REPO_ROOT, path);
    // Unchanged files are left alone so that their timestamps (and watchers) are undisturbed.
    if (existsSync(file) && readFileSync(file, 'utf8') === content) continue;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    process.stdout.write(`wrote ${path}\n`);
    written++;
  }
  if (written === 0) process.stdout.write('generate:api: everything is up to date\n');
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`generate-api: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  }
}
