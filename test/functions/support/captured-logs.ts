// Captures the JSON log lines the functions write to stdout/stderr (Powertools writes there through its own Console).
import { vi } from 'vitest';

export interface CapturedLogs {
  entries(): Array<Record<string, unknown>>;
  restore(): void;
}

export function captureLogs(): CapturedLogs {
  const lines: string[] = [];
  const capture = (chunk: unknown): boolean => {
    lines.push(String(chunk));
    return true;
  };
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  return {
    entries: () =>
      lines
        .flatMap((chunk) => chunk.split('\n'))
        .filter((line) => line.trim().startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    restore() {
      stdout.mockRestore();
      stderr.mockRestore();
    },
  };
}
