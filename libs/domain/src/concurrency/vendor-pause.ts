import { ExternalCallError, Vendor } from '../external-call-error';

/**
 * One company's back-pressure from one vendor. After a 429 with Retry-After, or a call that ran into its timeout,
 * the company's further calls fail at once (retryable, carrying the seconds left) until the pause ends, so callers
 * defer that company's work instead of holding shared workers, partitions or batches; other companies never wait.
 * When the pause ends a single call probes the vendor; the others keep failing fast until it succeeds.
 */
export class VendorPause {
  private until = 0;
  private reason = '';
  private probing = false;

  constructor(
    private readonly vendor: Vendor,
    /** How long a timed-out call pauses the company (no Retry-After to go by); undefined: timeouts do not pause. */
    private readonly afterTimeoutSeconds: number | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /** When calls may go out again; null when they may now. */
  pausedUntil(): Date | null {
    return this.until > this.now() ? new Date(this.until) : null;
  }

  /** Runs one vendor call under the pause: refused while paused or while another call probes, pausing on back-pressure. */
  async run<T>(operation: string, call: () => Promise<T>): Promise<T> {
    const probe = this.admit(operation);
    try {
      const result = await call();
      if (probe) this.until = 0;
      return result;
    } catch (error) {
      const paused = error instanceof ExternalCallError && this.observe(error);
      // Any other answer, even a refusal, shows the vendor is responsive again.
      if (probe && !paused) this.until = 0;
      throw error;
    } finally {
      if (probe) this.probing = false;
    }
  }

  /** True when this call is the probe after a pause. */
  private admit(operation: string): boolean {
    const remainingMs = this.until - this.now();
    if (remainingMs > 0 || (this.until > 0 && this.probing)) {
      const seconds = Math.ceil(remainingMs / 1000);
      // While a probe is out its answer is near: ask to come back soon.
      throw new ExternalCallError(this.vendor, operation, 'retryable', `calls for this company paused: ${this.reason}`, 'PAUSED', remainingMs > 0 ? seconds : 1);
    }
    if (this.until === 0) return false;
    this.probing = true;
    return true;
  }

  /** Pauses on back-pressure (Retry-After, timeout); true when it did. */
  private observe(error: ExternalCallError): boolean {
    const seconds = error.code === 'TIMEOUT' ? this.afterTimeoutSeconds : error.retryAfterSeconds;
    if (seconds === undefined || seconds <= 0) return false;
    this.until = Math.max(this.until, this.now() + seconds * 1000);
    this.reason = error.code === 'TIMEOUT' ? `${error.operation} timed out` : `${this.vendor} asked to retry after ${seconds} s`;
    return true;
  }
}
