// The build refuses code that disagrees with functions/manifest.ts, with a sentence that says what to do.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS, type FunctionSpec } from '../../functions/manifest.ts';
import { repoRoot } from '../../infra/paths.ts';
import { dataSources } from '../../resolvers/manifest.ts';
import { checkFunctions } from '../../scripts/check-functions.ts';

const handlerSource = (name: string) => readFileSync(join(repoRoot, 'functions', `${name}.ts`), 'utf8');

describe('the function check of the build', () => {
  it('finds the manifest and the code in agreement', () => {
    expect(checkFunctions()).toEqual([]);
  });

  it('refuses a handler file that has no manifest entry', () => {
    const problems = checkFunctions({
      overrides: { 'functions/resize-image.ts': "export const handler = async () => 'resized';\n" },
      types: false,
    });

    expect(problems).toContain(
      'functions/resize-image.ts is a handler, but functions/manifest.ts has no entry "resize-image": declare its trigger, timeout, memory, settings and permissions there',
    );
  });

  it('refuses a data source that invokes a function the manifest does not declare', () => {
    const problems = checkFunctions({
      dataSources: { ...dataSources, resizeImage: { kind: 'LAMBDA', handler: 'resize-image' } },
      types: false,
    });

    expect(problems).toEqual(['resolvers/manifest.ts: data source resizeImage invokes "resize-image", which functions/manifest.ts does not declare']);
  });

  it('refuses a queue consumer without the permissions its event source mapping needs', () => {
    const consumer: FunctionSpec = FUNCTIONS['process-upload'];
    const withoutReceive: FunctionSpec = {
      ...consumer,
      permissions: consumer.permissions.map((permission) =>
        permission.resource === 'uploadQueue' ? { ...permission, actions: permission.actions.filter((action) => action !== 'sqs:ReceiveMessage') } : permission),
    };

    const problems = checkFunctions({ functions: { ...FUNCTIONS, 'process-upload': withoutReceive }, types: false });

    expect(problems).toEqual([
      'functions/manifest.ts: "process-upload" is triggered by uploadQueue, so its event source mapping needs sqs:ReceiveMessage on it',
    ]);
  });

  it('refuses a handler that reads another entry\'s settings', () => {
    const source = handlerSource('delete-object').replace("loadConfig(process.env, FUNCTIONS['delete-object'].settings)", "loadConfig(process.env, FUNCTIONS['process-upload'].settings)");

    const problems = checkFunctions({ overrides: { 'functions/delete-object.ts': source }, types: false });

    expect(problems).toEqual([
      "functions/delete-object.ts must read its configuration as loadConfig(process.env, FUNCTIONS['delete-object'].settings): the settings it reads are the ones its entry declares",
    ]);
  });

  it('refuses a handler that reads a setting its entry does not declare, naming the file, the line and the variable', () => {
    // Arrange: presign-upload declares the bucket, not the table.
    const source = handlerSource('presign-upload').replace(
      "log.info('Upload URL signed'",
      "log.info('Table', { table: config.tableName });\n  log.info('Upload URL signed'",
    );
    const line = source.split('\n').findIndex((text) => text.includes('config.tableName')) + 1;

    // Act
    const problems = checkFunctions({ overrides: { 'functions/presign-upload.ts': source } });

    // Assert
    expect(problems).toEqual([
      `functions/presign-upload.ts:${line} reads the setting tableName (TABLE_NAME), which functions/manifest.ts does not declare for "presign-upload": add it to its settings`,
    ]);
  });
});
