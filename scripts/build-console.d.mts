// Types of build-console.mjs, for the tests that build the console before using it.
/** Bundles console/ into outDir (default dist/console at the package root); returns outDir. */
export function buildConsole(outDir?: string): Promise<string>;
