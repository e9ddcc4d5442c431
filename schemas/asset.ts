import { z } from 'zod';

/** An image of the content folder used by a page, with where it is served and its size. */
export const PageImageSchema = z
  .object({
    field: z
      .string()
      .describe(
        'Where the page uses it: a front-matter path (`front_matter.header.overlay_image`), `author.avatar`, or `html` for an image of the body.',
      ),
    src: z.string().describe('The URL as written in the page.'),
    url: z
      .string()
      .describe('Where it is served: /v1/assets/{path} (absolute under PUBLIC_URL when set). The page JSON and HTML use this URL.'),
    width: z.number().int().min(1),
    height: z.number().int().min(1),
  })
  .meta({
    id: 'PageImage',
    example: {
      field: 'front_matter.header.overlay_image',
      src: 'images/headers/pyopensci-floral.png',
      url: '/v1/assets/images/headers/pyopensci-floral.png',
      width: 1200,
      height: 400,
    },
  });

export const AssetParamsSchema = z.object({
  '*': z
    .string()
    .min(1)
    .max(1024)
    .describe('Path of the file in the content folder, e.g. images/headers/pyopensci-editors.png.')
    .meta({ examples: ['images/headers/pyopensci-editors.png'] }),
});

/** What an image variant may be encoded as (`?format=`). */
export const IMAGE_VARIANT_FORMATS = ['webp', 'avif', 'jpeg', 'png'] as const;

/** Narrowest and widest image variant (`?w=`), in pixels. */
export const IMAGE_VARIANT_WIDTH = { min: 16, max: 4096 } as const;

/** What GET /v1/assets/{path} answers: the file itself, under its own media type, or a variant of an image. */
export const AssetBytesSchema = z.string().meta({
  id: 'AssetBytes',
  format: 'binary',
  description:
    "The file's bytes, with its own media type (image/png, application/pdf…); with `w` or `format`, the image variant's, with the variant's type (image/webp…).",
  example: "(the file's bytes)",
});

export type PageImage = z.infer<typeof PageImageSchema>;
export type ImageVariantFormat = (typeof IMAGE_VARIANT_FORMATS)[number];
