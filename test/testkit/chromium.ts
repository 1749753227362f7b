// Headless Chromium for the console's browser tests: Debian's chromium package (installed here on
// first use if missing, never a browser downloaded by Playwright), driven by playwright-core.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/** Debian's chromium package is installed and configured (the binary appears before dpkg has finished). */
function installed(): boolean {
  if (!existsSync(CHROMIUM)) return false;
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', 'chromium'], { encoding: 'utf8' });
  // Not a Debian package manager: the binary is all there is to check.
  return r.error !== undefined || r.stdout.includes('install ok installed');
}

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Where one test process installs chromium while the others (the test files run two at a time) wait. */
const INSTALL_LOCK = join(tmpdir(), 'openpersonalize-chromium-install.lock');
const STALE_LOCK_MS = 10 * 60_000;

/** Installs Debian's chromium when it is missing (root and Debian's registry needed; ~70 s seen), once for all test processes. */
export function ensureChromium(): void {
  for (;;) {
    if (installed()) return;
    try {
      mkdirSync(INSTALL_LOCK);
      break;
    } catch {
      // Another process installs: wait for it (or take over a lock a crashed process left behind).
      const lock = statSync(INSTALL_LOCK, { throwIfNoEntry: false });
      if (lock && Date.now() - lock.mtimeMs > STALE_LOCK_MS) rmSync(INSTALL_LOCK, { recursive: true, force: true });
      sleepSync(1000);
    }
  }
  try {
    if (installed()) return;
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
  } finally {
    rmSync(INSTALL_LOCK, { recursive: true, force: true });
  }
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
