import type { ExportedFile } from './files.ts';
import type { ServiceClient } from './source.ts';

/**
 * Whether the service answered these headers with its origin-list policy: no
 * Access-Control-Allow-Origin (the export asks without an Origin) and `Vary: Origin`, which
 * @fastify/cors adds when CORS_ORIGINS is a list. Such an answer needs the request's Origin
 * echoed per request, which a file cannot hold.
 */
export function echoesOrigin(headers: Record<string, string>): boolean {
  return !('access-control-allow-origin' in headers) && /(^|,)\s*origin\s*(,|$)/i.test(headers.vary ?? '');
}

/**
 * The origins nginx must echo, checked against the service: none when its answers carry a fixed
 * Access-Control-Allow-Origin (`*`) or no CORS at all; else `configured` (the exporter's
 * CORS_ORIGINS), each of which the service must echo itself, so that nginx and the replicas it
 * proxies to allow the same origins.
 */
export async function originsToEcho(client: ServiceClient, files: ExportedFile[], configured: string[] | undefined): Promise<string[]> {
  if (!files.some((file) => echoesOrigin(file.headers))) return [];
  const origins = (configured ?? []).filter((origin) => origin !== '*');
  if (origins.length === 0)
    throw new Error(
      'the service allows a list of CORS origins (its answers vary on Origin): export with the same CORS_ORIGINS as the replicas, so nginx echoes them',
    );
  for (const origin of origins) {
    if (!isOrigin(origin)) throw new Error(`CORS_ORIGINS: ${JSON.stringify(origin)} is not an origin (scheme://host[:port])`);
    const answer = await client('/v1/site', { accept: 'application/json', 'accept-encoding': 'identity', origin });
    if (answer.headers['access-control-allow-origin'] !== origin)
      throw new Error(`CORS_ORIGINS lists ${origin} but the service does not allow it: export with the same CORS_ORIGINS as the replicas`);
  }
  return origins;
}

function isOrigin(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/[a-z0-9.-]+(:\d+)?$/i.test(value) || value === 'null';
}

/**
 * The nginx map from the request's Origin to the value of Access-Control-Allow-Origin: the origin
 * when it is one of `origins`, compared exactly as the service does (a regex, since nginx compares
 * map strings ignoring case), else empty, and nginx sends no header with an empty value.
 */
export function corsOriginMap(origins: string[]): string {
  const lines = origins.map((origin) => `    "~^${origin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$" "${origin}";`);
  return [
    "  # CORS_ORIGINS is a list: the request's Origin is echoed only when it is in it (with Vary: Origin, as the service sends).",
    '  map $http_origin $export_cors_origin {',
    '    default "";',
    ...lines,
    '  }',
  ].join('\n');
}

/** The add_header line that echoes an allowed Origin, for answers that `echoesOrigin`. */
export const ECHO_ORIGIN_HEADER = 'add_header access-control-allow-origin $export_cors_origin always;';
