import type { ComponentChild } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { anchorAt, isAtBottom, rowOffsets, scrollTopFor, visibleWindow, type Anchor, type VirtualWindow } from './virtual.window.js';

export interface VirtualListProps<T> {
  items: readonly T[];
  keyOf(item: T): string;
  renderRow(item: T, index: number): ComponentChild;
  /** Above the rows, inside the scroller (e.g. "loading older messages"). */
  header?: ComponentChild;
  /** Called when the viewport comes near the top, or the rows do not fill it: load older items. */
  onNearTop?(): void;
  /** Changing this value scrolls to the bottom (e.g. after sending). */
  bottomRequest?: number;
  label: string;
  estimate?: number;
  overscan?: number;
  nearTop?: number;
}

/**
 * A bottom-anchored virtualised list (chat history): only the rows around the viewport are in the DOM,
 * spacers stand in for the others. Heights are estimated, then measured once rendered. The viewport
 * stays on the row it showed when older rows are prepended or rows are re-measured, and stays at the
 * bottom when it was there as rows are appended.
 */
export function VirtualList<T>({ items, keyOf, renderRow, header, onNearTop, bottomRequest, label, estimate = 72, overscan = 600, nearTop = 400 }: VirtualListProps<T>) {
  const scroller = useRef<HTMLDivElement>(null);
  const rows = useRef<HTMLDivElement>(null);
  const heights = useRef(new Map<string, number>());
  const atBottom = useRef(true);
  const anchor = useRef<Anchor | null>(null);
  const scrollY = useRef(0);
  const viewport = useRef(600);
  const rowsTop = useRef(0);
  const rendered = useRef<{ keys: string[]; offsets: number[]; win: VirtualWindow }>({ keys: [], offsets: [0], win: { start: 0, end: 0, before: 0, after: 0 } });
  const lastBottomRequest = useRef(bottomRequest);
  const [, setVersion] = useState(0);
  const rerender = () => setVersion((v) => v + 1);

  if (bottomRequest !== lastBottomRequest.current) {
    lastBottomRequest.current = bottomRequest;
    atBottom.current = true;
  }

  const keys = items.map(keyOf);
  const offsets = rowOffsets(keys.map((k) => heights.current.get(k) ?? estimate));
  const total = offsets[offsets.length - 1]!;
  // Where the viewport will be once this render is laid out (rows' coordinates).
  const anchored = anchor.current ? scrollTopFor(anchor.current, keys, offsets) : null;
  const targetY = atBottom.current ? Math.max(0, total - viewport.current + 1) : (anchored ?? scrollY.current);
  const win = visibleWindow(offsets, targetY, viewport.current, overscan);
  rendered.current = { keys, offsets, win };

  useLayoutEffect(() => {
    const el = scroller.current;
    const box = rows.current;
    if (!el || !box) return;
    let changed = false;
    for (const child of Array.from(box.children) as HTMLElement[]) {
      const key = child.dataset.key;
      if (!key) continue;
      const h = child.getBoundingClientRect().height;
      if (Math.abs((heights.current.get(key) ?? -1) - h) > 0.5) {
        heights.current.set(key, h);
        changed = true;
      }
    }
    rowsTop.current = box.offsetTop;
    viewport.current = el.clientHeight || viewport.current;
    if (changed) return rerender(); // spacers and the target position follow the measured heights first
    const y = atBottom.current ? el.scrollHeight : targetY + rowsTop.current;
    if (Math.abs(el.scrollTop - y) > 0.5) el.scrollTop = y;
    scrollY.current = el.scrollTop - rowsTop.current;
    if (!atBottom.current) anchor.current = anchorAt(keys, offsets, scrollY.current);
    if (el.scrollHeight <= el.clientHeight + nearTop || scrollY.current + rowsTop.current < nearTop) onNearTop?.();
  });

  useLayoutEffect(() => {
    const el = scroller.current;
    const box = rows.current;
    if (!el || !box || typeof ResizeObserver === 'undefined') return;
    let width = el.clientWidth;
    // A row growing on its own (editing, "seen"), or the viewport resizing (keyboard, window).
    const observer = new ResizeObserver(() => {
      if (el.clientWidth !== width) {
        width = el.clientWidth;
        heights.current.clear(); // wrapped text changes height with the width
      }
      viewport.current = el.clientHeight || viewport.current;
      rerender();
    });
    observer.observe(el);
    observer.observe(box);
    return () => observer.disconnect();
  }, []);

  function onScroll(): void {
    const el = scroller.current;
    if (!el) return;
    const { keys: k, offsets: o, win: w } = rendered.current;
    scrollY.current = el.scrollTop - rowsTop.current;
    atBottom.current = isAtBottom(el.scrollTop, el.clientHeight, el.scrollHeight);
    anchor.current = atBottom.current ? null : anchorAt(k, o, scrollY.current);
    const next = visibleWindow(o, scrollY.current, el.clientHeight, overscan);
    if (el.scrollTop < nearTop) onNearTop?.();
    // Re-render only when rows must enter or leave the DOM (the overscan absorbs small scrolls).
    if (next.start < w.start || next.end > w.end || next.start > w.start + 10 || next.end < w.end - 10) rerender();
  }

  return (
    <div class="vlist" ref={scroller} onScroll={onScroll} role="log" aria-label={label} tabIndex={0}>
      {header}
      <div class="vlist-rows" ref={rows}>
        <div class="vlist-spacer" style={{ height: `${win.before}px` }} aria-hidden="true" />
        {items.slice(win.start, win.end).map((item, i) => (
          <div class="vlist-row" key={keys[win.start + i]} data-key={keys[win.start + i]}>
            {renderRow(item, win.start + i)}
          </div>
        ))}
        <div class="vlist-spacer" style={{ height: `${win.after}px` }} aria-hidden="true" />
      </div>
    </div>
  );
}
