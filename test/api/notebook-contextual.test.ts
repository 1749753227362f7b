// AWS's contextual-recommendations notebook (aws-samples/amazon-personalize-samples,
// next_steps/core_use_cases/user_personalization/user-personalization-with-contextual-recommendations.ipynb),
// its boto3 cells as written, run by the machine's python3 against the service
// (test/api/boto3_notebook_contextual.py): Skytrax-shaped airline reviews made into an Interactions
// dataset with a categorical CABIN_TYPE and a Users dataset with NATIONALITY; an
// aws-user-personalization solution with performHPO, its metrics and a campaign; the notebook's
// GetRecommendations with context {CABIN_TYPE: c} for its five context_options (its 'None' column
// asks with the value 'None': the function's `context=='none'` never matches) for three sampled
// users; an event tracker and three Economy ratings sent with PutEvents, each followed by the
// user's Economy recommendations. The notebook has no clean-up cells. The script adds the same
// requests (and the plain one) for 20 users and measures in each list the share of "economy
// airlines". Asserted here: what the service built, that the lists differ by context and lean to
// the airlines reviewed in that cabin, and that no context or an unknown value gives the plain list.
//
// The data (see the script): low-cost carriers are reviewed about 90 % in Economy, full-service
// carriers mostly in Business Class and First Class; leisure flyers keep to the former, business
// flyers to the latter.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { METRIC_NAMES } from '../../src/training/metrics/ranking-metrics.ts';
import { runNotebook } from '../testkit/python-notebook.ts';
import { startTestService, type TestService } from '../testkit/service-harness.ts';

const ACCOUNT = '210000000027';
const RECIPE = 'arn:aws:personalize:::recipe/aws-user-personalization';
// The notebook's context_options, in its order.
const CONTEXT_OPTIONS = ['None', 'Economy', 'Business Class', 'Premium Economy', 'First Class'] as const;
const CABINS = CONTEXT_OPTIONS.slice(1);
type Lists = Record<string, string[]>;

interface Summary {
  datasetGroup: string;
  datasets: { interactions: string; users: string };
  imports: { interactions: [string, string | null]; users: [string, string | null] };
  files: {
    reviews: number;
    interactionsHeader: string;
    interactionsRows: string[];
    usersHeader: string;
    usersRows: number;
    distinctUsersInUsersFile: number;
    interactionsBeforeDropna: number;
    interactions: number;
    users: number;
    usersWithTwo: number;
    airlines: number;
    nullsBefore: boolean;
    nullsAfter: boolean;
  };
  cabinTypes: (string | null)[];
  arbTimestamp: { date: string; unix: number };
  economyAirlines: string[];
  economyShareOfReviews: { 'low-cost': number; 'full-service': number };
  recipes: string[];
  solution: {
    name: string;
    status: string;
    recipeArn: string;
    performHPO: boolean;
    version: {
      status: string;
      trainingMode: string;
      performHPO: boolean;
      tunedHPOParams?: { algorithmHyperParameters?: Record<string, string> };
      failureReason: string | null;
    };
  };
  metrics: { keys: string[]; values: Record<string, number>; solutionVersionArn: boolean };
  campaign: { name: string; status: string; minProvisionedTPS: number; solutionVersionArn: string };
  notebookUsers: { user: string; columns: Lists; plain: string[] }[];
  contextComparison: {
    users: number;
    listLengths: number[];
    economyShare: Record<'plain' | 'otherCase' | (typeof CONTEXT_OPTIONS)[number], number>;
    economyAboveBusiness: number;
    economyDiffersFromBusiness: number;
    economyDiffersFromPlain: number;
    noneMatchesPlain: number;
    otherCaseMatchesEconomy: number;
    example: { user: string; lists: Lists };
  };
  tracker: { name: string; status: string; trackingId: string; datasetGroupArn: string };
  trackingIdMatches: boolean;
  sessions: number;
  realTime: { user: string; airlines: string[]; columns: Lists; beforeEconomy: string[] };
}

describe("AWS's contextual-recommendations notebook, its cells as written (boto3)", () => {
  let svc: TestService;
  const scratchRoot = mkdtempSync(join(tmpdir(), 'openpersonalize-notebooks-'));
  let s: Summary;
  before(async () => {
    svc = await startTestService();
    s = await runNotebook<Summary>(svc, 'boto3_notebook_contextual.py', ACCOUNT, scratchRoot, 90_000);
  });
  after(async () => {
    await svc.close();
    rmSync(scratchRoot, { recursive: true, force: true });
  });

  it('imports the reviews as the notebook shapes them: interactions with CABIN_TYPE, users with NATIONALITY (one row per review)', () => {
    assert.equal(s.datasetGroup, 'ACTIVE');
    assert.deepEqual(s.imports, { interactions: ['ACTIVE', null], users: ['ACTIVE', null] });
    assert.deepEqual(s.datasets, { interactions: 'ACTIVE', users: 'ACTIVE' });
    const f = s.files;
    // to_csv(index=False, float_format='%.0f'): the renamed columns in the frame's order, whole
    // numbers for TIMESTAMP (time.mktime's float) and EVENT_VALUE (the rating, a float column).
    assert.equal(f.interactionsHeader, 'ITEM_ID,USER_ID,TIMESTAMP,CABIN_TYPE,EVENT_VALUE,EVENT_TYPE');
    for (const row of f.interactionsRows) {
      assert.match(
        row,
        /^[a-z]+-(air|airways|airlines|jet),[A-Za-z]+,1\d{9},(Economy|Premium Economy|Business Class|First Class),([1-9]|10),RATING$/,
        row,
      );
    }
    assert.equal(f.usersHeader, 'USER_ID,NATIONALITY');
    // dropna() had rows to drop, and left enough for training.
    assert.equal(f.nullsBefore, true);
    assert.equal(f.nullsAfter, false);
    assert.equal(f.interactionsBeforeDropna, f.reviews);
    assert.ok(f.interactions < f.reviews && f.interactions >= 1000, JSON.stringify(f));
    assert.ok(f.usersWithTwo >= 25, JSON.stringify(f));
    assert.equal(f.airlines, 48);
    // The Users file keeps a row per review (with a country): duplicate USER_IDs, imported as they are.
    assert.ok(f.usersRows > f.distinctUsersInUsersFile, JSON.stringify(f));
    // CABIN_TYPE.unique(): the four cabins and NaN.
    assert.deepEqual([...s.cabinTypes].sort(), [...CABINS, null].sort());
    assert.equal(s.arbTimestamp.unix, Date.parse(`${s.arbTimestamp.date}T00:00:00Z`) / 1000);
    // The structure the context is to find: low-cost carriers are reviewed in Economy.
    assert.ok(s.economyShareOfReviews['low-cost'] >= 0.8, JSON.stringify(s.economyShareOfReviews));
    assert.ok(s.economyShareOfReviews['full-service'] <= 0.4, JSON.stringify(s.economyShareOfReviews));
    assert.equal(s.economyAirlines.length, 24);
  });

  it('trains aws-user-personalization with performHPO, reports its metrics, and deploys it (minProvisionedTPS 2)', () => {
    assert.ok(s.recipes.includes(RECIPE));
    const sol = s.solution;
    assert.match(sol.name, /^airlines-user-personalization-solution-HPO-\d*$/);
    assert.equal(sol.status, 'ACTIVE');
    assert.equal(sol.recipeArn, RECIPE);
    assert.equal(sol.performHPO, true);
    assert.equal(sol.version.status, 'ACTIVE', `${sol.version.failureReason}`);
    assert.equal(sol.version.trainingMode, 'FULL');
    assert.ok(Object.keys(sol.version.tunedHPOParams?.algorithmHyperParameters ?? {}).length > 0, JSON.stringify(sol.version));
    assert.equal(s.metrics.solutionVersionArn, true);
    assert.deepEqual(s.metrics.keys, [...METRIC_NAMES].sort());
    for (const [name, value] of Object.entries(s.metrics.values)) assert.ok(value >= 0 && value <= 1, `${name} ${value}`);
    assert.ok(s.metrics.values.normalized_discounted_cumulative_gain_at_25 > 0, JSON.stringify(s.metrics.values));
    assert.match(s.campaign.name, /^airlines-metadata-campaign-\d*$/);
    assert.equal(s.campaign.status, 'ACTIVE');
    assert.equal(s.campaign.minProvisionedTPS, 2);
  });

  it("answers the notebook's context requests for its three sampled users: a column per context_option, 'None' as the plain list", () => {
    assert.equal(s.notebookUsers.length, 3);
    const economy = new Set(s.economyAirlines);
    const share = (ids: string[]) => ids.filter((i) => economy.has(i)).length / ids.length;
    for (const u of s.notebookUsers) {
      assert.deepEqual(Object.keys(u.columns), [...CONTEXT_OPTIONS], u.user);
      for (const [context, list] of Object.entries(u.columns)) {
        assert.equal(list.length, 25, `${u.user} ${context}`);
        assert.equal(new Set(list).size, 25, `${u.user} ${context}`);
      }
      // The value 'None' is not a cabin the training data holds: it changes nothing.
      assert.deepEqual(u.columns.None, u.plain, u.user);
      assert.notDeepEqual(u.columns.Economy, u.columns['Business Class'], u.user);
      assert.ok(share(u.columns.Economy) > share(u.columns['Business Class']), u.user);
    }
  });

  it('over 20 users, each context leans the lists to the airlines reviewed in that cabin; no context, an unknown value and other case match', () => {
    const c = s.contextComparison;
    assert.equal(c.users, 20);
    assert.deepEqual(c.listLengths, [25]);
    const sh = c.economyShare;
    // Economy: more of the low-cost carriers than the plain list; Business Class and First Class: fewer.
    assert.ok(sh.Economy >= 0.75, JSON.stringify(sh));
    assert.ok(sh.Economy > sh.plain + 0.1, JSON.stringify(sh));
    assert.ok(sh['Business Class'] < sh.plain - 0.2, JSON.stringify(sh));
    assert.ok(sh['First Class'] < sh.plain - 0.2, JSON.stringify(sh));
    assert.ok(sh['Business Class'] <= 0.3 && sh['First Class'] <= 0.3, JSON.stringify(sh));
    // Premium Economy is flown more on the full-service carriers here.
    assert.ok(sh['Premium Economy'] < sh.plain, JSON.stringify(sh));
    // For every user, not on average only.
    assert.equal(c.economyAboveBusiness, 20);
    assert.equal(c.economyDiffersFromBusiness, 20);
    assert.equal(c.economyDiffersFromPlain, 20);
    // An unknown value ('None') is ignored; {cabin_type: 'economy'} is {CABIN_TYPE: 'Economy'}.
    assert.equal(c.noneMatchesPlain, 20);
    assert.equal(sh.None, sh.plain);
    assert.equal(c.otherCaseMatchesEconomy, 20);
    assert.equal(sh.otherCase, sh.Economy);
  });

  it("takes the notebook's PutEvents (itemId, eventValue and cabinType in properties) and answers the Economy requests after each", () => {
    assert.equal(s.tracker.name, 'AirlinesEventsTracker');
    assert.equal(s.tracker.status, 'ACTIVE');
    assert.equal(s.trackingIdMatches, true);
    assert.equal(s.sessions, 1);
    const r = s.realTime;
    assert.equal(r.user, s.notebookUsers[2].user);
    assert.equal(r.airlines.length, 3);
    // One column per airline sent (pd.concat: a repeated airline's column twice, here once).
    assert.deepEqual(Object.keys(r.columns), [...new Set(r.airlines.map((a) => `${a}|Economy`))]);
    const economy = new Set(s.economyAirlines);
    for (const [name, list] of Object.entries(r.columns)) {
      assert.equal(list.length, 25, name);
      assert.ok(list.filter((i) => economy.has(i)).length / 25 >= 0.6, `${name}: ${list.join(', ')}`);
    }
    // The ratings count at once: the user's Economy list is not the one before the events.
    assert.notDeepEqual(Object.values(r.columns).at(-1), r.beforeEconomy);
  });
});
