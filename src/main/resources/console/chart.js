// A line chart of the last few minutes, drawn in SVG: one line per series, a y axis scaled to the data.
import { h, fmt } from './dom.js';

const NS = 'http://www.w3.org/2000/svg';
const PALETTE = ['#2563eb', '#16a34a', '#d97706', '#dc2626', '#7c3aed', '#0891b2', '#db2777', '#4d7c0f'];
const HEIGHT = 190;
const MARGIN = { top: 10, right: 12, bottom: 22, left: 46 };

function s(tag, attrs) {
  const el = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  return el;
}

/** The smallest of 1, 2, 2.5, 5 × 10^n at or above `v`: a round top for the y axis. */
function niceCeiling(v) {
  if (!(v > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((m) => m * power).find((c) => c >= v);
}

/** A time step for the x axis' labels: at most six of them over `span` ms. */
function timeStep(span) {
  return [10_000, 15_000, 30_000, 60_000, 120_000, 300_000].find((step) => span / step <= 6) ?? 600_000;
}

function ago(ms) {
  return ms % 60_000 ? `−${ms / 1000} s` : `−${ms / 60_000} min`;
}

export class LineChart {
  constructor(title, unit) {
    this.unit = unit;
    this.svg = s('svg', { class: 'chart', height: HEIGHT, role: 'img', 'aria-label': title });
    this.legend = h('ul', { class: 'legend' });
    this.element = h('figure', { class: 'card chart-card' }, h('figcaption', {}, title), this.svg, this.legend);
  }

  /**
   * @param series [{name, points: [[time ms, value], ...]}], drawn in the order given, each in its own colour
   * @param span   how much history the x axis spans, ending at `now`
   */
  draw(series, now, span) {
    const width = Math.max(320, this.svg.clientWidth || this.element.clientWidth || 640);
    const plotW = width - MARGIN.left - MARGIN.right;
    const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
    const start = now - span;
    const top = niceCeiling(Math.max(0, ...series.flatMap((one) => one.points.map(([, v]) => v))));
    const x = (t) => MARGIN.left + ((t - start) / span) * plotW;
    const y = (v) => MARGIN.top + plotH - (v / top) * plotH;
    this.svg.setAttribute('viewBox', `0 0 ${width} ${HEIGHT}`);
    this.svg.replaceChildren();
    for (let i = 0; i <= 4; i++) {
      const value = (top / 4) * i;
      this.svg.append(
        s('line', { class: 'grid', x1: MARGIN.left, x2: width - MARGIN.right, y1: y(value), y2: y(value) }),
      );
      const label = s('text', { class: 'tick', x: MARGIN.left - 6, y: y(value) + 4, 'text-anchor': 'end' });
      label.textContent = fmt.rate(value);
      this.svg.append(label);
    }
    const step = timeStep(span);
    for (let back = 0; back <= span; back += step) {
      const label = s('text', {
        class: 'tick',
        x: x(now - back),
        y: HEIGHT - 6,
        'text-anchor': back ? 'middle' : 'end',
      });
      label.textContent = back ? ago(back) : 'now';
      this.svg.append(label);
    }
    this.legend.replaceChildren();
    series.forEach((one, i) => {
      const colour = PALETTE[i % PALETTE.length];
      const visible = one.points.filter(([t]) => t >= start);
      if (visible.length > 1) {
        const d = visible.map(([t, v], j) => `${j ? 'L' : 'M'}${x(t).toFixed(1)},${y(v).toFixed(1)}`).join('');
        this.svg.append(s('path', { d, fill: 'none', stroke: colour, 'stroke-width': 2, 'stroke-linejoin': 'round' }));
      }
      const last = one.points.at(-1);
      const swatch = h('span', { class: 'swatch' });
      swatch.style.background = colour;
      this.legend.append(h('li', {}, swatch, one.name, h('b', {}, last ? `${fmt.rate(last[1])}${this.unit}` : '–')));
    });
  }
}
