import { z } from 'zod';
import { MAX_IDENTIFIER_LENGTH } from './identifier.ts';

export const DataParamsSchema = z.object({
  name: z
    .string()
    .min(1)
    .max(MAX_IDENTIFIER_LENGTH)
    .regex(/^[^/.][^/]*$/, 'must be the name of one data file, without its extension and not starting with a dot')
    .describe(
      'Name of a data file in `_data/`, without its extension (`_data/authors.yml` is `authors`; a folder `_data/team/` is `team`).',
    )
    .meta({ examples: ['authors'] }),
});

/** A site data file as JSON: whatever its YAML or JSON holds, secrets removed. */
export const DataFileSchema = z
  .unknown()
  .describe(
    "The data file's content as JSON (a folder: its files by name). Keys that look secret (secret, token, password, api_key, private, credential) are removed at every depth.",
  )
  .meta({ id: 'DataFile', example: { main: [{ title: 'About', url: '/about/' }] } });
