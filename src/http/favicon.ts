import type { FastifyInstance } from 'fastify';

/**
 * The site's icon, drawn here rather than kept as a binary file: a white "U" on the header's
 * navy with its red underline. The same drawing gives the SVG (modern browsers, via
 * <link rel="icon">) and the ICO that browsers and tools still ask for at /favicon.ico.
 */
const NAVY = [0x1d, 0x3f, 0x73] as const;
const RED = [0xc8, 0x10, 0x2e] as const;
const WHITE = [0xff, 0xff, 0xff] as const;

export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
<rect width="32" height="32" fill="#1d3f73"/>
<rect y="27" width="32" height="5" fill="#c8102e"/>
<path d="M8 5h4v13a4 4 0 0 0 8 0V5h4v13a8 8 0 0 1-16 0z" fill="#fff"/>
</svg>
`;

/** The colour of pixel (x, y) of a 32-unit square drawn at `size` pixels: the SVG above, sampled. */
function pixel(x: number, y: number, size: number): readonly [number, number, number] {
  const u = ((x + 0.5) * 32) / size;
  const v = ((y + 0.5) * 32) / size;
  if (v >= 27) return RED;
  const inStem = (u >= 8 && u < 12) || (u >= 20 && u < 24);
  if (v >= 5 && v < 18 && inStem) return WHITE;
  // The bowl: a ring around (16, 18) from radius 4 to 8, lower half.
  const r = Math.hypot(u - 16, v - 18);
  if (v >= 18 && r >= 4 && r < 8) return WHITE;
  return NAVY;
}

/** An ICO file with one 32-bit bitmap per size (BITMAPINFOHEADER, bottom-up rows, AND mask). */
export function faviconIco(sizes: readonly number[] = [16, 32]): Buffer {
  const images = sizes.map((size) => {
    const header = Buffer.alloc(40);
    header.writeUInt32LE(40, 0);
    header.writeInt32LE(size, 4);
    header.writeInt32LE(size * 2, 8); // colour bitmap and mask, one above the other
    header.writeUInt16LE(1, 12);
    header.writeUInt16LE(32, 14);
    const colours = Buffer.alloc(size * size * 4);
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) {
        const [r, g, b] = pixel(x, size - 1 - y, size);
        colours.set([b, g, r, 0xff], (y * size + x) * 4);
      }
    const maskRow = Math.ceil(size / 32) * 4;
    return Buffer.concat([header, colours, Buffer.alloc(maskRow * size)]);
  });
  const directory = Buffer.alloc(6 + 16 * images.length);
  directory.writeUInt16LE(1, 2);
  directory.writeUInt16LE(images.length, 4);
  let offset = directory.length;
  images.forEach((image, i) => {
    const entry = 6 + 16 * i;
    directory.writeUInt8(sizes[i]! % 256, entry);
    directory.writeUInt8(sizes[i]! % 256, entry + 1);
    directory.writeUInt16LE(1, entry + 4);
    directory.writeUInt16LE(32, entry + 6);
    directory.writeUInt32LE(image.length, entry + 8);
    directory.writeUInt32LE(offset, entry + 12);
    offset += image.length;
  });
  return Buffer.concat([directory, ...images]);
}

export function registerFavicon(app: FastifyInstance): void {
  const ico = faviconIco();
  const publicRoute = { config: { access: 'public' as const } };
  const cache = 'public, max-age=86400';
  app.get('/favicon.ico', publicRoute, async (_request, reply) =>
    reply.type('image/x-icon').header('cache-control', cache).send(ico),
  );
  app.get('/favicon.svg', publicRoute, async (_request, reply) =>
    reply.type('image/svg+xml').header('cache-control', cache).send(FAVICON_SVG),
  );
}
