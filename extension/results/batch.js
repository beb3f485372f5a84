// The results page's list of images: each one's state, which to start next,
// what a cancel means for it. Pure (no DOM, no chrome.*), so it is unit
// tested on its own (tests/js/batch.test.js); results/index.js drives it.
export { Batch, ItemState };

const ItemState = Object.freeze({
  waiting: "waiting", // not yet sent to the service worker
  running: "running", // sent: queued there or in the engine
  done: "done",
  failed: "failed",
  cancelled: "cancelled",
});

const FINISHED = new Set([ItemState.done, ItemState.failed, ItemState.cancelled]);

class Batch {
  /**
   * `inFlight`: how many images are sent to the service worker at once. Two:
   * the engine starts the next image the moment one ends, while the rest wait
   * here, where cancelling them costs nothing and no message stays open for minutes.
   */
  constructor({ inFlight = 2 } = {}) {
    this.items = [];
    this.inFlight = inFlight;
    this.lastId = 0;
  }

  /** A new waiting item holding `source` (a file or a URL, and its name). */
  add(source) {
    this.lastId += 1;
    const item = { ...source, id: this.lastId, state: ItemState.waiting, result: null, error: null };
    this.items.push(item);
    return item;
  }

  get(id) {
    return this.items.find((item) => item.id === id) ?? null;
  }

  /** The waiting items to send now, oldest first, marked running: as many as the in-flight limit leaves room for. */
  takeStartable() {
    const room = this.inFlight - this.items.filter((item) => item.state === ItemState.running).length;
    const next = this.items.filter((item) => item.state === ItemState.waiting).slice(0, Math.max(room, 0));
    for (const item of next) item.state = ItemState.running;
    return next;
  }

  finish(id, result) {
    return this.settle(id, ItemState.done, { result });
  }

  fail(id, error) {
    return this.settle(id, ItemState.failed, { error });
  }

  cancelled(id) {
    return this.settle(id, ItemState.cancelled, {});
  }

  /**
   * A cancel asked for `id`: a waiting item is cancelled here at once
   * ("dropped"); a running one must be stopped by the service worker
   * ("stop": its answer then marks it); a finished one is left (null).
   */
  cancel(id) {
    const item = this.get(id);
    if (item?.state === ItemState.waiting) {
      this.cancelled(id);
      return "dropped";
    }
    return item?.state === ItemState.running ? "stop" : null;
  }

  /** Cancel everything unfinished: the waiting items now; returns the running ones, to be stopped. */
  cancelAll() {
    for (const item of this.items) if (item.state === ItemState.waiting) this.cancelled(item.id);
    return this.items.filter((item) => item.state === ItemState.running);
  }

  /** The finished cutouts, in the order the images were given. */
  results() {
    return this.items.filter((item) => item.state === ItemState.done);
  }

  /** {waiting, running, done, failed, cancelled, total}. */
  counts() {
    const counts = Object.fromEntries(Object.values(ItemState).map((state) => [state, 0]));
    for (const item of this.items) counts[item.state] += 1;
    return { ...counts, total: this.items.length };
  }

  /** The id `step` items from `id` (arrow keys), kept inside the list; null for an empty list. */
  neighbour(id, step) {
    if (this.items.length === 0) return null;
    const at = this.items.findIndex((item) => item.id === id);
    const next = Math.min(Math.max((at < 0 ? 0 : at) + step, 0), this.items.length - 1);
    return this.items[next].id;
  }

  settle(id, state, fields) {
    const item = this.get(id);
    if (!item || FINISHED.has(item.state)) return null; // a late answer for an item already settled
    Object.assign(item, fields, { state });
    return item;
  }
}
