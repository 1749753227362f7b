// What the console's training and serving tests look at, made through the AWS SDK as a user
// would: a custom dataset group of movies (the planted interactions of serving-fixtures.ts, Items
// with titles and genres) with a User-Personalization solution of two versions (the second
// trained after more data came in), a campaign moved from the first to the second, a SIMS
// and a Personalized-Ranking campaign, filters with $parameters and a finished batch inference
// job; and a VIDEO_ON_DEMAND
// group with a Top picks recommender. Jobs run when the fixture drains the runner.
import { UpdateCampaignCommand, type PersonalizeClient } from '@aws-sdk/client-personalize';
import { activeFilter, jsonLines, runInferenceJob } from '../testkit/batch-fixtures.ts';
import type { Bucket } from '../testkit/import-fixtures.ts';
import { domainDataset, domainGroupWith, domainRows, activeRecommender } from '../testkit/recommender-fixtures.ts';
import { activeGroup, datasetIn } from '../testkit/resources.ts';
import { INTERACTIONS_HEADER_4 } from '../testkit/rows.ts';
import { minimalSchemas } from '../testkit/schemas.ts';
import { activeCampaign, activeSolution, campaignActive, importRows, servingRows, trainedVersion } from '../testkit/serving-fixtures.ts';
import type { TestService } from '../testkit/service-harness.ts';

const DRAMAS = [
  'Casablanca (1942)',
  'Citizen Kane (1941)',
  'Vertigo (1958)',
  'Rebecca (1940)',
  'Rashomon (1950)',
  'Ikiru (1952)',
  'Tokyo Story (1953)',
  'The Third Man (1949)',
  'Sunset Boulevard (1950)',
  'On the Waterfront (1954)',
  'Rear Window (1954)',
  'Wild Strawberries (1957)',
  'The 400 Blows (1959)',
  'Bicycle Thieves (1948)',
  'Brief Encounter (1945)',
  'Notorious (1946)',
  'La Strada (1954)',
  'Umberto D. (1952)',
  'Ordet (1955)',
  'Late Spring (1949)',
  'The Apartment (1960)',
  'Psycho (1960)',
  'Breathless (1960)',
  'La Dolce Vita (1960)',
  'Persona (1966)',
  'Stalker (1979)',
  'Amadeus (1984)',
  'Ran (1985)',
  'Paris Texas (1984)',
  'Fargo (1996)',
];
const COMEDIES = [
  'Some Like It Hot (1959)',
  'The General (1926)',
  'City Lights (1931)',
  'Duck Soup (1933)',
  'Modern Times (1936)',
  'Bringing Up Baby (1938)',
  'His Girl Friday (1940)',
  'The Lady Eve (1941)',
  'To Be or Not to Be (1942)',
  "Sullivan's Travels (1941)",
  'Kind Hearts and Coronets (1949)',
  "Monsieur Hulot's Holiday (1953)",
  'The Ladykillers (1955)',
  'Playtime (1967)',
  'Dr. Strangelove (1964)',
  'The Producers (1967)',
  'Annie Hall (1977)',
  'Airplane! (1980)',
  'Tootsie (1982)',
  'Ghostbusters (1984)',
  'Groundhog Day (1993)',
  'The Big Lebowski (1998)',
  'Amelie (2001)',
  'Hot Fuzz (2007)',
  'In Bruges (2008)',
  'Paddington 2 (2017)',
  'Local Hero (1983)',
  'Withnail and I (1987)',
  'A Fish Called Wanda (1988)',
  'Bottle Rocket (1996)',
];

/** A movie's title and genre by item id: cluster A dramas, cluster B comedies, the planted pair documentaries. */
export function movieOf(id: string): { title: string; genre: string } {
  const n = Number(id.slice(1));
  if (id.startsWith('a')) return { title: DRAMAS[n], genre: n % 4 === 0 ? 'Thriller' : 'Drama' };
  if (id.startsWith('b')) return { title: COMEDIES[n], genre: 'Comedy' };
  return { title: id === 'x1' ? 'Nanook of the North (1922)' : 'Man with a Movie Camera (1929)', genre: 'Documentary' };
}

export const MOVIE_ITEMS_SCHEMA = JSON.stringify({
  type: 'record',
  name: 'Items',
  namespace: 'com.amazonaws.personalize.schema',
  version: '1.0',
  fields: [
    { name: 'ITEM_ID', type: 'string' },
    { name: 'TITLE', type: ['null', 'string'] },
    { name: 'GENRES', type: ['null', 'string'], categorical: true },
  ],
});

export interface TrainingScenario {
  groupArn: string;
  solutionArn: string;
  versions: [string, string];
  campaignArn: string;
  simsCampaignArn: string;
  rankingCampaignArn: string;
  excludeGenres: string;
  batchJobArn: string;
  batchOutKey: string;
  bucket: Bucket;
  domainGroupArn: string;
  recommenderArn: string;
}

export async function trainingScenario(svc: TestService, client: PersonalizeClient, bucket: Bucket): Promise<TrainingScenario> {
  const data = servingRows();
  const groupArn = await activeGroup(client);
  const interactions = await datasetIn(client, groupArn, minimalSchemas.interactions, 'Interactions');
  const items = await datasetIn(client, groupArn, MOVIE_ITEMS_SCHEMA, 'Items');
  // The first 90 % of the interactions first; the rest arrives before the second version.
  const cut = Math.floor(data.rows.length * 0.9);
  await importRows(svc, client, bucket, interactions, INTERACTIONS_HEADER_4, data.rows.slice(0, cut));
  const itemRows = [...data.usersPerItem.keys()].map((id) => `${id},${movieOf(id).title},${movieOf(id).genre}`);
  await importRows(svc, client, bucket, items, 'ITEM_ID,TITLE,GENRES', itemRows);

  const solutionArn = await activeSolution(client, groupArn, 'aws-user-personalization');
  const first = await trainedVersion(svc, client, solutionArn);
  // A FULL import of every interaction (an INCREMENTAL one needs 1,000 rows of its own).
  await importRows(svc, client, bucket, interactions, INTERACTIONS_HEADER_4, data.rows);
  const second = await trainedVersion(svc, client, solutionArn);
  const campaignArn = await activeCampaign(client, first, { itemExplorationConfig: { explorationWeight: '0' } });
  await client.send(new UpdateCampaignCommand({ campaignArn, solutionVersionArn: second }));
  await campaignActive(client, campaignArn);
  const simsCampaignArn = await activeCampaign(
    client,
    await trainedVersion(svc, client, await activeSolution(client, groupArn, 'aws-sims')),
  );
  const rankingCampaignArn = await activeCampaign(
    client,
    await trainedVersion(svc, client, await activeSolution(client, groupArn, 'aws-personalized-ranking')),
  );
  const excludeGenres = await activeFilter(client, groupArn, 'EXCLUDE ItemID WHERE Items.GENRES IN ($GENRES)');

  await bucket.put('batch/users.json', jsonLines([{ userId: 'u0' }, { userId: 'u1' }, { userId: 'u2' }, { userId: 'someone-new' }]));
  const job = await runInferenceJob(svc, client, {
    solutionVersionArn: second,
    numResults: 5,
    jobInput: { s3DataSource: { path: `s3://${bucket.name}/batch/users.json` } },
    jobOutput: { s3DataDestination: { path: `s3://${bucket.name}/batch-out/` } },
  });
  if (job.status !== 'ACTIVE') throw new Error(`the batch job failed: ${job.failureReason}`);

  const vod = domainRows('VIDEO_ON_DEMAND');
  const { datasetGroupArn: domainGroupArn } = await domainGroupWith(svc, client, bucket, 'VIDEO_ON_DEMAND', vod.rows);
  const vodItems = await domainDataset(
    client,
    domainGroupArn,
    'VIDEO_ON_DEMAND',
    JSON.stringify({
      type: 'record',
      name: 'Items',
      namespace: 'com.amazonaws.personalize.schema',
      version: '1.0',
      fields: [
        { name: 'ITEM_ID', type: 'string' },
        { name: 'GENRES', type: 'string', categorical: true },
        { name: 'CREATION_TIMESTAMP', type: 'long' },
        { name: 'TITLE', type: 'string' },
      ],
    }),
    'Items',
  );
  const vodIds = [...new Set(vod.rows.map((r) => r.split(',')[1]))];
  await importRows(
    svc,
    client,
    bucket,
    vodItems,
    'ITEM_ID,GENRES,CREATION_TIMESTAMP,TITLE',
    vodIds.map((id) => `${id},${movieOf(id.replace(/^p/, 'x')).genre},1690000000,${movieOf(id.replace(/^p/, 'x')).title}`),
  );
  const recommenderArn = await activeRecommender(svc, client, domainGroupArn, 'aws-vod-top-picks');

  return {
    groupArn,
    solutionArn,
    versions: [first, second],
    campaignArn,
    simsCampaignArn,
    rankingCampaignArn,
    excludeGenres,
    batchJobArn: job.batchInferenceJobArn!,
    batchOutKey: 'batch-out/users.json.out',
    bucket,
    domainGroupArn,
    recommenderArn,
  };
}
