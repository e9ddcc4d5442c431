import { z } from 'zod';

/**
 * The answer to a conditional request (If-None-Match, If-Modified-Since) whose copy is still
 * current: 304 with no body. `null` tells the OpenAPI document there is no content.
 */
export const NotModifiedSchema = z
  .null()
  .describe('Not Modified: the ETag in If-None-Match (or the date in If-Modified-Since) is still current; reuse your copy. No body.');
