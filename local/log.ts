// One log stream for every component of the local cloud.
// Each line names its component (appsync, s3, dynamodb, rekognition, lambda:process-upload, ...).
// On a terminal the lines are short and coloured; anywhere else they are JSON, one object a line.
import { AsyncLocalStorage } from 'node:async_hooks';
import { inspect } from 'node:util';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'pretty' | 'json';
export type LogFields = Record<string, unknown>;

export interface Logger {
  readonly component: string;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger for a part of this component: `s3` → `s3:events`. */
  child(name: string): Logger;
}

export interface LogStreamOptions {
  /** Default: pretty when the output is a terminal, JSON otherwise. */
  format?: LogFormat;
  /** Lines below this level are dropped. Default: info. */
  level?: LogLevel;
  /** Default: process.stdout. */
  out?: { write(text: string): unknown; isTTY?: boolean };
}

export interface LogStream {
  readonly format: LogFormat;
  logger(component: string): Logger;
  /** Runs fn with `component` as the owner of whatever it prints to stdout/stderr (see captureConsole). */
  runAs<T>(component: string, fn: () => T): T;
  /**
   * Writes a line that other code printed (a function instance's stdout): a JSON log line joins the stream as
   * `component`'s, like captured console output; any other text is an info line of `component`.
   */
  forward(component: string, line: string): void;
  /**
   * Routes what other code prints to process.stdout/stderr through this stream: JSON log lines
   * (the Lambda handlers' Powertools output) get the component of the code that wrote them and
   * are pretty-printed on a terminal; other text passes through unchanged. Returns the undo.
   */
  captureConsole(): () => void;
}

/** Wide enough for `lambda:process-upload`, so messages line up. */
const COMPONENT_WIDTH = 21;

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const COLOURS = {
  reset: '\u001b[0m',
  dim: '\u001b[2m',
  bold: '\u001b[1m',
  red: '\u001b[31m',
  yellow: '\u001b[33m',
  grey: '\u001b[90m',
};
const LEVEL_COLOURS: Record<LogLevel, string> = {
  debug: COLOURS.grey,
  info: '\u001b[32m',
  warn: COLOURS.yellow,
  error: COLOURS.red,
};
const COMPONENT_COLOURS = ['\u001b[36m', '\u001b[35m', '\u001b[34m', '\u001b[33m', '\u001b[32m', '\u001b[96m', '\u001b[95m', '\u001b[94m'];

/** Powertools (and most JSON loggers) spell levels in capitals; some use numbers. */
function normaliseLevel(value: unknown): LogLevel {
  const text = String(value ?? 'info').toLowerCase();
  if (text === 'warning' || text === 'warn') {
    return 'warn';
  }
  if (text === 'error' || text === 'critical' || text === 'fatal') {
    return 'error';
  }
  if (text === 'debug' || text === 'trace') {
    return 'debug';
  }
  return 'info';
}

function serialise(value: unknown): unknown {
  if (value instanceof Error) {
    const details: Record<string, unknown> = { name: value.name, message: value.message };
    const code = (value as { code?: unknown }).code;
    if (code !== undefined) {
      details.code = code;
    }
    if (value.stack) {
      details.stack = value.stack;
    }
    return details;
  }
  return value;
}

function colourFor(component: string): string {
  const base = component.split(':')[0] ?? component;
  let hash = 0;
  for (const char of base) {
    hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  }
  return COMPONENT_COLOURS[hash % COMPONENT_COLOURS.length] ?? COLOURS.reset;
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') {
    return /\s/.test(value) || value === '' ? JSON.stringify(value) : value;
  }
  return inspect(value, { breakLength: Infinity, depth: 4, colors: false });
}

function clock(date: Date): string {
  return date.toTimeString().slice(0, 8) + '.' + String(date.getMilliseconds()).padStart(3, '0');
}

interface Entry {
  time: Date;
  level: LogLevel;
  component: string;
  message: string;
  fields: LogFields;
}

export function createLogStream(options: LogStreamOptions = {}): LogStream {
  const out = options.out ?? process.stdout;
  const format: LogFormat = options.format ?? (out.isTTY ? 'pretty' : 'json');
  const threshold = LEVEL_ORDER[options.level ?? 'info'];
  const owner = new AsyncLocalStorage<string>();
  // Set while the console is captured, so our own lines bypass the capture.
  let rawWrite: ((text: string) => unknown) | null = null;

  function emit(text: string): void {
    if (rawWrite) {
      rawWrite(text);
    } else {
      out.write(text);
    }
  }

  function render(entry: Entry): string {
    const fields: LogFields = {};
    for (const [key, value] of Object.entries(entry.fields)) {
      if (value !== undefined) {
        fields[key] = serialise(value);
      }
    }
    if (format === 'json') {
      return JSON.stringify({
        time: entry.time.toISOString(),
        level: entry.level,
        component: entry.component,
        message: entry.message,
        ...fields,
      }) + '\n';
    }
    // Stack traces go on their own lines under the entry, not inline.
    const traces: string[] = [];
    const rest: LogFields = {};
    for (const [key, value] of Object.entries(fields)) {
      if (key === 'stack' && typeof value === 'string') {
        traces.push(value);
      } else if (value && typeof value === 'object' && typeof (value as { stack?: unknown }).stack === 'string') {
        const { stack, ...withoutStack } = value as Record<string, unknown>;
        traces.push(String(stack));
        rest[key] = withoutStack;
      } else {
        rest[key] = value;
      }
    }
    const pairs = Object.entries(rest).map(([key, value]) => `${COLOURS.dim}${key}=${COLOURS.reset}${formatValue(value)}`);
    const levelColour = LEVEL_COLOURS[entry.level];
    const line = [
      `${COLOURS.dim}${clock(entry.time)}${COLOURS.reset}`,
      `${levelColour}${entry.level.toUpperCase().padEnd(5)}${COLOURS.reset}`,
      `${colourFor(entry.component)}${entry.component.padEnd(COMPONENT_WIDTH)}${COLOURS.reset}`,
      entry.level === 'error' ? `${COLOURS.bold}${entry.message}${COLOURS.reset}` : entry.message,
      ...pairs,
    ].join(' ');
    return line + '\n' + traces.map((text) => `${COLOURS.grey}${text}${COLOURS.reset}\n`).join('');
  }

  function write(entry: Entry): void {
    if (LEVEL_ORDER[entry.level] < threshold) {
      return;
    }
    emit(render(entry));
  }

  function logger(component: string): Logger {
    const at = (level: LogLevel) => (message: string, fields: LogFields = {}) =>
      write({ time: new Date(), level, component, message, fields });
    return {
      component,
      debug: at('debug'),
      info: at('info'),
      warn: at('warn'),
      error: at('error'),
      child: (name: string) => logger(`${component}:${name}`),
    };
  }

  /** A JSON log line from code we do not own (the Lambda handlers' Powertools logger). */
  function rewriteForeignLine(line: string, component: string): string | null {
    if (!line.startsWith('{')) {
      return null;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return null;
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      return null;
    }
    const record = parsed as Record<string, unknown>;
    if (typeof record.message !== 'string' || record.level === undefined) {
      return null;
    }
    const level = normaliseLevel(record.level);
    if (LEVEL_ORDER[level] < threshold) {
      return '';
    }
    if (format === 'json') {
      return JSON.stringify({ component, ...record }) + '\n';
    }
    // On a terminal, the Lambda context Powertools repeats on every line is noise: the component names the function.
    const {
      level: _level, message, timestamp, service: _service, sampling_rate: _rate, xray_trace_id: _trace,
      cold_start: _cold, function_arn: _arn, function_memory_size: _memory, function_name: _name,
      function_request_id: requestId, ...rest
    } = record;
    const fields: LogFields = requestId === undefined ? rest : { ...rest, requestId };
    const parsedTime = typeof timestamp === 'string' ? new Date(timestamp) : new Date();
    return render({
      time: Number.isNaN(parsedTime.getTime()) ? new Date() : parsedTime,
      level,
      component,
      message: String(message),
      fields,
    });
  }

  function captureConsole(): () => void {
    const streams = [process.stdout, process.stderr];
    const originals = streams.map((stream) => stream.write);
    const stdoutWrite = originals[0]!.bind(process.stdout);
    rawWrite = (text: string) => (out === process.stdout ? stdoutWrite(text) : out.write(text));
    streams.forEach((stream, index) => {
      const original = originals[index]!;
      const patched = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
        const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : null;
        if (text !== null && text.endsWith('\n')) {
          const component = owner.getStore() ?? 'console';
          const lines = text.slice(0, -1).split('\n');
          const rewritten = lines.map((line) => rewriteForeignLine(line, component));
          if (rewritten.every((line) => line !== null)) {
            emit(rewritten.join(''));
            const callback = rest.find((arg): arg is () => void => typeof arg === 'function');
            callback?.();
            return true;
          }
        }
        return (original as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
      };
      stream.write = patched as typeof stream.write;
    });
    return () => {
      streams.forEach((stream, index) => {
        stream.write = originals[index]!;
      });
      rawWrite = null;
    };
  }

  function forward(component: string, line: string): void {
    if (line.trim() === '') {
      return;
    }
    const rewritten = rewriteForeignLine(line, component);
    if (rewritten === null) {
      write({ time: new Date(), level: 'info', component, message: line, fields: {} });
    } else if (rewritten !== '') {
      emit(rewritten);
    }
  }

  return {
    format,
    logger,
    runAs: <T>(component: string, fn: () => T): T => owner.run(component, fn),
    forward,
    captureConsole,
  };
}

/** A logger that drops everything: for library use without a stream. */
export const silentLogger: Logger = {
  component: 'silent',
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};
