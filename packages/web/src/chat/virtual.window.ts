/**
 * The arithmetic of the virtualised message list, kept pure so it can be tested without a DOM: row
 * offsets from (measured or estimated) heights, the rows to render around the viewport, and the row
 * the viewport is anchored to (so prepending older messages or a row growing does not move what is read).
 */

/** Offsets of each row's top; the last entry is the total height. `offsets.length === heights.length + 1`. */
export function rowOffsets(heights: readonly number[]): number[] {
  const offsets = new Array<number>(heights.length + 1);
  offsets[0] = 0;
  for (let i = 0; i < heights.length; i++) offsets[i + 1] = offsets[i]! + heights[i]!;
  return offsets;
}

/** The index of the row that contains `y` (clamped to the rows; -1 when there are none). */
export function rowAt(offsets: readonly number[], y: number): number {
  const count = offsets.length - 1;
  if (count <= 0) return -1;
  let lo = 0;
  let hi = count - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offsets[mid]! <= y) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export interface VirtualWindow {
  /** First row to render. */
  start: number;
  /** One past the last row to render. */
  end: number;
  /** Height of the spacer standing in for the rows before `start`. */
  before: number;
  /** Height of the spacer standing in for the rows from `end` on. */
  after: number;
}

/** The rows that intersect the viewport widened by `overscan` pixels on both sides. */
export function visibleWindow(offsets: readonly number[], scrollTop: number, viewport: number, overscan: number): VirtualWindow {
  const count = offsets.length - 1;
  const total = offsets[count] ?? 0;
  if (count <= 0) return { start: 0, end: 0, before: 0, after: 0 };
  const start = rowAt(offsets, Math.max(0, scrollTop - overscan));
  const end = Math.min(count, rowAt(offsets, scrollTop + viewport + overscan) + 1);
  return { start, end, before: offsets[start]!, after: total - offsets[end]! };
}

/** Where the viewport is pinned: the first row it shows, and how far the viewport's top is below that row's top. */
export interface Anchor {
  key: string;
  delta: number;
}

export function anchorAt(keys: readonly string[], offsets: readonly number[], scrollTop: number): Anchor | null {
  const i = rowAt(offsets, scrollTop);
  return i < 0 ? null : { key: keys[i]!, delta: scrollTop - offsets[i]! };
}

/** The scroll position that shows the anchored row where it was, after rows were added or re-measured (null: the row is gone). */
export function scrollTopFor(anchor: Anchor, keys: readonly string[], offsets: readonly number[]): number | null {
  const i = keys.indexOf(anchor.key);
  return i < 0 ? null : offsets[i]! + anchor.delta;
}

/** Whether the viewport shows the end of the list (within `slack` pixels): new rows then keep it at the bottom. */
export function isAtBottom(scrollTop: number, viewport: number, total: number, slack = 48): boolean {
  return total - (scrollTop + viewport) <= slack;
}
