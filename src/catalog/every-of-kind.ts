// Every resource of a kind across accounts and regions, read a page at a time in ARN order: the
// walk that the background rounds (automatic training, schedules, sweeps) make over the catalog.
import type { Catalog, ResourceRecord } from './catalog.ts';

const PAGE = 500;

export async function* everyOfKind(catalog: Pick<Catalog, 'listAllOfKind'>, kind: string): AsyncGenerator<ResourceRecord> {
  let after: string | undefined;
  for (;;) {
    const page = await catalog.listAllOfKind(kind, after, PAGE);
    yield* page;
    if (page.length < PAGE) return;
    after = page[page.length - 1].arn;
  }
}
