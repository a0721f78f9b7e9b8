import { type ForecastTimeRegistrationSnapshotV1, type TimelogWorkSnapshotV1, toWorkGuid } from '@timelog-sync/contracts';
import { echoOf } from './echo';
import { judgeChange, Side, SideVersion } from './conflict';
import { planWorkForRegistration, SyncedPair } from './registration-to-work';
import { planRegistrationForWork } from './work-to-registration';
import { timeEntryHash } from './time-entry-content';

/*
 * The echo and conflict rules, table by table: every combination of which side changed, echo or not, the pair
 * deleted on either side, and a create in flight on the other side.
 */
const synced = { date: '2026-11-24', minutes: 60, note: 'Plan' };
const edited = { ...synced, minutes: 90 };
const SYNCED = timeEntryHash(synced);

describe('echo rule (echoOf)', () => {
  type Row = [Side, boolean, 'same' | 'changed' | 'deletion', boolean, string | null];
  const rows: Row[] = [];
  for (const side of ['forecast', 'timelog'] as const) {
    const other = side === 'forecast' ? 'TimeLog' : 'Forecast';
    const inFlight = side === 'forecast' ? 'created from TimeLog work whose sync is completing' : 'written from a Forecast registration whose sync is completing';
    rows.push(
      // paired: only the content decides; a create in flight on the other side is over once the pair exists
      [side, true, 'same', false, `${other} already has this content`],
      [side, true, 'same', true, `${other} already has this content`],
      [side, true, 'changed', false, null],
      [side, true, 'changed', true, null],
      [side, true, 'deletion', false, null],
      [side, true, 'deletion', true, null],
      // not paired yet: only a create in flight from the other side makes it an echo
      [side, false, 'same', false, null],
      [side, false, 'same', true, inFlight],
      [side, false, 'changed', false, null],
      [side, false, 'changed', true, inFlight],
      [side, false, 'deletion', false, null],
      [side, false, 'deletion', true, inFlight],
    );
  }
  it.each(rows)('change on %s, paired %s, content %s, create in flight %s -> echo %p', (side, paired, change, createInFlight, reason) => {
    const hash = change === 'same' ? SYNCED : change === 'changed' ? timeEntryHash(edited) : null;
    const echo = echoOf(side, { paired, syncedHash: paired ? SYNCED : null, hash, createInFlight });
    expect(echo).toEqual(reason === null ? null : { kind: 'skip', reason, echo: true });
  });
});

type PairState = 'none' | 'live' | 'deleted in Forecast' | 'deleted in TimeLog' | 'deleted on both';
type Change = 'same content' | 'new content' | 'deletion';
const pairIn = (state: PairState): SyncedPair | null =>
  state === 'none'
    ? null
    : { timelogRef: 'work-guid', syncedHash: SYNCED, snapshot: synced, forecastDeleted: state === 'deleted in Forecast' || state === 'deleted on both', timelogDeleted: state === 'deleted in TimeLog' || state === 'deleted on both' };
const contentOf = (change: Change) => (change === 'same content' ? synced : edited);

describe('a Forecast change against every pair state (planWorkForRegistration)', () => {
  const registration = (change: Change): ForecastTimeRegistrationSnapshotV1 | null =>
    change === 'deletion'
      ? null
      : { id: 501, personId: 7, projectId: 3, taskId: 11, nonProjectTimeId: null, ...{ date: contentOf(change).date, minutes: contentOf(change).minutes, note: contentOf(change).note }, billableMinutes: null, updatedAt: '2026-11-24T10:00:00Z' };
  const rows: [PairState, Change, string, boolean][] = [
    ['none', 'same content', 'insert-work', false],
    ['none', 'new content', 'insert-work', false],
    ['none', 'deletion', 'skip', false],
    ['live', 'same content', 'skip', true],
    ['live', 'new content', 'update-work', false],
    ['live', 'deletion', 'delete-work', false],
    // a stale event after the Forecast deletion; the deletion itself (retried) still deletes the work
    ['deleted in Forecast', 'same content', 'skip', false],
    ['deleted in Forecast', 'new content', 'skip', false],
    ['deleted in Forecast', 'deletion', 'delete-work', false],
    // the TimeLog deletion wins over a later Forecast edit
    ['deleted in TimeLog', 'same content', 'delete-registration', false],
    ['deleted in TimeLog', 'new content', 'delete-registration', false],
    ['deleted in TimeLog', 'deletion', 'skip', false],
    ['deleted on both', 'same content', 'skip', false],
    ['deleted on both', 'new content', 'skip', false],
    ['deleted on both', 'deletion', 'skip', false],
  ];
  it.each(rows)('pair %s, %s -> %s (echo %s)', (state, change, kind, echo) => {
    const plan = planWorkForRegistration(501, registration(change), {
      companyId: 'acme', projectLink: { timelogProjectId: 90, syncFrom: '2020-01-01' }, userLink: { timelogInitials: 'JD' }, timelogTaskId: 4711, pair: pairIn(state),
    });
    expect(plan.kind).toBe(kind);
    expect(plan.kind === 'skip' && !!plan.echo).toBe(echo);
  });
});

describe('a TimeLog change against every pair state (planRegistrationForWork)', () => {
  const work = (change: Change): TimelogWorkSnapshotV1 | null =>
    change === 'deletion' ? null : { guid: toWorkGuid('work-guid'), taskId: 4711, employeeInitials: 'JD', date: contentOf(change).date, minutes: contentOf(change).minutes, description: contentOf(change).note, isEditable: true };
  const rows: [PairState, Change, string, boolean][] = [
    ['none', 'same content', 'create-registration', false],
    ['none', 'new content', 'create-registration', false],
    ['none', 'deletion', 'skip', false],
    ['live', 'same content', 'skip', true],
    ['live', 'new content', 'update-registration', false],
    ['live', 'deletion', 'delete-registration', false],
    // the Forecast deletion wins over a later TimeLog edit; the poll of our own delete of the work is an echo
    ['deleted in Forecast', 'same content', 'delete-work', false],
    ['deleted in Forecast', 'new content', 'delete-work', false],
    ['deleted in Forecast', 'deletion', 'skip', true],
    // a stale event after the TimeLog deletion; the deletion itself (retried) still deletes the registration
    ['deleted in TimeLog', 'same content', 'skip', false],
    ['deleted in TimeLog', 'new content', 'skip', false],
    ['deleted in TimeLog', 'deletion', 'delete-registration', false],
    ['deleted on both', 'same content', 'skip', false],
    ['deleted on both', 'new content', 'skip', false],
    ['deleted on both', 'deletion', 'skip', true],
  ];
  it.each(rows)('pair %s, %s -> %s (echo %s)', (state, change, kind, echo) => {
    const pair = pairIn(state);
    const plan = planRegistrationForWork(work(change), { forecastPersonId: 7, target: { kind: 'task', forecastTaskId: 11 }, pair: pair && { ...pair, forecastId: 900 } });
    expect(plan.kind).toBe(kind);
    expect(plan.kind === 'skip' && !!plan.echo).toBe(echo);
  });
});

describe('conflict rule (judgeChange)', () => {
  const at = (minute: number | null) => (minute === null ? null : `2026-11-24T10:${String(minute).padStart(2, '0')}:00Z`);
  type Changed = 'neither' | 'incoming only' | 'other only' | 'both, differently' | 'both, equally';
  const contents: Record<Changed, [typeof synced, typeof synced]> = {
    neither: [synced, synced],
    'incoming only': [edited, synced],
    'other only': [synced, { ...synced, note: 'Other' }],
    'both, differently': [edited, { ...synced, note: 'Other' }],
    'both, equally': [edited, edited],
  };
  const rows: [Side, Changed, number | null, number | null, string][] = [];
  for (const incoming of ['forecast', 'timelog'] as const) {
    const other = incoming === 'forecast' ? 'timelog' : 'forecast';
    for (const [incomingAt, otherAt, laterSide] of [
      [30, 10, incoming],
      [10, 30, other],
      [30, 30, incoming], // a tie goes to the change being handled
      [30, null, incoming], // a side with no time is taken as the earlier one
      [null, 30, other],
      [null, null, incoming],
    ] as const) {
      rows.push(
        [incoming, 'neither', incomingAt, otherAt, 'already-equal'],
        [incoming, 'incoming only', incomingAt, otherAt, 'apply'],
        // the incoming side is back at the snapshot while the other moved: both differ, the later wins
        [incoming, 'other only', incomingAt, otherAt, `conflict:${laterSide}`],
        [incoming, 'both, differently', incomingAt, otherAt, `conflict:${laterSide}`],
        [incoming, 'both, equally', incomingAt, otherAt, 'already-equal'],
      );
    }
  }
  it.each(rows)('incoming from %s, %s changed, incoming at %p, other at %p -> %s', (side, changed, incomingAt, otherAt, expected) => {
    const [incomingContent, otherContent] = contents[changed];
    const incoming: SideVersion = { side, content: incomingContent, modifiedAt: at(incomingAt) };
    const other: SideVersion = { side: side === 'forecast' ? 'timelog' : 'forecast', content: otherContent, modifiedAt: at(otherAt) };
    const judgement = judgeChange(incoming, other, synced);
    expect(judgement.kind === 'conflict' ? `conflict:${judgement.winner}` : judgement.kind).toBe(expected);
    if (judgement.kind === 'conflict') expect([judgement.winnerVersion, judgement.loser]).toEqual(judgement.winner === side ? [incoming, other] : [other, incoming]);
  });

  it('applies when nothing was synced before or the other side has nothing to compare', () => {
    const incoming: SideVersion = { side: 'forecast', content: edited, modifiedAt: at(10) };
    expect(judgeChange(incoming, { side: 'timelog', content: synced, modifiedAt: at(30) }, null)).toEqual({ kind: 'apply' });
    expect(judgeChange(incoming, null, synced)).toEqual({ kind: 'apply' });
  });
});
