import { type TimelogWorkSnapshotV1, toWorkGuid } from '@timelog-sync/contracts';
import type { Work } from '@timelog-sync/domain';

/** TimeLog work as the work-changed event carries it. */
export const workSnapshot = (work: Work): TimelogWorkSnapshotV1 => ({
  guid: toWorkGuid(work.guid),
  taskId: work.taskId,
  employeeInitials: work.employeeInitials,
  date: work.startDateTime.slice(0, 10),
  minutes: Math.round(work.minutes),
  description: work.description,
  // Unknown means TimeLog did not say it is closed; a write into a closed week is refused and parked anyway.
  isEditable: work.isEditable ?? true,
});
