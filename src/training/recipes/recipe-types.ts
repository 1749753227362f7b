// The shapes of the static recipe catalog (training-rules.md §1). Kept apart from recipe-catalog.ts
// so that the data files (custom-recipes.ts, domain-recipes.ts, hyperparameters.ts) and the lookups
// can all use them without an import cycle; recipe-catalog.ts re-exports them.

export interface RecipeDefinition {
  name: string;
  arn: string;
  recipeType:
    'USER_PERSONALIZATION' | 'PERSONALIZED_RANKING' | 'RELATED_ITEMS' | 'USER_SEGMENTATION' | 'POPULAR_ITEMS' | 'NEXT_BEST_ACTION' | string;
  domain?: 'ECOMMERCE' | 'VIDEO_ON_DEMAND';
  /** In ListRecipes. False for the legacy HRNN recipes: describable, but no longer listed (§1.2). */
  listed: boolean;
  creationDateTime: number /* epoch ms */;
  description: string;
  algorithmArn: string;
  featureTransformationArn: string;
}

/**
 * One documented parameter of an algorithm (algorithmHyperParameters) or of a feature
 * transformation (featureTransformationParameters). Values travel as strings (§1.4); `min`/`max`
 * bound integer and continuous ones, `values` lists a categorical one's choices. `tunable`: may be
 * named in hpoConfig.algorithmHyperParameterRanges.
 */
export interface HyperParameterSpec {
  name: string;
  kind: 'integer' | 'continuous' | 'categorical';
  default: string;
  min?: number;
  max?: number;
  values?: string[];
  tunable: boolean;
}

export interface AlgorithmDefinition {
  name: string;
  arn: string;
  /** The algorithm's hyperparameters, as DescribeAlgorithm reports them. */
  hyperParameters: HyperParameterSpec[];
  creationDateTime: number /* epoch ms */;
}

export interface FeatureTransformationDefinition {
  name: string;
  arn: string;
  /** Its parameters; their defaults are DescribeFeatureTransformation's defaultParameters. */
  parameters: HyperParameterSpec[];
  creationDateTime: number /* epoch ms */;
}
