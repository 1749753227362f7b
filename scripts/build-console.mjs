// Builds the web console's front end (console/) into dist/console/: one ES module bundle made by
// esbuild from plain TypeScript, plus the page and its stylesheet. Takes well under a second, so
// `npm start` and `npm test` run it every time. Usable as a script or as a module (the console
// tests call buildConsole() so that a single test file works on a fresh checkout).
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function buildConsole(outDir = join(root, 'dist', 'console')) {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [join(root, 'console', 'src', 'main.ts')],
    outfile: join(outDir, 'app.js'),
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    logLevel: 'warning',
  });
  copyFileSync(join(root, 'console', 'index.html'), join(outDir, 'index.html'));
  copyFileSync(join(root, 'console', 'style.css'), join(outDir, 'style.css'));
  return outDir;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = await buildConsole();
  console.error(`openpersonalize: console built into ${out}`);
}
