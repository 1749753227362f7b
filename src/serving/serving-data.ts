// What the serving plane reads of a dataset group's data at request time, as one small interface:
// the models take a user's history from it, and filters (src/serving/filters/) evaluate their
// expressions against it. group-data.ts implements it per dataset group.

/** One interaction of a user, as the group's Interactions dataset holds it now. */
export interface UserInteraction {
  itemId: string;
  /** EVENT_TYPE; '' when the dataset's schema has no EVENT_TYPE column or the row none. */
  eventType: string;
  /** TIMESTAMP, epoch seconds. */
  time: number;
}

export interface FilterDataSource {
  /** The user's interactions now (bulk + individually put events), oldest first; [] for an unknown user. */
  interactions(userId: string): Promise<readonly UserInteraction[]>;
  /** Items dataset rows by ITEM_ID, column names as in the schema (empty map without an Items dataset). */
  items(): Promise<ReadonlyMap<string, Readonly<Record<string, unknown>>>>;
  /** Users dataset rows by USER_ID (empty map without a Users dataset). */
  users(): Promise<ReadonlyMap<string, Readonly<Record<string, unknown>>>>;
}
