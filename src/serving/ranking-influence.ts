// rankingInfluence (training-rules.md rule 61: CreateCampaign's campaignConfig, and a batch
// inference job's batchInferenceJobConfig): { POPULARITY, FRESHNESS } weights in [0, 1] that only
// Semantic-Similarity models use (what a weight does: models/semantic-similarity.ts). For any other
// recipe they are accepted and change nothing (rule 63 [INF]), as are absent or zero weights.
import type { RankingInfluence } from '../api/personalize-types.ts';
import { SemanticSimilarityModel } from '../training/models/semantic-similarity.ts';
import type { Deployed } from './recommendations.ts';

/** The deployment whose model ranks with these weights. */
export function withRankingInfluence(d: Deployed, influence: RankingInfluence | undefined): Deployed {
  if (!influence || !(d.model instanceof SemanticSimilarityModel)) return d;
  const popularity = influence.POPULARITY ?? 0;
  const freshness = influence.FRESHNESS ?? 0;
  if (popularity <= 0 && freshness <= 0) return d;
  return { ...d, model: d.model.withRankingInfluence({ popularity, freshness }) };
}
