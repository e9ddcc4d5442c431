import { z } from 'zod';
import { IdentifierSchema } from './identifier.ts';

export const DataParamsSchema = z.object({
  // The loader reads no top-level data file whose key this refuses (see schemas/identifier.ts).
  name: IdentifierSchema.regex(/^[^/.][^/]*$/, 'must be the name of one data file, without its extension and not starting with a dot')
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
