import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, graphqlBody, post, postSigned, postWithApiKey, PUBLISH_BLOB_RESULT, startTestServer, type TestServer } from './support/clients.ts';
import { blobRecord } from './support/fake-runtime.ts';

const BLOB = /* GraphQL */ `
  query Blob($id: ID!) {
    blob(id: $id) { id status labels { name confidence } createdAt }
  }
`;

const CREATE_BLOB = /* GraphQL */ `
  mutation Create($input: CreateBlobInput!) {
    createBlob(input: $input) {
      blob { id status }
      upload { url method headers expiresAt }
    }
  }
`;

describe('local AppSync GraphQL over HTTP', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer();
  });

  afterAll(async () => {
    await t.server.close();
  });

  it('answers a query through the resolver runtime with the fields the client selected', async () => {
    t.runtime.blobs.set('b1', blobRecord('b1'));

    const res = await postWithApiKey(t.server.graphqlUrl, BLOB, { id: 'b1' });

    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      data: {
        blob: {
          id: 'b1',
          status: 'LABELLED',
          labels: [{ name: 'Cat', confidence: 97.5 }],
          createdAt: '2025-01-01T00:00:00.000Z',
        },
      },
    });
  });

  it('passes arguments, a null identity for API-key callers, headers and the selection set to the runtime', async () => {
    t.runtime.blobs.set('b2', blobRecord('b2'));
    t.runtime.invocations.length = 0;

    await postWithApiKey(t.server.graphqlUrl, BLOB, { id: 'b2' });

    const [invocation] = t.runtime.invocations;
    expect(invocation).toMatchObject({
      typeName: 'Query',
      fieldName: 'blob',
      arguments: { id: 'b2' },
      identity: null,
      info: {
        fieldName: 'blob',
        parentTypeName: 'Query',
        variables: { id: 'b2' },
        selectionSetList: ['id', 'status', 'labels', 'labels/name', 'labels/confidence', 'createdAt'],
      },
    });
    expect(invocation.request.headers['x-api-key']).toBe(API_KEY);
    expect(invocation.info.selectionSetGraphQL).toContain('labels {');
  });

  it('runs a mutation and serialises an AWSJSON object as a JSON string', async () => {
    const res = await postWithApiKey(t.server.graphqlUrl, CREATE_BLOB, { input: { contentType: 'image/png' } });

    expect(res.status).toBe(200);
    const upload = (res.json.data as { createBlob: { upload: { headers: unknown } } }).createBlob.upload;
    expect(upload.headers).toBe('{"content-type":"image/png"}');
  });

  it("returns a resolver's util.error as AppSync's field error, with the field null", async () => {
    const res = await postWithApiKey(t.server.graphqlUrl, CREATE_BLOB, { input: { contentType: 'image/gif' } });

    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      data: null,
      errors: [
        {
          path: ['createBlob'],
          data: null,
          errorType: 'ValidationError',
          errorInfo: { field: 'contentType' },
          locations: [{ line: 3, column: 5, sourceName: null }],
          message: 'contentType must be image/jpeg or image/png',
        },
      ],
    });
  });

  it('keeps the data and adds the error when a resolver appends an error', async () => {
    const res = await postWithApiKey(t.server.graphqlUrl, 'mutation { deleteBlob(id: "missing") { id } }');

    expect(res.json).toMatchObject({
      data: { deleteBlob: null },
      errors: [{ path: ['deleteBlob'], errorType: 'NotFound', errorInfo: { id: 'missing' }, message: 'No such blob' }],
    });
  });

  it('resolves fields without a resolver from the parent object', async () => {
    t.runtime.blobs.set('b3', blobRecord('b3', { error: { code: 'InvalidImageFormatException', message: 'bad', retryable: false } }));

    const res = await postWithApiKey(t.server.graphqlUrl, '{ blob(id: "b3") { error { code retryable } } }');

    expect(res.json).toEqual({ data: { blob: { error: { code: 'InvalidImageFormatException', retryable: false } } } });
  });

  it("reports a resolver's invalid AWSDateTime as a serialisation error on that field", async () => {
    t.runtime.blobs.set('bad-date', blobRecord('bad-date', { labelledAt: 'yesterday' }));

    const res = await postWithApiKey(t.server.graphqlUrl, '{ blob(id: "bad-date") { id labelledAt } }');

    expect(res.json).toEqual({
      data: { blob: { id: 'bad-date', labelledAt: null } },
      errors: [
        {
          path: ['blob', 'labelledAt'],
          data: null,
          errorType: null,
          errorInfo: null,
          locations: [{ line: 1, column: 29, sourceName: null }],
          message: "Can't serialize value (/blob/labelledAt) : Unable to parse `yesterday` as a valid DateTime Object.",
        },
      ],
    });
  });

  it.each([
    ['no x-api-key header', {}, 'You are not authorized to make this call.'],
    ['a wrong x-api-key', { 'x-api-key': 'da2-wrong' }, 'You are not authorized to make this call.'],
    ['a bearer token instead of a key', { authorization: 'Bearer abc' }, 'Valid authorization header not provided.'],
  ])('refuses a request with %s as 401 UnauthorizedException', async (_case, headers, message) => {
    const res = await post(t.server.graphqlUrl, graphqlBody(BLOB, { id: 'x' }), { 'content-type': 'application/json', ...headers });

    expect(res.status).toBe(401);
    expect(res.headers['x-amzn-errortype']).toBe('UnauthorizedException');
    expect(res.json).toEqual({ errors: [{ errorType: 'UnauthorizedException', message }] });
  });

  it('refuses the IAM-only mutation to an API-key caller with AppSync\'s Unauthorized field error', async () => {
    const input = { id: 'b9', owner: 'user-1', status: 'LABELLED', minConfidence: 55, maxLabels: 20, createdAt: '2025-01-01T00:00:00Z', updatedAt: '2025-01-01T00:00:00Z', uploadExpiresAt: '2025-01-01T00:15:00Z' };
    t.runtime.invocations.length = 0;

    const res = await postWithApiKey(t.server.graphqlUrl, PUBLISH_BLOB_RESULT, { input });

    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      data: { publishBlobResult: null },
      errors: [
        {
          path: ['publishBlobResult'],
          data: null,
          errorType: 'Unauthorized',
          errorInfo: null,
          // publishBlobResult stands on line 2, column 3 of graphql/publish-blob-result.graphql as generated.
          locations: [{ line: 2, column: 3, sourceName: null }],
          message: 'Not Authorized to access publishBlobResult on type Mutation',
        },
      ],
    });
    expect(t.runtime.invocations).toHaveLength(0);
  });

  it('lets an IAM caller read the fields the schema opens to it (trusted back ends)', async () => {
    const res = await postSigned(t.server.graphqlUrl, '{ blob(id: "b1") { id } }');

    expect(res.status).toBe(200);
    expect(res.json).toEqual({ data: { blob: { id: 'b1' } } });
  });

  it('answers a validation error with HTTP 200, data null and graphql-java\'s wording', async () => {
    const res = await postWithApiKey(t.server.graphqlUrl, '{ badfield }');

    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      data: null,
      errors: [
        {
          path: null,
          locations: [{ line: 1, column: 3, sourceName: null }],
          message: "Validation error of type FieldUndefined: Field 'badfield' in type 'Query' is undefined",
        },
      ],
    });
  });

  it.each([
    ['an empty body', '', 'Request body is empty.'],
    ['a body that is not JSON', 'meow', 'Unable to parse GraphQL query.'],
    ['JSON without a query', '{}', 'Unable to parse GraphQL query.'],
    ['a query that does not parse', JSON.stringify({ query: '{ blob(' }), 'Unable to parse GraphQL query.'],
  ])('answers %s with 400 MalformedHttpRequestException', async (_case, body, message) => {
    const res = await post(t.server.graphqlUrl, body, { 'content-type': 'application/json', 'x-api-key': API_KEY });

    expect(res.status).toBe(400);
    expect(res.json).toEqual({ errors: [{ errorType: 'MalformedHttpRequestException', message }] });
  });

  it.each([
    ['callbackUrl', 'not a url', 'URL'],
    ['callbackUrl', 'https://example.com//double', 'URL'],
  ])('refuses a bad AWSURL in variables (%s = %j) without calling the resolver', async (field, value, label) => {
    t.runtime.invocations.length = 0;

    const res = await postWithApiKey(t.server.graphqlUrl, CREATE_BLOB, { input: { contentType: 'image/png', [field]: value } });

    expect(res.status).toBe(200);
    expect(res.json.data).toBeNull();
    expect(res.json.errors).toEqual([
      {
        path: null,
        locations: [{ line: 2, column: 19, sourceName: null }],
        message: `Variable 'input' has an invalid value at 'input.${field}': Unable to parse \`${value}\` as a valid ${label}.`,
      },
    ]);
    expect(t.runtime.invocations).toHaveLength(0);
  });

  // AppSync's wording (graphql-java): aws-amplify/amplify-swift's integration test against AppSync, AppSync
  // answers quoted in aws/aws-appsync-community#406 (a null deep inside names the variable and the field's type)
  // and #273 (an unknown input field); the shape (path null, the variable's location, no errorType) as an
  // AppSync API answered it in a published API test.
  it.each([
    ['a missing variable', undefined, "Variable 'input' has coerced Null value for NonNull type 'CreateBlobInput!'"],
    ['a null variable', null, "Variable 'input' has coerced Null value for NonNull type 'CreateBlobInput!'"],
    ['a missing non-null field', {}, "Variable 'input' has coerced Null value for NonNull type 'String!'"],
    ['a null non-null field', { contentType: null }, "Variable 'input' has coerced Null value for NonNull type 'String!'"],
    ['an unknown field', { contentType: 'image/png', colour: 'red' }, "The variables input contains a field that is not defined for input object type 'CreateBlobInput' "],
    ['a string for an Int', { contentType: 'image/png', maxLabels: 'ten' }, "Variable 'input' has an invalid value at 'input.maxLabels': Expected type 'Int' but was 'String'."],
    ['a fraction for an Int', { contentType: 'image/png', maxLabels: 1.5 }, "Variable 'input' has an invalid value at 'input.maxLabels': Expected type 'Int' but was 'Double'."],
    ['a scalar for an input object', 'image/png', "Variable 'input' has an invalid value: Expected type 'Map' but was 'String'. Variables for input objects must be an instance of type 'Map'."],
  ])('words %s in the variables as AppSync does, without calling the resolver', async (_case, input, message) => {
    t.runtime.invocations.length = 0;

    const res = await postWithApiKey(t.server.graphqlUrl, CREATE_BLOB, input === undefined ? {} : { input });

    expect(res.status).toBe(200);
    expect(res.json).toEqual({ data: null, errors: [{ path: null, locations: [{ line: 2, column: 19, sourceName: null }], message }] });
    expect(t.runtime.invocations).toHaveLength(0);
  });

  it('refuses a bad AWSDateTime literal in the document as a WrongType validation error', async () => {
    const query = `mutation { publishBlobResult(input: { id: "x", owner: "user-1", status: LABELLED, minConfidence: 1, maxLabels: 1, createdAt: "yesterday", updatedAt: "2025-01-01T00:00:00Z", uploadExpiresAt: "2025-01-01T00:00:00Z" }) { id } }`;

    const res = await postWithApiKey(t.server.graphqlUrl, query);

    expect(res.status).toBe(200);
    expect((res.json.errors as Array<{ message: string }>)[0].message).toMatch(
      /^Validation error of type WrongType: .*Unable to parse `yesterday` as a valid DateTime Object\./,
    );
  });

  it('answers a CORS preflight with the headers browsers and Amplify send', async () => {
    const res = await post(t.server.graphqlUrl, '', {
      origin: 'http://localhost:5173',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type,x-api-key,x-amz-user-agent',
    }, { method: 'OPTIONS' });

    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(String(res.headers['access-control-allow-headers'])).toContain('x-api-key');
    expect(String(res.headers['access-control-allow-headers'])).toContain('x-amz-security-token');
    expect(String(res.headers['access-control-allow-methods'])).toContain('POST');
  });

  it('allows cross-origin reads of the response', async () => {
    const res = await postWithApiKey(t.server.graphqlUrl, '{ blobs { nextToken } }');

    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('local AppSync beside other content', () => {
  it('lets serveOther answer non-GraphQL requests (the demo page) and leaves /graphql to the endpoint', async () => {
    const t = await startTestServer({
      serveOther: (req, res) => {
        if (req.method !== 'GET' || req.url !== '/') return false;
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<h1>demo</h1>');
        return true;
      },
    });
    try {
      const page = await post(new URL('/', t.server.graphqlUrl).href, '', {}, { method: 'GET' });
      const api = await postWithApiKey(t.server.graphqlUrl, '{ blobs { nextToken } }');

      expect(page.text).toBe('<h1>demo</h1>');
      expect(api.json).toEqual({ data: { blobs: { nextToken: null } } });
    } finally {
      await t.server.close();
    }
  });
});
