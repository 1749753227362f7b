// The dataset group page's training and serving sections: solutions (with their newest version),
// campaigns, recommenders, filters and batch jobs, each linked to its own page.
import type { BatchJobRow, GroupModels, ResourceRow, SolutionRow } from '../../src/console/console-training-types.ts';
import { badge, fmt, h } from './dom.ts';
import { enc, resourceTable, section } from './widgets.ts';

function batchCell(r: ResourceRow): string {
  const j = r as BatchJobRow;
  if (j.files === undefined) return '';
  return `${fmt(j.filesDone ?? 0)}/${fmt(j.files)} files · ${fmt(j.lines ?? 0)} lines${j.errors ? ` · ${fmt(j.errors)} errors` : ''}`;
}

export function modelSections(m: GroupModels): HTMLElement {
  // A Domain group is served by recommenders; a custom one by solutions and campaigns. Either
  // can have the other's resources too (a Domain group may have custom solutions): then both show.
  const custom = !m.domain || m.solutions.length > 0;
  const domain = Boolean(m.domain) || m.recommenders.length > 0;
  return h(
    'div',
    { class: 'model-sections' },
    custom
      ? section(
          'Solutions',
          resourceTable(m.solutions, {
            href: (r) => `#/solution/${enc(r.arn)}`,
            detail: 'recipe',
            attr: 'solution',
            extra: [
              { title: 'versions', cell: (r) => fmt((r as SolutionRow).versions) },
              {
                title: 'newest version',
                cell: (r) => ((r as SolutionRow).latestVersion ? badge((r as SolutionRow).latestVersion!.status) : '—'),
              },
            ],
          }),
        )
      : null,
    custom
      ? section('Campaigns', resourceTable(m.campaigns, { href: (r) => `#/campaign/${enc(r.arn)}`, detail: 'deploys', attr: 'campaign' }))
      : null,
    domain
      ? section(
          'Recommenders',
          resourceTable(m.recommenders, { href: (r) => `#/recommender/${enc(r.arn)}`, detail: 'use case', attr: 'recommender' }),
        )
      : null,
    section('Filters', resourceTable(m.filters, { detail: 'expression', attr: 'filter' })),
    section(
      'Batch jobs',
      resourceTable(m.batchJobs, {
        href: (r) => `#/batch/${enc(r.arn)}`,
        detail: 'recipe',
        attr: 'batch-job',
        extra: [
          { title: 'kind', cell: (r) => (r as BatchJobRow).kind },
          { title: 'progress', cell: batchCell },
        ],
      }),
    ),
  );
}
