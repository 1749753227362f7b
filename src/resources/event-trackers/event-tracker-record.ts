// An event tracker as the catalog stores it: its document and its kind. PutEvents
// (src/resources/events/) finds a tracker by the tracking ID in its document.
import { defineKind } from '../shared/resource-kind.ts';
import { defineStatuses } from '../shared/status-table.ts';

export interface EventTrackerBody {
  trackingId: string;
}

/** Provisioned like a dataset group (nothing can fail); a delete takes effect at once. */
export const EVENT_TRACKER_STATUSES = defineStatuses({
  kind: 'event-tracker',
  initial: 'CREATE PENDING',
  transitions: {
    'CREATE PENDING': ['CREATE IN_PROGRESS'],
    'CREATE IN_PROGRESS': ['ACTIVE'],
    ACTIVE: [],
  },
});

export const EVENT_TRACKER_KIND = defineKind({ kind: 'event-tracker', label: 'event tracker', statuses: EVENT_TRACKER_STATUSES });
