import { SeededRandom } from './seeded-random';

/**
 * The workload as a pure, seeded plan: the same seed gives the same operations in the same order, so a run with
 * faults and a control run without them must end in the same state.
 *
 * Who does what (so that every expected outcome follows from documented rules):
 * - Ann is linked throughout and works on both sides, on her own items and on their counterparts.
 * - Bob works in Forecast only; he is unlinked and linked again mid-stream (his registrations wait, then sync).
 * - Carl is never linked: nothing of his may reach the other side (leak check), on either side.
 * - Forecast project "Internal" and TimeLog project "Back office" are never linked (leak checks).
 * - An edit on the side opposite to the item's last edit is made only once the other side shows the last edit
 *   (a user reacts to what they see); deletions may come at any time and always win.
 */
export type Person = 'ann' | 'bob' | 'carl';
export type Side = 'forecast' | 'timelog';
export interface Content {
  date: string;
  minutes: number;
  note: string;
}
export type Place = { kind: 'task'; task: string } | { kind: 'timelog-only' } | { kind: 'unlinked-timelog' };

export interface TaskModel {
  key: string;
  name: string;
  parent: string | null;
  /** Holds sub-tasks, never time. */
  container: boolean;
  linked: boolean;
  assignees: Person[];
  deleted: boolean;
}

export interface ItemModel {
  key: string;
  origin: Side;
  person: Person;
  place: Place;
  content: Content;
  deleted: boolean;
  lastSide: Side;
}

export type Operation =
  | { kind: 'create-task'; task: string; name: string; parent: string | null; container: boolean; linked: boolean; assignees: Person[] }
  | { kind: 'rename-task'; task: string; name: string }
  | { kind: 'assign'; task: string; person: Person }
  | { kind: 'unassign'; task: string; person: Person }
  | { kind: 'delete-task'; task: string }
  | { kind: 'register'; item: string; person: Person; task: string; content: Content }
  | { kind: 'edit-registration'; item: string; content: Content; crossSide: boolean }
  | { kind: 'delete-registration'; item: string; crossSide: boolean }
  | { kind: 'log-work'; item: string; person: Person; place: Place; content: Content; guid: string }
  | { kind: 'edit-work'; item: string; content: Content; crossSide: boolean }
  | { kind: 'delete-work'; item: string; crossSide: boolean }
  | { kind: 'unlink-bob' }
  | { kind: 'relink-bob' }
  | { kind: 'deactivate' }
  | { kind: 'reactivate' };

/** The unlinked Forecast project's one task, created at setup. */
export const INTERNAL_TASK = 'internal';

export class CompanyModel {
  readonly tasks = new Map<string, TaskModel>();
  readonly items = new Map<string, ItemModel>();
  bobLinked = true;
  active = true;
  private opsSinceDeactivation = 0;
  private deactivations = 0;

  constructor(readonly index: number) {
    this.tasks.set(INTERNAL_TASK, { key: INTERNAL_TASK, name: 'Internal', parent: null, container: false, linked: false, assignees: ['ann', 'bob', 'carl'], deleted: false });
  }

  /** Applies an operation to the model (the plan generator and the oracle's expectations both fold with it). */
  apply(op: Operation): void {
    const task = 'task' in op && typeof op.task === 'string' ? this.tasks.get(op.task) : undefined;
    const item = 'item' in op ? this.items.get(op.item) : undefined;
    switch (op.kind) {
      case 'create-task':
        this.tasks.set(op.task, { key: op.task, name: op.name, parent: op.parent, container: op.container, linked: op.linked, assignees: [...op.assignees], deleted: false });
        break;
      case 'rename-task':
        task!.name = op.name;
        break;
      case 'assign':
        task!.assignees = [...task!.assignees, op.person];
        break;
      case 'unassign':
        task!.assignees = task!.assignees.filter((person) => person !== op.person);
        break;
      case 'delete-task':
        task!.deleted = true;
        break;
      case 'register':
        this.items.set(op.item, { key: op.item, origin: 'forecast', person: op.person, place: { kind: 'task', task: op.task }, content: op.content, deleted: false, lastSide: 'forecast' });
        break;
      case 'log-work':
        this.items.set(op.item, { key: op.item, origin: 'timelog', person: op.person, place: op.place, content: op.content, deleted: false, lastSide: 'timelog' });
        break;
      case 'edit-registration':
      case 'edit-work':
        item!.content = op.content;
        item!.lastSide = op.kind === 'edit-registration' ? 'forecast' : 'timelog';
        break;
      case 'delete-registration':
      case 'delete-work':
        item!.deleted = true;
        break;
      case 'unlink-bob':
      case 'relink-bob':
        this.bobLinked = op.kind === 'relink-bob';
        break;
      case 'deactivate':
      case 'reactivate':
        this.active = op.kind === 'reactivate';
        this.opsSinceDeactivation = 0;
        if (!this.active) this.deactivations += 1;
        break;
    }
    if (!this.active) this.opsSinceDeactivation += 1;
  }

  /** Whether the sync is expected to carry this item to the other side. */
  inScope(item: ItemModel): boolean {
    if (item.person === 'carl') return false;
    if (item.place.kind === 'unlinked-timelog') return false;
    if (item.place.kind === 'timelog-only') return true;
    return this.tasks.get(item.place.task)!.linked;
  }

  /** Items whose other side a user may touch: synced, and edited from both sides only by Ann. */
  private twoSided(item: ItemModel): boolean {
    return this.inScope(item) && item.person === 'ann';
  }

  private liveTasks(filter: (task: TaskModel) => boolean) {
    return [...this.tasks.values()].filter((task) => !task.deleted && filter(task));
  }

  private liveItems(filter: (item: ItemModel) => boolean) {
    return [...this.items.values()].filter((item) => !item.deleted && filter(item));
  }

  /** The next operation; deterministic in the generator's state and this model. */
  nextOperation(random: SeededRandom, sequence: number): Operation {
    const content = (): Content => ({ date: dayBefore(random.int(0, 6)), minutes: random.int(1, 480), note: `note ${this.index}.${sequence}` });
    const workTasks = (person: Person) => this.liveTasks((task) => !task.container && task.assignees.includes(person));
    const forecastEditable = this.liveItems((item) => item.origin === 'forecast' || this.twoSided(item));
    const timelogEditable = this.liveItems((item) => item.origin === 'timelog' || (this.twoSided(item) && item.place.kind === 'task'));
    // While the company is deactivated nothing syncs: only same-side work that needs no synced counterpart.
    const sameSideOnly = !this.active;
    const forecastChoices = sameSideOnly ? forecastEditable.filter((item) => item.lastSide === 'forecast' && item.origin === 'forecast') : forecastEditable;
    const timelogChoices = sameSideOnly ? timelogEditable.filter((item) => item.lastSide === 'timelog' && item.origin === 'timelog') : timelogEditable;
    const linkedTasks = this.liveTasks((task) => task.linked);
    const kind = random.weighted({
      'create-task': linkedTasks.length < 4 ? 6 : 2,
      'rename-task': linkedTasks.length > 0 ? 1 : 0,
      'assign': linkedTasks.length > 0 ? 1 : 0,
      'unassign': linkedTasks.length > 0 ? 1 : 0,
      'delete-task': linkedTasks.length > 3 ? 1 : 0,
      'register': 8,
      'edit-registration': forecastChoices.length > 0 ? 6 : 0,
      'delete-registration': forecastChoices.length > 2 ? 2 : 0,
      'log-work': 6,
      'edit-work': timelogChoices.length > 0 ? 5 : 0,
      'delete-work': timelogChoices.length > 2 ? 2 : 0,
      // Links need an active company (the mapping service checks the TimeLog user live).
      'link': this.active ? 1 : 0,
      'activation': this.index === 0 && (this.active ? this.deactivations < 1 && sequence > 20 : this.opsSinceDeactivation > 8) ? 3 : 0,
    });
    switch (kind) {
      case 'create-task': {
        const containers = linkedTasks.filter((task) => task.container && !task.parent);
        const parent = containers.length > 0 && random.chance(0.4) ? random.pick(containers).key : null;
        const container = !parent && random.chance(0.15);
        const assignees = (['ann', 'bob', 'carl'] as const).filter(() => random.chance(0.7));
        return { kind: 'create-task', task: `t${this.index}.${sequence}`, name: `Task ${this.index}.${sequence}`, parent, container, linked: true, assignees: container ? [] : assignees };
      }
      case 'rename-task': {
        const task = random.pick(linkedTasks);
        return { kind: 'rename-task', task: task.key, name: `${task.name.replace(/ \(renamed.*$/, '')} (renamed ${sequence})` };
      }
      case 'assign': {
        const leaves = linkedTasks.filter((t) => !t.container);
        const task = leaves.length > 0 ? random.pick(leaves) : null;
        const missing = (['ann', 'bob', 'carl'] as const).filter((person) => task && !task.assignees.includes(person));
        if (!task || missing.length === 0) return this.nextOperation(random, sequence);
        return { kind: 'assign', task: task.key, person: random.pick(missing) };
      }
      case 'unassign': {
        // Only someone with no live time on the task: TimeLog takes no new work on a completed allocation.
        const candidates = linkedTasks.flatMap((task) =>
          task.assignees.filter((person) => !this.liveItems((item) => item.person === person && item.place.kind === 'task' && item.place.task === task.key).length).map((person) => ({ task, person })),
        );
        if (candidates.length === 0) return this.nextOperation(random, sequence);
        const { task, person } = random.pick(candidates);
        return { kind: 'unassign', task: task.key, person };
      }
      case 'delete-task': {
        const deletable = linkedTasks.filter(
          (task) => !this.liveItems((item) => item.place.kind === 'task' && item.place.task === task.key).length && !this.liveTasks((child) => child.parent === task.key).length,
        );
        if (deletable.length === 0) return this.nextOperation(random, sequence);
        return { kind: 'delete-task', task: random.pick(deletable).key };
      }
      case 'register': {
        const person = random.pick(['ann', 'ann', 'bob', 'carl'] as const);
        const tasks = workTasks(person);
        if (tasks.length === 0) return { kind: 'create-task', task: `t${this.index}.${sequence}`, name: `Task ${this.index}.${sequence}`, parent: null, container: false, linked: true, assignees: [person] };
        return { kind: 'register', item: `i${this.index}.${sequence}`, person, task: random.pick(tasks).key, content: content() };
      }
      case 'edit-registration':
      case 'delete-registration': {
        const item = random.pick(forecastChoices);
        const crossSide = item.lastSide !== 'forecast' || item.origin !== 'forecast';
        return kind === 'edit-registration' ? { kind, item: item.key, content: { ...content(), date: random.chance(0.7) ? item.content.date : content().date }, crossSide } : { kind, item: item.key, crossSide };
      }
      case 'log-work': {
        const person = random.pick(['ann', 'ann', 'carl'] as const);
        // TimeLog allocates only linked people; Carl's work goes to the TimeLog-only task or the unlinked project.
        const tasks = person === 'ann' && !sameSideOnly ? workTasks('ann').filter((task) => task.linked) : [];
        const roll = random.next();
        const place: Place = tasks.length > 0 && roll < 0.6 ? { kind: 'task', task: random.pick(tasks).key } : roll < 0.85 ? { kind: 'timelog-only' } : { kind: 'unlinked-timelog' };
        return { kind: 'log-work', item: `i${this.index}.${sequence}`, person, place, content: content(), guid: random.uuid() };
      }
      case 'edit-work':
      case 'delete-work': {
        const item = random.pick(timelogChoices);
        const crossSide = item.lastSide !== 'timelog' || item.origin !== 'timelog';
        return kind === 'edit-work' ? { kind, item: item.key, content: { ...content(), date: random.chance(0.7) ? item.content.date : content().date }, crossSide } : { kind, item: item.key, crossSide };
      }
      case 'link':
        return { kind: this.bobLinked ? 'unlink-bob' : 'relink-bob' };
      case 'activation':
        return { kind: this.active ? 'deactivate' : 'reactivate' };
    }
  }

  /** What ends the workload: everyone linked again and the company active, so everything in scope can converge. */
  closingOperations(): Operation[] {
    return [...(this.active ? [] : [{ kind: 'reactivate' } as const]), ...(this.bobLinked ? [] : [{ kind: 'relink-bob' } as const])];
  }
}

/** Site-local days would do as well: the sites are UTC+1 and the workload runs in UTC, dates are days back from today. */
function dayBefore(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}
