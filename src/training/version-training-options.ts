// What a solution version trains with, read off its document: its hyperparameters by their
// documented names, and which interactions it reads. Shared by the training job
// (solution-version-job-work.ts) and the re-evaluation of deployed Trending-Now versions
// (serving/trend-refresh-work.ts), so both read the data the same way.
import type { SolutionVersionBody } from '../resources/solution-versions/solution-version-record.ts';
import { canonicalHyperParameterName } from './recipes/recipe-catalog.ts';
import type { InteractionFilter } from './training-data.ts';

/** The hyperparameters to train with: the solution's algorithm and feature-transformation parameters, by their documented names. */
export function hyperParametersFor(body: SolutionVersionBody): Record<string, string> {
  const given = { ...body.solutionConfig?.featureTransformationParameters, ...body.solutionConfig?.algorithmHyperParameters };
  return Object.fromEntries(Object.entries(given).map(([k, v]) => [canonicalHyperParameterName(body.recipeArn, k), v]));
}

/** Which interactions the version trains on: the solution's eventType, eventValueThreshold and eventsConfig. */
export function interactionFilterOf(body: SolutionVersionBody): InteractionFilter {
  const config = body.solutionConfig;
  const threshold = config?.eventValueThreshold;
  return {
    ...(body.eventType !== undefined ? { eventType: body.eventType } : {}),
    ...(threshold !== undefined ? { eventValueThreshold: Number(threshold) } : {}),
    ...(config?.eventsConfig?.eventParametersList
      ? {
          events: config.eventsConfig.eventParametersList.map((p) => ({
            eventType: p.eventType ?? '',
            ...(p.eventValueThreshold !== undefined ? { eventValueThreshold: p.eventValueThreshold } : {}),
            weight: p.weight ?? 1,
          })),
        }
      : {}),
  };
}
