/** Faults a test asked for, per site: the next N calls fail, every call is delayed. Not persisted. */
export type FaultKind = 'http-500' | 'http-503' | 'soap-fault';

export interface FaultPlan {
  failNext: number;
  kind: FaultKind;
  latencyMs: number;
  /** Only calls of this operation are affected; all when absent. */
  operation?: string;
}

export interface CallRecord {
  calls: Record<string, number>;
}

const NO_FAULTS: FaultPlan = { failNext: 0, kind: 'http-500', latencyMs: 0 };

export class SiteChaos {
  private readonly plans = new Map<string, FaultPlan>();
  private readonly counters = new Map<string, Map<string, number>>();

  plan(account: string): FaultPlan {
    return this.plans.get(account.toLowerCase()) ?? NO_FAULTS;
  }

  setPlan(account: string, plan: FaultPlan): void {
    this.plans.set(account.toLowerCase(), plan);
  }

  clearPlan(account: string): void {
    this.plans.delete(account.toLowerCase());
  }

  /** Decides for one incoming call: the latency to add and whether it fails (consuming one of the N). */
  draw(account: string, operation: string): { latencyMs: number; fail?: FaultKind } {
    const plan = this.plan(account);
    if (plan.operation && plan.operation !== operation) return { latencyMs: 0 };
    if (plan.failNext <= 0) return { latencyMs: plan.latencyMs };
    this.setPlan(account, { ...plan, failNext: plan.failNext - 1 });
    return { latencyMs: plan.latencyMs, fail: plan.kind };
  }

  count(account: string, operation: string): void {
    const key = account.toLowerCase();
    const counts = this.counters.get(key) ?? new Map<string, number>();
    counts.set(operation, (counts.get(operation) ?? 0) + 1);
    this.counters.set(key, counts);
  }

  calls(account: string): Record<string, number> {
    return Object.fromEntries(this.counters.get(account.toLowerCase()) ?? []);
  }

  forget(account?: string): void {
    if (account === undefined) {
      this.plans.clear();
      this.counters.clear();
      return;
    }
    this.plans.delete(account.toLowerCase());
    this.counters.delete(account.toLowerCase());
  }
}
