import { Agent, request } from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface FloodOptions {
  /** The ingestor's origin, e.g. http://127.0.0.1:3001. */
  ingestorUrl: string;
  requests: number;
  concurrency: number;
  /** Share of requests with a body over the body limit (`oversizedBytes`), and of malformed JSON. */
  oversizedShare: number;
  oversizedBytes: number;
  malformedShare: number;
  /**
   * Loopback source addresses the flood comes from (127.0.0.2 …): an attacker's own addresses, apart from the
   * simulator's deliveries on 127.0.0.1, as on the internet.
   */
  sourceAddresses: number;
  /** Called with the running count after each answer, e.g. to send good traffic spread over the flood. */
  onAnswered?: (answered: number) => void;
}

/** What the ingestor answered, by status. */
export type FloodAnswers = Record<string, number>;

/**
 * Unauthenticated traffic as an attacker sends it: random tokens of random length (up to 4 KB), a share of
 * oversized and malformed bodies. Counts the answers; a refused connection counts as status 0.
 */
export async function floodWebhooks(options: FloodOptions): Promise<FloodAnswers> {
  const target = new URL(options.ingestorUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const answers: FloodAnswers = {};
  const oversized = Buffer.alloc(options.oversizedBytes, 'a');
  let next = 0;
  let answered = 0;
  const send = (i: number) =>
    new Promise<void>((resolve) => {
      const token = randomBytes(1 + (i % 3000)).toString('base64url');
      const roll = (i * 7919) % 1000;
      const body =
        roll < options.oversizedShare * 1000
          ? oversized
          : roll < (options.oversizedShare + options.malformedShare) * 1000
            ? Buffer.from('{"timestamp": "2026-01-01T00:00:00Z", "object": {')
            : Buffer.from(JSON.stringify({ timestamp: '2026-01-01T00:00:00Z', event: 'task_updated', object: { id: i + 1 } }));
      const call = request(
        {
          host: target.hostname,
          port: target.port,
          method: 'POST',
          path: `/webhooks/forecast/${token}/task`,
          headers: { 'content-type': 'application/json', 'content-length': body.length },
          agent,
          // A request left unanswered counts as refused rather than stalling the flood.
          timeout: 15_000,
          localAddress: `127.0.0.${2 + (i % options.sourceAddresses)}`,
        },
        (response) => {
          answers[response.statusCode ?? 0] = (answers[response.statusCode ?? 0] ?? 0) + 1;
          response.resume().on('end', resolve).on('error', resolve);
        },
      );
      call.on('timeout', () => call.destroy(new Error('timed out')));
      call.on('error', () => {
        answers[0] = (answers[0] ?? 0) + 1;
        resolve();
      });
      call.end(body);
    }).then(() => options.onAnswered?.(++answered));
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < options.requests) await send(next++);
    }),
  );
  agent.destroy();
  return answers;
}

/** Resident set size of a process in MB (Linux). */
export const rssMb = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/** Samples a process's RSS until stopped; returns the peak seen. */
export function sampleRss(pid: number, intervalMs = 200): { stop(): number } {
  let peak = rssMb(pid);
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, rssMb(pid));
    } catch {
      // The process is gone: the test's own checks say so.
    }
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}
