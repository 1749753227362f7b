// The console's entry point: a hash router (#/, #/group/ARN, #/dataset/ARN, #/import/ARN,
// #/solution/ARN, #/campaign/ARN, #/recommender/ARN, #/batch/ARN), the
// header bar (who is signed in; account and region pickers in open mode), the sign-in form when
// credentials are configured, and the polling that keeps statuses live.
import type { WhoAmI } from '../../src/console/console-api-types.ts';
import { ApiFailure, get, scope, signIn, signOut, SignInRequired } from './api.ts';
import { h } from './dom.ts';
import { batchJobView } from './batch-view.ts';
import { servingView } from './serving-view.ts';
import { solutionView } from './solution-view.ts';
import { datasetView, groupsView, groupView, importView, type View } from './views.ts';

const POLL_MS = 1500;
const app = document.getElementById('app')!;
const who = document.getElementById('who')!;
let current: { route: string; view: View } | undefined;
let timer: ReturnType<typeof setTimeout> | undefined;

const saved = sessionStorage.getItem('openpersonalize-scope');
if (saved) Object.assign(scope, JSON.parse(saved));
const saveScope = () => sessionStorage.setItem('openpersonalize-scope', JSON.stringify(scope));

function header(me: WhoAmI): void {
  if (me.mode === 'credentials') {
    who.replaceChildren(
      `${me.accessKeyId} · account ${me.account} · ${me.region} `,
      h(
        'button',
        {
          onclick: async () => {
            await signOut();
            location.hash = '#/';
            void route();
          },
        },
        'Sign out',
      ),
    );
    return;
  }
  const account = h('input', { value: me.account, size: 13, 'aria-label': 'account', pattern: '\\d{12}' });
  const region = h('input', { value: me.region, size: 14, 'aria-label': 'region' });
  const apply = () => {
    scope.account = account.value.trim();
    scope.region = region.value.trim();
    saveScope();
    location.hash = '#/';
    void route();
  };
  who.replaceChildren('open mode · account ', account, ' region ', region, ' ', h('button', { onclick: apply }, 'Show'));
}

function signInForm(message: string): HTMLElement {
  const key = h('input', { name: 'accessKeyId', autocomplete: 'username', required: true });
  const secret = h('input', { name: 'secretAccessKey', type: 'password', autocomplete: 'current-password', required: true });
  const region = h('input', { name: 'region', value: scope.region ?? 'us-east-1', required: true });
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h(
    'form',
    { class: 'signin' },
    h('h2', {}, 'Sign in'),
    h('p', { class: 'muted' }, message),
    h('label', {}, 'Access key id', key),
    h('label', {}, 'Secret access key', secret),
    h('label', {}, 'Region', region),
    h('button', { type: 'submit' }, 'Sign in'),
    error,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await signIn(key.value.trim(), secret.value, region.value.trim());
      // The session remembers the region; a region picked before must not override it.
      delete scope.region;
      saveScope();
      void route();
    } catch (err) {
      error.textContent = err instanceof Error ? err.message : String(err);
    }
  });
  return form;
}

async function viewFor(hash: string): Promise<View> {
  const [, kind, arn] = /^#\/(group|dataset|import|solution|campaign|recommender|batch)\/(.+)$/.exec(hash) ?? [];
  const id = arn ? decodeURIComponent(arn) : '';
  if (kind === 'group') return groupView(id);
  if (kind === 'solution') return solutionView(id);
  if (kind === 'campaign' || kind === 'recommender') return servingView(kind, id);
  if (kind === 'batch') return batchJobView(id);
  if (kind === 'dataset') return datasetView(id);
  if (kind === 'import') return importView(id);
  return groupsView();
}

function poll(): void {
  clearTimeout(timer);
  timer = setTimeout(async () => {
    const shown = current;
    // Polling stops on a hidden tab and resumes when it is shown again.
    if (shown && !document.hidden) await shown.view.refresh().catch(() => undefined);
    if (shown === current) poll();
  }, POLL_MS);
}

async function route(): Promise<void> {
  const hash = location.hash || '#/';
  clearTimeout(timer);
  current = undefined;
  try {
    header(await get<WhoAmI>('whoami'));
    const view = await viewFor(hash);
    if ((location.hash || '#/') !== hash) return; // the user moved on meanwhile
    current = { route: hash, view };
    app.replaceChildren(view.el);
    poll();
  } catch (e) {
    if (e instanceof SignInRequired) {
      who.replaceChildren('not signed in');
      app.replaceChildren(signInForm(e.message));
    } else {
      app.replaceChildren(
        h('p', { class: 'error' }, e instanceof ApiFailure ? e.message : `Unexpected error: ${String(e)}`),
        h('p', {}, h('a', { href: '#/' }, 'Back to dataset groups')),
      );
    }
  }
}

window.addEventListener('hashchange', () => void route());
document.addEventListener('visibilitychange', () => !document.hidden && current && void current.view.refresh());
void route();
