// Due times of the background schedules (automatic training, recommenders' retraining and
// re-evaluation, the two-hourly new-item updates): a fixed grid from a start time.

/** The first due time after `now` of a schedule counted from `start` every `period` ms. */
export function nextDue(start: number, period: number, now: number): number {
  return start + (Math.floor((now - start) / period) + 1) * period;
}
