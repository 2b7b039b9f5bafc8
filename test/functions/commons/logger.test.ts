import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blobLogger, invocationLogger, locationOfFrame, logger } from '../../../functions/commons/logger.ts';
import { type CapturedLogs, captureLogs } from '../support/captured-logs.ts';
import { lambdaContext } from '../support/lambda-context.ts';

/** The line of the statement that created `error`, read from its stack. */
function lineOf(error: Error): string {
  const frame = error.stack?.split('\n')[1] ?? '';
  return /:(\d+):\d+\)?$/.exec(frame)?.[1] ?? 'unknown';
}

describe('logger', () => {
  let logs: CapturedLogs;

  beforeEach(() => {
    logs = captureLogs();
  });

  afterEach(() => {
    logs.restore();
  });

  it('writes JSON entries that say which file and line wrote them', () => {
    // Act
    const here = new Error(); logger.info('hello');

    // Assert
    const [entry] = logs.entries();
    expect(entry).toMatchObject({ level: 'INFO', message: 'hello', service: 'image-labels' });
    expect(entry.location).toBe(`commons/logger.test.ts:${lineOf(here)}`);
    expect(typeof entry.timestamp).toBe('string');
  });

  it('carries the request id and the blob id on the entries of a blob', () => {
    // Arrange
    const log = blobLogger(invocationLogger(lambdaContext({ awsRequestId: 'req-42' })), 'BLOB1');

    // Act
    const here = new Error(); log.warn('about a blob', { detail: 1 });

    // Assert
    const [entry] = logs.entries();
    expect(entry).toMatchObject({
      level: 'WARN',
      message: 'about a blob',
      function_request_id: 'req-42',
      blobId: 'BLOB1',
      detail: 1,
      location: `commons/logger.test.ts:${lineOf(here)}`,
    });
  });

  it('keeps the keys of one blob off the entries of another and of the shared logger', () => {
    const invocation = invocationLogger(lambdaContext());
    const first = blobLogger(invocation, 'FIRST');
    const second = blobLogger(invocation, 'SECOND');

    first.info('one');
    second.info('two');
    logger.info('three');

    expect(logs.entries().map((entry) => entry.blobId)).toEqual(['FIRST', 'SECOND', undefined]);
  });

  it('records a request id when the context is not a full Lambda context', () => {
    invocationLogger({ awsRequestId: 'local-1' }).info('local invocation');

    expect(logs.entries()[0]).toMatchObject({ requestId: 'local-1' });
  });

  it.each([
    ['    at handler (file:///var/task/functions/process-upload.ts:42:7)', 'functions/process-upload.ts:42'],
    ['    at /var/task/index.mjs:1:2345', 'task/index.mjs:1'],
    ['    at Object.<anonymous> (C:\\work\\functions\\commons\\blob-store.ts:9:1)', 'commons/blob-store.ts:9'],
    ['    at new Promise (<anonymous>)', undefined],
  ])('reads the location of the stack frame %j', (frame, location) => {
    expect(locationOfFrame(frame)).toBe(location);
  });
});
