// Headless Chromium for the console's browser tests: Debian's chromium package (installed here on
// first use if missing, never a browser downloaded by Playwright), driven by playwright-core.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

// Without the background-networking flags Chromium keeps trying Google's hosts, which this
// machine's closed network refuses many times a second.
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Installs Debian's chromium when it is missing (root and Debian's registry needed; ~70 s seen). */
export function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  const started = Date.now();
  process.stderr.write('console tests: installing Debian chromium (apt-get) ...\n');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-q'],
    ['install', '-y', '-q', 'chromium'],
  ]) {
    const r = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
    if (r.status !== 0)
      throw new Error(`apt-get ${args.join(' ')} failed (exit ${r.status}); install the chromium package to run the console tests`);
  }
  process.stderr.write(`console tests: chromium installed in ${Math.round((Date.now() - started) / 1000)} s\n`);
}

export async function launchChromium(): Promise<Browser> {
  ensureChromium();
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Playwright gives every launch a new, empty profile of its own (it refuses --user-data-dir).
    args: CHROMIUM_ARGS,
  });
}
