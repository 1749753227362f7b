// A large service's types in several files, by what a reader looks for (src/api/<service>-types/),
// with src/api/<service>-types.ts re-exporting them all, so that importers need not know the split.
// A shape goes to the part of its resource family: its name, without a leading verb (Create,
// Describe, List, ...), starts with the family's resource, the longest that matches (a Describe
// operation names each resource: DescribeSolutionVersion → SolutionVersion). Shapes of no family
// (tags, configurations several resources share) go to `common`. Every resource the model
// describes must belong to a part, so that a new one is placed on purpose.
import type { ServiceModel } from '../../src/protocol/service-model.ts';
import { declarations, TYPES_PREAMBLE } from './render-types.ts';

export interface TypePart {
  /** The file's name in src/api/<service>-types/, without .ts. */
  file: string;
  /** What it holds, for its header. */
  about: string;
  /** The resources (Describe operations' nouns) whose shapes it holds. */
  resources: string[];
}

/** Personalize's parts, by the planes of the service (data, training, serving). */
export const PERSONALIZE_PARTS: TypePart[] = [
  {
    file: 'datasets',
    about: 'dataset groups, schemas, datasets and their import, export and data deletion jobs',
    resources: ['DatasetGroup', 'Schema', 'Dataset', 'DatasetImportJob', 'DatasetExportJob', 'DataDeletionJob'],
  },
  { file: 'events', about: 'event trackers and metric attributions', resources: ['EventTracker', 'MetricAttribution'] },
  {
    file: 'training',
    about: 'recipes, algorithms, feature transformations, solutions and solution versions',
    resources: ['Recipe', 'Algorithm', 'FeatureTransformation', 'Solution', 'SolutionVersion'],
  },
  { file: 'serving', about: 'campaigns, recommenders and filters', resources: ['Campaign', 'Recommender', 'Filter'] },
  { file: 'batch', about: 'batch inference and batch segment jobs', resources: ['BatchInferenceJob', 'BatchSegmentJob'] },
];

const COMMON: TypePart = { file: 'common', about: 'shapes that several resources share', resources: [] };
const VERB = /^(Create|Describe|List|Update|Delete|Get|Start|Stop)/;
const PRINT_WIDTH = 140;

/** The part of a shape (see the header). */
function partOf(name: string, parts: TypePart[]): TypePart {
  const base = name.replace(VERB, '');
  let best: { part: TypePart; resource: string } | undefined;
  for (const part of parts)
    for (const resource of part.resources)
      if (base.startsWith(resource) && resource.length > (best?.resource.length ?? 0)) best = { part, resource };
  return best?.part ?? COMMON;
}

/** `import type { … } from '…';` as prettier writes it (one line when it fits). */
function importLine(names: string[], from: string): string {
  const line = `import type { ${names.join(', ')} } from '${from}';`;
  return line.length <= PRINT_WIDTH ? line : `import type {\n${names.map((n) => `  ${n},`).join('\n')}\n} from '${from}';`;
}

/** The files of the service's types: `<service>-types/<part>.ts` by part, and the re-exporting `<service>-types.ts`. */
export function renderTypeParts(model: ServiceModel, service: string, header: string, parts: TypePart[]): Map<string, string> {
  const described = Object.keys(model.operations).flatMap((op) => (op.startsWith('Describe') ? [op.slice('Describe'.length)] : []));
  const placed = new Set(parts.flatMap((p) => p.resources));
  const missing = described.filter((r) => !placed.has(r));
  if (missing.length) throw new Error(`no part of scripts/api-gen/type-parts.ts holds the resources ${missing.join(', ')}`);

  const all = [...parts, COMMON];
  const decls = declarations(model).map((d) => ({ ...d, part: partOf(d.name, parts) }));
  const home = new Map(decls.map((d) => [d.name, d.part]));
  const files = new Map<string, string>();
  for (const part of all) {
    const mine = decls.filter((d) => d.part === part);
    const used = new Map<TypePart, Set<string>>();
    for (const d of mine)
      for (const word of d.text.slice(d.text.indexOf(d.name) + d.name.length).match(/\b[A-Za-z_]\w*\b/g) ?? []) {
        const other = home.get(word);
        if (other && other !== part) (used.get(other) ?? used.set(other, new Set()).get(other)!).add(word);
      }
    const imports = all
      .filter((p) => used.has(p))
      .map((p) => importLine([...used.get(p)!].sort(), `./${p.file}.ts`))
      .join('\n');
    files.set(
      `src/api/${service}-types/${part.file}.ts`,
      `// ${header}\n// The ${service} types of ${part.about} (see ../${service}-types.ts).\n${imports ? `${imports}\n` : ''}\n${mine.map((d) => d.text).join('\n')}`,
    );
  }
  files.set(
    `src/api/${service}-types.ts`,
    `// ${header}\n${TYPES_PREAMBLE}// They are in ${service}-types/, a file per part of the service; this file gathers them.\n\n${all
      .map((p) => `export type * from './${service}-types/${p.file}.ts';`)
      .join('\n')}\n`,
  );
  return files;
}
