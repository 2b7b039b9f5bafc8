import { describe, expect, it } from 'vitest';
import { createLogStream } from '../../local/log.ts';

function capture(format: 'pretty' | 'json', level: 'debug' | 'info' | 'warn' | 'error' = 'info') {
  const lines: string[] = [];
  const stream = createLogStream({ format, level, out: { write: (text: string) => lines.push(text) } });
  return { stream, lines };
}

describe('local cloud log stream', () => {
  it('writes one JSON object a line with time, level, component, message and fields', () => {
    // Arrange
    const { stream, lines } = capture('json');

    // Act
    stream.logger('s3').info('bucket ready', { bucket: 'uploads' });

    // Assert
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual({ time: expect.any(String), level: 'info', component: 's3', message: 'bucket ready', bucket: 'uploads' });
  });

  it('names sub-components after their parent', () => {
    // Arrange
    const { stream, lines } = capture('json');

    // Act
    stream.logger('s3').child('events').warn('retrying');

    // Assert
    expect(JSON.parse(lines[0]!)).toMatchObject({ component: 's3:events', level: 'warn' });
  });

  it('drops lines below the level', () => {
    // Arrange
    const { stream, lines } = capture('json', 'warn');

    // Act
    stream.logger('dynamodb').info('table ready');
    stream.logger('dynamodb').error('gone');

    // Assert
    expect(lines.map((line) => JSON.parse(line).message)).toEqual(['gone']);
  });

  it('serialises errors with their name, message and stack', () => {
    // Arrange
    const { stream, lines } = capture('json');

    // Act
    stream.logger('local').error('failed', { error: new TypeError('bad') });

    // Assert
    expect(JSON.parse(lines[0]!).error).toMatchObject({ name: 'TypeError', message: 'bad', stack: expect.stringContaining('TypeError: bad') });
  });

  it('prints a short coloured line on a terminal, with the stack under it', () => {
    // Arrange
    const { stream, lines } = capture('pretty');

    // Act
    stream.logger('appsync').error('request failed', { status: 500, error: new Error('boom') });

    // Assert
    const text = lines.join('').replace(/\u001b\[\d+m/g, '');
    expect(text).toMatch(/^\d{2}:\d{2}:\d{2}\.\d{3} ERROR appsync\s+request failed status=500 error=\{ name: 'Error', message: 'boom' \}\n/);
    expect(text).toContain('Error: boom\n    at ');
  });

  it('gives the handlers\' Powertools JSON lines the component of the code that wrote them', async () => {
    // Arrange
    const { stream, lines } = capture('json');
    const release = stream.captureConsole();
    const powertools = JSON.stringify({ level: 'INFO', message: 'Blob processed', timestamp: '2024-01-01T00:00:00.000Z', service: 'image-labels', blobId: 'b1' });

    // Act
    try {
      await stream.runAs('lambda:process-upload', async () => {
        await Promise.resolve();
        process.stdout.write(powertools + '\n');
      });
    } finally {
      release();
    }

    // Assert
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      { component: 'lambda:process-upload', level: 'INFO', message: 'Blob processed', timestamp: '2024-01-01T00:00:00.000Z', service: 'image-labels', blobId: 'b1' },
    ]);
  });

  it('pretty-prints the handlers\' JSON lines on a terminal without the Lambda context noise', () => {
    // Arrange
    const { stream, lines } = capture('pretty');
    const release = stream.captureConsole();
    const powertools = JSON.stringify({
      level: 'WARN', message: 'DetectLabels failed', timestamp: '2024-01-01T00:00:00.000Z', service: 'image-labels',
      cold_start: false, function_name: 'image-labels-local-process-upload', function_request_id: 'r1', code: 'InvalidImageFormatException',
    });

    // Act
    try {
      stream.runAs('lambda:process-upload', () => process.stderr.write(powertools + '\n'));
    } finally {
      release();
    }

    // Assert
    const text = lines.join('').replace(/\u001b\[\d+m/g, '');
    expect(text).toContain('WARN  lambda:process-upload DetectLabels failed code=InvalidImageFormatException requestId=r1');
    expect(text).not.toContain('cold_start');
  });
});
