// A clock a test moves by hand, for a service started with { now: clock.now }: timed states
// (CREATE PENDING -> ACTIVE over OPENPERSONALIZE_PROVISIONING_MS) advance when the test says so,
// not while it sleeps. It starts at the real time, so timestamps stay plausible.
export interface TestClock {
  now: () => number;
  advance(ms: number): void;
}

export function testClock(start = Date.now()): TestClock {
  let t = start;
  return {
    now: () => t,
    advance(ms) {
      t += ms;
    },
  };
}
