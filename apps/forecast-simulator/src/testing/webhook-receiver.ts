import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedDelivery {
  path: string;
  receivedAt: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

/** A test HTTP server recording deliveries; `failNext(n)` makes it answer 500 to the next n requests. */
export class WebhookReceiver {
  readonly deliveries: ReceivedDelivery[] = [];
  private failures = 0;
  private readonly server: Server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => (text += chunk));
    request.on('end', () => {
      this.deliveries.push({ path: request.url ?? '', receivedAt: Date.now(), headers: request.headers, body: JSON.parse(text) });
      const failing = this.failures > 0;
      if (failing) this.failures -= 1;
      response.writeHead(failing ? 500 : 204).end();
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  failNext(count: number): void {
    this.failures = count;
  }

  at(path: string): ReceivedDelivery[] {
    return this.deliveries.filter((delivery) => delivery.path === path);
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
