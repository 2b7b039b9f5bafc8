// How a runaway handler is stopped without paying for a `vm` timeout on every call (a watchdog thread started and
// joined per call: 75–80 µs, more than the rest of a handler call). The code is instrumented once, when its bundle
// loads: every loop body and every function body first calls a tick, and the tick compares the clock with the
// deadline of the handler call that is running (set once per call), throwing HandlerTimeout past it. APPSYNC_JS
// has no try/catch, so resolver code cannot swallow it. Loops are the only way code that AppSync accepts runs
// unbounded (no while, for(;;) or recursion; a for-of over an array it keeps growing), and every loop ticks.
// What a tick cannot interrupt is one long built-in call: the only one APPSYNC_JS code can make unbounded is a
// regular expression compiled from a string (`s.match('(a+)+$')`, RegExp and regex literals being refused). A
// bundle that calls `.match` therefore keeps the `vm` timeout on each call (guardOf says which guard a bundle needs).
import ts from 'typescript';

/** Name of the tick in the sandbox's global scope. */
export const TICK = '__appsync_tick__';

/** Thrown by the tick past the deadline; a host-realm error, so `instanceof` tells it from resolver errors. */
export class HandlerTimeout extends Error {
  constructor(readonly timeoutMs: number) {
    super(`execution timed out after ${timeoutMs} ms`);
    this.name = 'HandlerTimeout';
  }
}

/** Text inserted into the code at `column` of `line` (0-based, in the instrumented code). */
export interface Insertion {
  line: number;
  column: number;
  length: number;
}

export interface InstrumentedCode {
  code: string;
  /** Where text was inserted, to map positions in the instrumented code back (see originalColumn). */
  insertions: Insertion[];
  /** `deadline`: the ticks suffice; `vm-timeout`: the code can block inside one built-in call (see above). */
  guard: 'deadline' | 'vm-timeout';
}

interface Edit {
  at: number;
  text: string;
}

const LOOP_KINDS = new Set([
  ts.SyntaxKind.ForOfStatement,
  ts.SyntaxKind.ForInStatement,
  ts.SyntaxKind.ForStatement,
  ts.SyntaxKind.WhileStatement,
  ts.SyntaxKind.DoStatement,
]);

type Loop = ts.ForOfStatement | ts.ForInStatement | ts.ForStatement | ts.WhileStatement | ts.DoStatement;

function tickEdits(body: ts.Node, file: ts.SourceFile): Edit[] {
  const call = `${TICK}();`;
  if (ts.isBlock(body)) return [{ at: body.getStart(file) + 1, text: call }];
  if (ts.isStatement(body)) return [{ at: body.getStart(file), text: `{${call}` }, { at: body.getEnd(), text: '}' }];
  // An arrow function's expression body: `x => (tick(), expr)`.
  return [{ at: body.getStart(file), text: `(${TICK}(), ` }, { at: body.getEnd(), text: ')' }];
}

/** Calls a built-in may spend unbounded time in: `.match(...)` compiles its argument into a regular expression. */
function blocksInBuiltin(node: ts.Node): boolean {
  return ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'match';
}

/** Adds a tick to every loop body and function body of `code` (JavaScript, as the sandbox runs it). */
export function instrument(code: string, filename: string): InstrumentedCode {
  const file = ts.createSourceFile(filename, code, ts.ScriptTarget.ES2020, true, ts.ScriptKind.JS);
  const edits: Edit[] = [];
  let guard: InstrumentedCode['guard'] = 'deadline';
  const visit = (node: ts.Node): void => {
    if (LOOP_KINDS.has(node.kind)) edits.push(...tickEdits((node as Loop).statement, file));
    if ((ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isMethodDeclaration(node) || ts.isArrowFunction(node)) && node.body) {
      edits.push(...tickEdits(node.body, file));
    }
    if (blocksInBuiltin(node)) guard = 'vm-timeout';
    ts.forEachChild(node, visit);
  };
  visit(file);
  // Applied from the end, so that earlier offsets stay valid; ties keep their order (a `{` before its `tick();`).
  const ordered = edits.map((edit, index) => ({ ...edit, index })).sort((a, b) => b.at - a.at || b.index - a.index);
  let out = code;
  for (const edit of ordered) out = out.slice(0, edit.at) + edit.text + out.slice(edit.at);
  return { code: out, insertions: insertionsOf(code, edits), guard };
}

/** Where each edit lands in the instrumented code, as (line, column, length). */
function insertionsOf(code: string, edits: readonly Edit[]): Insertion[] {
  const lineStarts = [0];
  for (let i = code.indexOf('\n'); i >= 0; i = code.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const lineOf = (offset: number): number => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (lineStarts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  };
  const sorted = [...edits].sort((a, b) => a.at - b.at);
  const insertions: Insertion[] = [];
  let shift = 0;
  let shiftLine = -1;
  for (const edit of sorted) {
    const line = lineOf(edit.at);
    if (line !== shiftLine) {
      shift = 0;
      shiftLine = line;
    }
    insertions.push({ line, column: edit.at - lineStarts[line] + shift, length: edit.text.length });
    shift += edit.text.length;
  }
  return insertions;
}

/** The column in the code before instrumentation of `column` on `line` (0-based) of the instrumented code. */
export function originalColumn(insertions: readonly Insertion[], line: number, column: number): number {
  let original = column;
  for (const insertion of insertions) {
    if (insertion.line === line && insertion.column < column) original -= Math.min(insertion.length, column - insertion.column);
  }
  return original;
}

/**
 * The deadline the ticks check. One per sandbox: handler calls are synchronous and never nest, so one deadline is
 * enough; `run` sets it for the call and clears it after.
 */
export class Deadline {
  private at = Number.POSITIVE_INFINITY;
  private timeoutMs = 0;

  readonly tick = (): void => {
    if (performance.now() > this.at) throw new HandlerTimeout(this.timeoutMs);
  };

  run<T>(timeoutMs: number, call: () => T): T {
    const previous = this.at;
    this.timeoutMs = timeoutMs;
    this.at = performance.now() + timeoutMs;
    try {
      return call();
    } finally {
      this.at = previous;
    }
  }
}
