import type { FastifyInstance } from 'fastify';

/** One response as the service sent it: status, headers (lower-case names) and the body's bytes. */
export interface Exchange {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Asks the service for one URL (path and query) with the given request headers. */
export type ServiceClient = (url: string, headers: Record<string, string>) => Promise<Exchange>;

/** A client of an app in this process (`app.inject`): the same routes and serializer, no socket. */
export function injectClient(app: FastifyInstance): ServiceClient {
  return async (url, headers) => {
    const response = await app.inject({ method: 'GET', url, headers });
    return { status: response.statusCode, headers: flatten(response.headers), body: response.rawPayload };
  };
}

/** A client of a running replica over HTTP: the bytes it sends, as they arrive (no decoding). */
export function httpClient(base: string): ServiceClient {
  const origin = base.replace(/\/+$/, '');
  return async (url, headers) => {
    const response = await fetch(origin + url, { headers, redirect: 'manual' });
    const head: Record<string, string> = {};
    response.headers.forEach((value, name) => (head[name] = value));
    return { status: response.status, headers: head, body: Buffer.from(await response.arrayBuffer()) };
  };
}

function flatten(headers: Record<string, string | string[] | number | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  return flat;
}
