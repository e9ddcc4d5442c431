/**
 * The files the API contract is committed as, generated from the code: openapi.yaml (what the
 * service serves) and schemas/front-matter.schema.json (the content model, for editors).
 * `npm run openapi` writes them; `npm run openapi:check` and the tests compare them.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { FrontMatterSchema } from '../schemas/front-matter.ts';
import { openapiYaml } from '../src/plugins/openapi.ts';

export interface ContractFile {
  /** Path relative to the project root. */
  path: string;
  content: string;
}

/** The JSON Schema of a page's front matter, as editors read it. */
export function frontMatterJsonSchema(): string {
  return `${JSON.stringify(z.toJSONSchema(FrontMatterSchema, { target: 'draft-2020-12', io: 'input' }), null, 2)}\n`;
}

/** Every committed contract file, as the app generates it now. */
export function contractFiles(app: FastifyInstance): ContractFile[] {
  return [
    { path: 'openapi.yaml', content: openapiYaml(app) },
    { path: 'schemas/front-matter.schema.json', content: frontMatterJsonSchema() },
  ];
}
