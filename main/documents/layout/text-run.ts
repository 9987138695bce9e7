/**
 * Text runs from pdf.js text items, in the frame of their own baseline direction.
 *
 * Layout (rows, columns, paragraphs) works in a frame where the text runs left to right along
 * +u and lines stack along -v. Text on a page with /Rotate, or drawn with a rotated matrix, is
 * turned into that frame first, so reading order is found the way a reader would after turning
 * the page; boxes are mapped back to the displayed page afterwards.
 */

/** The fields of a pdf.js TextItem this code reads. */
export interface PdfTextItem {
  str: string;
  dir: string;
  transform: number[];
  width: number;
  height: number;
  fontName: string;
}

export interface PdfFontStyle {
  ascent: number;
  descent: number;
}

export interface TextRun {
  str: string;
  /** Baseline origin in the text frame, PDF units. */
  u: number;
  v: number;
  /** Advance along the baseline, PDF units. */
  width: number;
  /** Font size in PDF units. */
  size: number;
  /** Glyph extent above / below the baseline as fractions of size (descent negative). */
  ascent: number;
  descent: number;
  rtl: boolean;
}

/** Runs that share one baseline direction. */
export interface RunGroup {
  /** Baseline angle in user space, radians. */
  angle: number;
  runs: TextRun[];
  chars: number;
}

/** Groups text items by baseline angle (1 degree buckets), largest group first. */
export function groupRuns(
  items: readonly PdfTextItem[],
  styles: Readonly<Record<string, PdfFontStyle | undefined>>,
): RunGroup[] {
  const groups = new Map<number, RunGroup>();
  for (const item of items) {
    if (item.str.trim() === '') continue;
    const [a = 1, b = 0, c = 0, d = 1, e = 0, f = 0] = item.transform;
    const deg = ((Math.round((Math.atan2(b, a) * 180) / Math.PI) % 360) + 360) % 360;
    let group = groups.get(deg);
    if (!group) {
      group = { angle: (deg * Math.PI) / 180, runs: [], chars: 0 };
      groups.set(deg, group);
    }
    const cos = Math.cos(group.angle);
    const sin = Math.sin(group.angle);
    const size = Math.hypot(c, d) || item.height || 1;
    const style = styles[item.fontName];
    // Fonts report odd or zero metrics; fall back to typical Latin proportions.
    const ascent = style && style.ascent > 0.3 && style.ascent < 1.5 ? style.ascent : 0.8;
    const descent = style && style.descent < 0 && style.descent > -0.7 ? style.descent : -0.2;
    group.runs.push({
      str: item.str,
      u: e * cos + f * sin,
      v: -e * sin + f * cos,
      width: Math.max(0, item.width),
      size,
      ascent,
      descent,
      rtl: item.dir === 'rtl',
    });
    group.chars += item.str.length;
  }
  return [...groups.values()].sort((x, y) => y.chars - x.chars);
}

/**
 * The affine map from a group's text frame (u, v) to displayed page coordinates.
 *
 * `viewport` is pdf.js's viewport transform (user space -> top-left origin, y down).
 */
export function frameToPage(angle: number, viewport: readonly number[]): number[] {
  const [va = 1, vb = 0, vc = 0, vd = 1, ve = 0, vf = 0] = viewport;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  // (u, v) -> user (u cos - v sin, u sin + v cos) -> viewport.
  return [
    va * cos + vc * sin,
    vb * cos + vd * sin,
    -va * sin + vc * cos,
    -vb * sin + vd * cos,
    ve,
    vf,
  ];
}
