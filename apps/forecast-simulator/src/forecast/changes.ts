/** Names of the fields whose values differ, for `fields_changed` and for skipping no-op updates. */
export function changedFields<T extends object>(before: T, after: T): string[] {
  return (Object.keys(after) as (keyof T & string)[]).filter(
    (field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]),
  );
}

/** Milliseconds-precise and strictly increasing, so `updated_after` filters never tie inside the simulator. */
let lastStamp = 0;
export function nowIso(): string {
  lastStamp = Math.max(Date.now(), lastStamp + 1);
  return new Date(lastStamp).toISOString();
}
