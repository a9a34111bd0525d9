/**
 * C2SP tlog-tiles (https://c2sp.org/tlog-tiles) paths: `tile/<L>/<N>[.p/<W>]` and
 * `tile/entries/<N>[.p/<W>]`. Hash `i` of tile `N` at level `L` is the tree node at height
 * 8·L with index N·256 + i.
 */
export const TILE_WIDTH = 256;
export const TILE_HEIGHT = 8;

export interface TileRef {
  /** Tile level, or 'entries' for an entry bundle. */
  level: number | 'entries';
  index: number;
  /** 256 for a full tile, 1..255 for a partial one. */
  width: number;
}

export class TilePathError extends Error {
  constructor(readonly rule: 'level' | 'width' | 'index' | 'canonical') {
    super(`invalid tile path: ${rule}`);
  }
}

/** N as zero-padded 3-digit path elements, all but the last prefixed with "x". */
export function formatTileIndex(index: number): string {
  const groups: string[] = [];
  let rest = index;
  do {
    groups.unshift(String(rest % 1000).padStart(3, '0'));
    rest = Math.floor(rest / 1000);
  } while (rest > 0);
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
}

export function formatTilePath(tile: TileRef): string {
  const partial = tile.width < TILE_WIDTH ? `.p/${tile.width}` : '';
  return `tile/${tile.level}/${formatTileIndex(tile.index)}${partial}`;
}

/** Parses the part of a tile URL after `tile/`; only the canonical encoding is accepted. */
export function parseTilePath(path: string): TileRef {
  const parts = path.split('/');
  const [levelPart, ...rest] = parts;
  let level: number | 'entries';
  if (levelPart === 'entries') level = 'entries';
  else if (levelPart && /^(0|[1-9][0-9]?)$/.test(levelPart) && Number(levelPart) <= 63)
    level = Number(levelPart);
  else throw new TilePathError('level');

  let width = TILE_WIDTH;
  const beforeLast = rest[rest.length - 2];
  if (beforeLast?.endsWith('.p')) {
    const widthPart = rest.pop() as string;
    if (!/^[1-9][0-9]{0,2}$/.test(widthPart) || Number(widthPart) >= TILE_WIDTH)
      throw new TilePathError('width');
    width = Number(widthPart);
    rest[rest.length - 1] = beforeLast.slice(0, -2);
  }
  if (rest.length === 0 || rest.length > 5) throw new TilePathError('index');
  const digits = rest.map((part, i) => {
    const match = (i < rest.length - 1 ? /^x([0-9]{3})$/ : /^([0-9]{3})$/).exec(part);
    if (!match?.[1]) throw new TilePathError('index');
    return match[1];
  });
  const index = Number(digits.join(''));
  const tile = { level, index, width };
  if (formatTilePath(tile) !== `tile/${path}`) throw new TilePathError('canonical');
  return tile;
}
