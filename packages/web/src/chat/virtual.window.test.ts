import t from 'tap';
import { anchorAt, isAtBottom, rowAt, rowOffsets, scrollTopFor, visibleWindow } from './virtual.window.js';

t.test('offsets add up the heights; the last one is the total', async (t) => {
  t.same(rowOffsets([10, 20, 30]), [0, 10, 30, 60]);
  t.same(rowOffsets([]), [0]);
});

t.test('rowAt finds the row containing a position, clamped to the list', async (t) => {
  const o = rowOffsets([10, 20, 30]);
  t.equal(rowAt(o, 0), 0);
  t.equal(rowAt(o, 9.5), 0);
  t.equal(rowAt(o, 10), 1);
  t.equal(rowAt(o, 59), 2);
  t.equal(rowAt(o, 500), 2);
  t.equal(rowAt(o, -5), 0);
  t.equal(rowAt(rowOffsets([]), 0), -1);
});

t.test('the window covers the viewport plus overscan; spacers stand in for the rest', async (t) => {
  const heights = Array.from({ length: 1000 }, () => 50);
  const o = rowOffsets(heights);
  const w = visibleWindow(o, 10_000, 500, 100);
  // rows 198 (y 9900) to 212 (y 10600) intersect [9900, 10600]
  t.same(w, { start: 198, end: 213, before: 9900, after: 50_000 - 213 * 50 });
  t.equal(w.before + (w.end - w.start) * 50 + w.after, 50_000, 'the list keeps its full height');
  t.ok(w.end - w.start < 20, 'only a few rows of a thousand are rendered');
  t.same(visibleWindow(o, 0, 500, 100), { start: 0, end: 13, before: 0, after: 50_000 - 650 });
  t.same(visibleWindow(o, 49_500, 500, 100).end, 1000, 'the bottom of the list renders the last row');
  t.same(visibleWindow(rowOffsets([]), 0, 500, 100), { start: 0, end: 0, before: 0, after: 0 });
});

t.test('an anchored row keeps its place when older rows are prepended or a row above is re-measured', async (t) => {
  const keys = ['c', 'd', 'e'];
  const before = rowOffsets([40, 40, 40]);
  const anchor = anchorAt(keys, before, 50); // 10 px into 'd'
  t.same(anchor, { key: 'd', delta: 10 });
  const prepended = ['a', 'b', ...keys];
  t.equal(scrollTopFor(anchor!, prepended, rowOffsets([100, 30, 40, 40, 40])), 180);
  t.equal(scrollTopFor(anchor!, keys, rowOffsets([75, 40, 40])), 85, 'the row above grew after measuring');
  t.equal(scrollTopFor(anchor!, ['c', 'e'], rowOffsets([40, 40])), null, 'a row that is gone anchors nothing');
  t.equal(anchorAt([], rowOffsets([]), 0), null);
});

t.test('at the bottom means the end of the list is in view, within a slack', async (t) => {
  t.ok(isAtBottom(500, 500, 1000));
  t.ok(isAtBottom(460, 500, 1000));
  t.notOk(isAtBottom(400, 500, 1000));
  t.ok(isAtBottom(0, 500, 200), 'a list shorter than the viewport');
});
