// amplify-appsync-simulator serving the same schema and the same item as the local cloud, for side-by-side
// figures: Query.blob is a VTL unit resolver doing a DynamoDB GetItem on dynalite (on disk, as the local cloud's),
// and answering the item when the caller owns it. User pool tokens are the default mode, as in the local cloud
// (the simulator decodes them without verifying). Runs in its own process (bench/support/child-server.ts).
// Usage: spawnServer('bench/servers/appsync-simulator.ts', { args: ['--item', '<file with the record as JSON>'] })
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import {
  AmplifyAppSyncSimulator,
  AmplifyAppSyncSimulatorAuthenticationType,
  RESOLVER_KIND,
} from 'amplify-appsync-simulator';
import dynalite from 'dynalite';
import { listen } from '../../local/net.ts';
import { failToParent, ROOT, serveParent } from '../support/child-server.ts';

export interface SimulatorInfo {
  graphqlUrl: string;
}

const TABLE = 'blobs';
const CREDENTIALS = { accessKeyId: 'BENCHSIMULATOR', secretAccessKey: 'bench-simulator-secret' };
const REGION = 'us-east-1';

const REQUEST_TEMPLATE = `{
  "version": "2018-05-29",
  "operation": "GetItem",
  "key": { "id": $util.dynamodb.toDynamoDBJson($ctx.args.id) },
  "consistentRead": true
}`;
// As Query.blob's response handler: a data source error is raised, and only the owner reads the item.
const RESPONSE_TEMPLATE = `#if($ctx.error)
  $util.error($ctx.error.message, $ctx.error.type)
#end
#if($ctx.result && $ctx.result.owner == $ctx.identity.sub)
  $util.toJson($ctx.result)
#else
  null
#end`;

const { values } = parseArgs({ options: { item: { type: 'string' } } });

try {
  if (!values.item) throw new Error('--item <file> is required');
  const record = JSON.parse(await readFile(values.item, 'utf8')) as Record<string, unknown>;
  const dataDir = await mkdtemp(join(tmpdir(), 'image-labels-bench-simulator-'));
  const database = dynalite({ path: join(dataDir, 'dynamodb'), createTableMs: 0 });
  const databasePort = await listen(database, 0, '127.0.0.1');
  const endpoint = `http://127.0.0.1:${databasePort}`;
  const client = new DynamoDBClient({ endpoint, region: REGION, credentials: CREDENTIALS });
  await client.send(new CreateTableCommand({
    TableName: TABLE,
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  }));
  await client.send(new PutItemCommand({ TableName: TABLE, Item: marshall(record, { removeUndefinedValues: true }) }));
  client.destroy();

  const simulator = new AmplifyAppSyncSimulator({ port: 0 });
  simulator.init({
    schema: { content: await readFile(join(ROOT, 'schema.graphql'), 'utf8') },
    appSync: {
      name: 'image-labels-bench',
      defaultAuthenticationType: {
        authenticationType: AmplifyAppSyncSimulatorAuthenticationType.AMAZON_COGNITO_USER_POOLS,
        cognitoUserPoolConfig: {},
      },
      additionalAuthenticationProviders: [],
    },
    dataSources: [{ type: 'AMAZON_DYNAMODB', name: 'blobsTable', config: { endpoint, region: REGION, ...CREDENTIALS, tableName: TABLE } }],
    resolvers: [{
      kind: RESOLVER_KIND.UNIT,
      typeName: 'Query',
      fieldName: 'blob',
      dataSourceName: 'blobsTable',
      requestMappingTemplate: REQUEST_TEMPLATE,
      responseMappingTemplate: RESPONSE_TEMPLATE,
    }],
  });
  await simulator.start();
  const server = (simulator as unknown as { _server: { _httpServer: { address(): AddressInfo } } })._server._httpServer;
  const info: SimulatorInfo = { graphqlUrl: `http://127.0.0.1:${server.address().port}/graphql` };
  serveParent(info, async () => {
    simulator.stop();
    await new Promise<void>((resolve) => database.close(() => resolve()));
    await rm(dataDir, { recursive: true, force: true });
  });
} catch (error) {
  failToParent(error);
}
