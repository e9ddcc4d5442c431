import type { IncomingHttpHeaders } from 'node:http';

/**
 * Whether the client's copy is current (RFC 9110 §13.1): If-None-Match by weak comparison
 * (`W/"x"` matches `"x"`), `*` for any, else If-Modified-Since at or after the last change (to the
 * second, as Last-Modified says it). Pages and assets answer 304 by the same rule.
 */
export function isFresh(headers: IncomingHttpHeaders, etag: string, lastModified: Date): boolean {
  const ifNoneMatch = headers['if-none-match'];
  if (ifNoneMatch === etag) return true;
  if (ifNoneMatch) {
    return ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
  }
  const ifModifiedSince = headers['if-modified-since'];
  if (ifModifiedSince) {
    const since = Date.parse(ifModifiedSince);
    return !Number.isNaN(since) && Math.floor(lastModified.getTime() / 1000) * 1000 <= since;
  }
  return false;
}
