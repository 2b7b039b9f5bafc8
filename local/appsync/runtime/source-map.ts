// Maps a position in the sandboxed (transformed) code back to the resolver's TypeScript source, through the
// source map esbuild writes (it chains the bundle's own inline map), so runtime errors name the real line.

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

interface Segment {
  column: number;
  source: number;
  line: number;
  sourceColumn: number;
}

export interface SourcePosition {
  source: string;
  line: number;
  column: number;
}

function decodeVlq(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of segment) {
    const digit = BASE64.indexOf(ch);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

export class SourceMap {
  private readonly lines: Segment[][] = [];
  private readonly sources: string[];

  constructor(map: { sources: string[]; mappings: string }, resolveSource: (source: string) => string) {
    this.sources = map.sources.map(resolveSource);
    let source = 0;
    let line = 0;
    let sourceColumn = 0;
    for (const lineText of map.mappings.split(';')) {
      let column = 0;
      const segments: Segment[] = [];
      for (const text of lineText.split(',')) {
        if (!text) continue;
        const [dc, ds, dl, dsc] = decodeVlq(text);
        column += dc;
        if (ds === undefined) continue;
        source += ds;
        line += dl;
        sourceColumn += dsc;
        segments.push({ column, source, line, sourceColumn });
      }
      this.lines.push(segments);
    }
  }

  /** 1-based line and column in, 1-based out; null when the position has no mapping. */
  originalPosition(line: number, column: number): SourcePosition | null {
    const segments = this.lines[line - 1];
    if (!segments || segments.length === 0) return null;
    let best = segments[0];
    for (const s of segments) {
      if (s.column <= column - 1) best = s;
    }
    return { source: this.sources[best.source], line: best.line + 1, column: best.sourceColumn + 1 };
  }
}
