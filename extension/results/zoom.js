// Zoom and pan of the results page's preview: the maths (pure, unit tested
// in tests/js/zoom.test.mjs) and its wiring to a viewport element. Display
// only: it moves the two <img>s, no pixel of an output is redrawn.
export { Zoom, zoomAbout, clampView, MIN_SCALE, MAX_SCALE };

const MIN_SCALE = 1; // the whole picture, fitted
const MAX_SCALE = 16; // one pixel of a 1 MP photo becomes ~16 screen pixels
const STEP = 1.5; // one press of + or −, one notch of the wheel
const PAN_STEP = 40; // px, one arrow-key press

/**
 * A view {scale, x, y} (translate x, y then scale, origin top-left) zoomed by
 * `factor` about the point (px, py) of the viewport, which stays where it is;
 * the scale kept within MIN_SCALE..MAX_SCALE and the picture inside the viewport.
 */
function zoomAbout(view, factor, px, py, width, height) {
  const scale = Math.min(Math.max(view.scale * factor, MIN_SCALE), MAX_SCALE);
  const ratio = scale / view.scale;
  return clampView({ scale, x: px - (px - view.x) * ratio, y: py - (py - view.y) * ratio }, width, height);
}

/** The view moved so that the scaled picture still covers the viewport (no empty margin opens up). */
function clampView({ scale, x, y }, width, height) {
  const clamp = (value, size) => Math.min(0, Math.max(value, size * (1 - scale)));
  return { scale, x: clamp(x, width), y: clamp(y, height) };
}

class Zoom {
  /** `viewport`: the element that clips; `content`: the element moved inside it. */
  constructor(viewport, content) {
    this.viewport = viewport;
    this.content = content;
    this.view = { scale: 1, x: 0, y: 0 };
    viewport.addEventListener("wheel", (event) => {
      event.preventDefault();
      const box = viewport.getBoundingClientRect();
      this.zoom(event.deltaY < 0 ? STEP : 1 / STEP, event.clientX - box.left, event.clientY - box.top);
    }, { passive: false });
    viewport.addEventListener("pointerdown", (event) => this.drag(event));
    viewport.addEventListener("keydown", (event) => this.key(event));
  }

  /** Zoom by `factor` about a viewport point (default: its centre). */
  zoom(factor, px = undefined, py = undefined) {
    const { width, height } = this.size();
    this.set(zoomAbout(this.view, factor, px ?? width / 2, py ?? height / 2, width, height));
  }

  zoomIn() {
    this.zoom(STEP);
  }

  zoomOut() {
    this.zoom(1 / STEP);
  }

  fit() {
    this.set({ scale: 1, x: 0, y: 0 });
  }

  pan(dx, dy) {
    const { width, height } = this.size();
    this.set(clampView({ ...this.view, x: this.view.x + dx, y: this.view.y + dy }, width, height));
  }

  drag(event) {
    if (this.view.scale === 1) return;
    const start = { x: event.clientX, y: event.clientY, view: this.view };
    this.viewport.setPointerCapture(event.pointerId);
    const move = (e) => {
      const { width, height } = this.size();
      this.set(clampView({ ...start.view, x: start.view.x + e.clientX - start.x, y: start.view.y + e.clientY - start.y },
        width, height));
    };
    const end = () => {
      this.viewport.removeEventListener("pointermove", move);
      this.viewport.removeEventListener("pointerup", end);
      this.viewport.removeEventListener("pointercancel", end);
    };
    this.viewport.addEventListener("pointermove", move);
    this.viewport.addEventListener("pointerup", end);
    this.viewport.addEventListener("pointercancel", end);
  }

  /** + and − zoom, 0 fits, the arrows pan (when the picture has the focus). */
  key(event) {
    const pans = { ArrowLeft: [PAN_STEP, 0], ArrowRight: [-PAN_STEP, 0], ArrowUp: [0, PAN_STEP], ArrowDown: [0, -PAN_STEP] };
    if (event.key === "+" || event.key === "=") this.zoomIn();
    else if (event.key === "-") this.zoomOut();
    else if (event.key === "0") this.fit();
    else if (pans[event.key]) this.pan(...pans[event.key]);
    else return;
    event.preventDefault();
  }

  size() {
    return { width: this.viewport.clientWidth, height: this.viewport.clientHeight };
  }

  set(view) {
    this.view = view;
    this.content.style.transform = `translate(${view.x}px, ${view.y}px) scale(${view.scale})`;
    this.viewport.classList.toggle("zoomed", view.scale > 1);
    this.viewport.dataset.scale = view.scale.toFixed(2);
  }
}
