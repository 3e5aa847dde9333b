/** Length of line one box of a corridor covers, metres (longer when the line is very long: at most 400 boxes). */
const CORRIDOR_PIECE_M = 10_000;
const MAX_CORRIDOR_BOXES = 400;
const METRES_PER_DEGREE = 111_320;

const planarMetres = ([x1, y1]: readonly [number, number], [x2, y2]: readonly [number, number]): number =>
  Math.hypot((x2 - x1) * METRES_PER_DEGREE * Math.cos(((y1 + y2) / 2) * (Math.PI / 180)), (y2 - y1) * METRES_PER_DEGREE);

/**
 * Boxes `[minLng, minLat, maxLng, maxLat]` that together cover every point within `width` metres of a
 * GeoJSON LineString: the line walked in pieces of about 10 km, each piece's box grown by the width
 * (plus 10 %: boxes are in degrees, distances on the sphere).
 */
export const corridorBoxes = (geojson: string, width: number): [number, number, number, number][] => {
  const parsed = JSON.parse(geojson) as { coordinates?: unknown };
  const line = Array.isArray(parsed.coordinates) ? (parsed.coordinates as [number, number][]) : [];
  let total = 0;
  for (let i = 1; i < line.length; i += 1) total += planarMetres(line[i - 1] ?? [0, 0], line[i] ?? [0, 0]);
  const piece = Math.max(CORRIDOR_PIECE_M, total / MAX_CORRIDOR_BOXES);
  const boxes: [number, number, number, number][] = [];
  let box: [number, number, number, number] | null = null;
  let walked = 0;
  const grow = ([x, y]: readonly [number, number]) => {
    box = box ? [Math.min(box[0], x), Math.min(box[1], y), Math.max(box[2], x), Math.max(box[3], y)] : [x, y, x, y];
  };
  const close = () => {
    if (!box) return;
    const [minX, minY, maxX, maxY] = box;
    const dLat = (width * 1.1) / METRES_PER_DEGREE;
    const maxAbsLat = Math.min(89, Math.max(Math.abs(minY), Math.abs(maxY)) + dLat);
    const dLng = Math.min(180, (width * 1.1) / (METRES_PER_DEGREE * Math.cos(maxAbsLat * (Math.PI / 180))));
    boxes.push([Math.max(-180, minX - dLng), Math.max(-90, minY - dLat), Math.min(180, maxX + dLng), Math.min(90, maxY + dLat)]);
    box = null;
  };
  const first = line[0];
  if (first) grow(first);
  for (let i = 1; i < line.length; i += 1) {
    const a = line[i - 1] ?? [0, 0];
    const b = line[i] ?? [0, 0];
    const length = planarMetres(a, b);
    let done = 0;
    // cut a long segment where the current piece is full
    while (length - done > piece - walked) {
      done += piece - walked;
      const t = done / length;
      const cut: [number, number] = [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
      grow(cut);
      close();
      grow(cut);
      walked = 0;
    }
    walked += length - done;
    grow(b);
  }
  close();
  return boxes;
};
