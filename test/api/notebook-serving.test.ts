// The serving cells of AWS's own sample notebooks (aws-samples/amazon-personalize-samples) that
// follow a notebook of their own, their boto3 code as written, run by the machine's python3
// against the service: getting_started 2 (after 1) and POC_in_a_box 04 and 05 (after 01-03). Each
// script (test/api/boto3_notebook_*.py) runs the notebooks before it as `%store -r` needs them,
// then its own cells, and prints a JSON summary, asserted here. (The serving cells inside the
// related-items and personalized-ranking notebooks are asserted by notebook-training.test.ts.)
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runNotebook } from '../testkit/python-notebook.ts';
import { startTestService, type TestService } from '../testkit/service-harness.ts';

interface Item {
  itemId: string;
  score?: number;
}

interface Shelf {
  items: string[];
  titles: string[];
}

describe("AWS's sample notebooks, serving cells as written (boto3)", () => {
  let svc: TestService;
  const scratchRoot = mkdtempSync(join(tmpdir(), 'openpersonalize-notebooks-'));
  before(async () => {
    svc = await startTestService();
  });
  after(async () => {
    await svc.close();
    rmSync(scratchRoot, { recursive: true, force: true });
  });

  it('getting_started/notebooks/2.View_Campaign_And_Interactions: an event tracker, a click on movie 270 through PutEvents, new recommendations', async () => {
    const s = await runNotebook<{
      notebook1: { campaignArn: string; userId: string; itemList: Item[]; datasetGroupArn: string };
      eventTrackerArn: string;
      trackingId: string;
      tracker: { name: string; status: string; trackingId: string; datasetGroupArn: string };
      movieClicked: number;
      movieTitleClicked: string;
      sessionIds: Record<string, string>;
      recommendationId: string;
      itemList: Item[];
      columns: Record<string, string[]>;
    }>(svc, 'boto3_notebook_getting_started_2.py', '210000000011', scratchRoot);
    assert.match(s.trackingId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.deepEqual(s.tracker, {
      name: 'MovieClickTracker',
      status: 'ACTIVE',
      trackingId: s.trackingId,
      datasetGroupArn: s.notebook1.datasetGroupArn,
    });
    // get_movie_title looks up movie_id - 1 (the notebook's own off-by-one): 270 shows as movie 269.
    assert.match(s.movieTitleClicked, /^Movie 269 \(\d{4}\)$/);
    assert.deepEqual(Object.keys(s.sessionIds), [s.notebook1.userId]);
    assert.match(s.recommendationId, /^RID-[0-9a-f-]{36}$/);
    assert.equal(s.itemList.length, 25);
    assert.deepEqual(Object.keys(s.columns), ['OriginalRecs', s.movieTitleClicked]);
    assert.equal(s.columns[s.movieTitleClicked].length, 25);
    // The click is the user's newest interaction: the same campaign answers differently now.
    assert.notDeepEqual(s.itemList, s.notebook1.itemList, 'the recommendations did not change after the click');
    const scores = s.itemList.map((i) => i.score!);
    assert.ok(
      scores.every((x, k) => x > 0 && (k === 0 || x <= scores[k - 1])),
      scores.join(','),
    );
  });

  it('POC_in_a_box 04 and 05 (after 01-03): campaigns, genre / event / decade filters as shelves, clicks and watches through PutEvents, a ranking', async () => {
    const s = await runNotebook<{
      solutionsNotebook: Record<string, string>;
      campaigns: Record<string, string>;
      genresToFilter: string[];
      filters: Record<string, { filterArn: string; status: string; filterExpression: string }>;
      items: Record<string, { GENRE: string; YEAR: string }>;
      lookups: string[];
      sims589: Item[];
      simsSamples: Record<string, Shelf & { title: string }>;
      users: string[];
      knownUsers: string[];
      usersRecommendations: Record<string, { items: Item[]; titles: string[] }>;
      user: string;
      shelves: Record<string, Shelf>;
      clicks: { clicked: string | null; items: string[] }[];
      eventsBefore: Record<'watched' | 'unwatched', Shelf>;
      watchedNow: string[];
      eventsAfter: Record<'watched' | 'unwatched', Shelf>;
      watchedInData: string[];
      trainedItems: string[];
      rerankInput: string[];
      rerank: Item[];
      eventTracker: string;
    }>(svc, 'boto3_notebook_poc_04_05.py', '123456789012', scratchRoot);
    const catalog = new Set(Object.keys(s.items));
    const trained = new Set(s.trainedItems);
    const noErrors = (titles: string[], what: string) =>
      assert.ok(!titles.includes('Error obtaining title'), `${what}: an item id that is not a movie: ${titles.join('; ')}`);

    // Notebook 04: the three campaigns and the ten filters.
    assert.deepEqual(s.solutionsNotebook, {
      userPersonalization: 'ACTIVE',
      sims: 'ACTIVE',
      rerank: 'ACTIVE',
      simsHpo: 'ACTIVE',
      simsSetHp: 'ACTIVE',
    });
    assert.deepEqual(s.campaigns, {
      'personalize-poc-userpersonalization': 'ACTIVE',
      'personalize-poc-SIMS': 'ACTIVE',
      'personalize-poc-rerank': 'ACTIVE',
    });
    assert.equal(new Set(s.genresToFilter).size, 7);
    assert.deepEqual(Object.keys(s.filters).sort(), [...s.genresToFilter, 'watched', 'unwatched', '1970s'].sort());
    for (const [name, f] of Object.entries(s.filters)) assert.equal(f.status, 'ACTIVE', name);
    assert.equal(s.filters.watched.filterExpression, 'INCLUDE ItemID WHERE Interactions.event_type IN ("watch")');

    // Notebook 05: the title lookups, then SIMS for movie 589 and five sampled movies.
    assert.deepEqual(s.lookups, ['Princess Bride, The (1987)', 'Error obtaining title', 'Error obtaining title']);
    assert.equal(s.sims589.length, 25);
    assert.ok(
      s.sims589.every((i) => catalog.has(i.itemId) && i.itemId !== '589' && i.score === undefined),
      JSON.stringify(s.sims589),
    );
    assert.equal(Object.keys(s.simsSamples).length, 5);
    for (const [movie, shelf] of Object.entries(s.simsSamples)) {
      assert.equal(shelf.items.length, 25, movie);
      assert.ok(!shelf.items.includes(movie), `SIMS recommends movie ${movie} for itself`);
      noErrors(shelf.titles, `SIMS for ${movie}`);
    }

    // User-Personalization for three random user ids (1-599; the data has users 1-120, the others
    // are new users), then the genre and decade shelves of the last one.
    assert.deepEqual(Object.keys(s.usersRecommendations).sort(), [...s.users].sort());
    for (const [user, recs] of Object.entries(s.usersRecommendations)) {
      assert.equal(recs.items.length, 25, user);
      noErrors(recs.titles, `user ${user}`);
      const scores = recs.items.map((i) => i.score!);
      assert.ok(
        scores.every((x, k) => x > 0 && (k === 0 || x <= scores[k - 1])),
        `user ${user}: ${scores.join(',')}`,
      );
    }
    for (const genre of s.genresToFilter) {
      const shelf = s.shelves[genre];
      const withGenre = [...trained].filter((id) => s.items[id].GENRE.split('|').includes(genre));
      assert.equal(shelf.items.length, Math.min(25, withGenre.length), `${genre}: ${shelf.items.length} of ${withGenre.length}`);
      for (const id of shelf.items)
        assert.ok(s.items[id].GENRE.split('|').includes(genre), `${genre} shelf has ${id} (${s.items[id].GENRE})`);
    }
    const seventies = s.shelves['1970s'].items;
    assert.ok(seventies.length > 0);
    for (const id of seventies) {
      const year = Number(s.items[id].YEAR);
      assert.ok(s.items[id].YEAR !== '' && year >= 1970 && year < 1980, `1970s shelf has ${id} (YEAR ${s.items[id].YEAR})`);
    }

    // Three clicks through the event tracker: each changes the user's next recommendations.
    assert.equal(s.eventTracker, 'ACTIVE');
    assert.deepEqual(
      s.clicks.map((c) => c.clicked === null),
      [true, false, false, false],
    );
    for (let k = 1; k < s.clicks.length; k++)
      assert.notDeepEqual(s.clicks[k].items, s.clicks[k - 1].items, `click on ${s.clicks[k].clicked} changed nothing`);

    // The event filters: "watched" keeps the user's watched movies only, "unwatched" drops them;
    // four watches sent with PutEvents move the four movies from one to the other at once.
    const watched = new Set(s.watchedInData);
    assert.equal(s.eventsBefore.watched.items.length, Math.min(25, watched.size));
    assert.ok(
      s.eventsBefore.watched.items.every((id) => watched.has(id)),
      JSON.stringify(s.eventsBefore.watched.items),
    );
    assert.ok(!s.eventsBefore.unwatched.items.some((id) => watched.has(id)), JSON.stringify(s.eventsBefore.unwatched.items));
    assert.equal(s.watchedNow.length, 4);
    assert.ok(!s.watchedNow.some((id) => watched.has(id)));
    const watchedAfter = new Set([...watched, ...s.watchedNow]);
    assert.equal(s.eventsAfter.watched.items.length, Math.min(25, watchedAfter.size));
    assert.ok(
      s.eventsAfter.watched.items.every((id) => watchedAfter.has(id)),
      JSON.stringify(s.eventsAfter.watched.items),
    );
    assert.ok(!s.eventsAfter.unwatched.items.some((id) => watchedAfter.has(id)), JSON.stringify(s.eventsAfter.unwatched.items));
    assert.equal(s.eventsAfter.unwatched.items.length, 25);

    // Personalized-Ranking of 25 sampled movies: all of them, the known ones first with a softmax
    // over the list (descending, summing to 1), movies the model never saw last without a score.
    assert.deepEqual(s.rerank.map((i) => i.itemId).sort(), [...s.rerankInput].sort());
    const known = s.rerank.filter((i) => trained.has(i.itemId));
    assert.deepEqual(s.rerank.slice(0, known.length), known);
    assert.ok(s.rerank.slice(known.length).every((i) => i.score === undefined));
    const scores = known.map((i) => i.score!);
    assert.ok(
      scores.every((x, k) => x > 0 && (k === 0 || x <= scores[k - 1])),
      scores.join(','),
    );
    assert.ok(Math.abs(scores.reduce((a, b) => a + b, 0) - 1) < 1e-4, scores.join(','));
  });
});
