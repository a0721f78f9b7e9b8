import { Dispatcher, request } from 'undici';

/** undici's request API rather than fetch: a benchmark's load generator shares the CPU it measures. */
export async function httpJson<T = any>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const response = await request(url, {
    method: method as Dispatcher.HttpMethod,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.body.text();
  if (response.statusCode < 200 || response.statusCode >= 300) throw new HttpError(method, url, response.statusCode, text);
  return (text ? JSON.parse(text) : undefined) as T;
}

export class HttpError extends Error {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${method} ${url} -> ${status} ${body}`);
  }

  json(): any {
    return JSON.parse(this.body);
  }
}
