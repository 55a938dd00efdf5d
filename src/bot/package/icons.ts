/** The app's icons, drawn in code: a colour icon (192×192) and a white outline icon on transparency (32×32). */
import { encodePng, type Rgba } from './png';

const BRAND: Rgba = [43, 87, 154, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const CLEAR: Rgba = [0, 0, 0, 0];

/** Two linked rings (on-premises and cloud) joined by a bar: true where the mark is drawn, in a unit square. */
function mark(u: number, v: number, stroke: number): boolean {
  const ring = (cx: number, cy: number, r: number) => Math.abs(Math.hypot(u - cx, v - cy) - r) <= stroke / 2;
  const bar = Math.abs(v - 0.5) <= stroke / 2 && u >= 0.36 && u <= 0.64;
  return ring(0.32, 0.5, 0.17) || ring(0.68, 0.5, 0.17) || bar;
}

/** The 192×192 colour icon: the mark in white on the brand colour, full bleed as Teams expects. */
export function colorIcon(): Buffer {
  const size = 192;
  return encodePng(size, size, (x, y) => (mark((x + 0.5) / size, (y + 0.5) / size, 0.07) ? WHITE : BRAND));
}

/** The 32×32 outline icon: the mark in white on a transparent background. */
export function outlineIcon(): Buffer {
  const size = 32;
  return encodePng(size, size, (x, y) => (mark((x + 0.5) / size, (y + 0.5) / size, 0.11) ? WHITE : CLEAR));
}
