/**
 * Where `npm run build` puts what the bundle `npm start` runs reads besides its code, relative to
 * the bundle's folder (`dist/bundle/`): Swagger UI's own files, copied from its package
 * (scripts/bundle.ts) and served from there (src/plugins/openapi.ts). Beside the folder, not in
 * it: the renderer key hashes that folder's files (renderer-key.ts).
 */
export const BUNDLED_UI_FILES = '../swagger-ui';
