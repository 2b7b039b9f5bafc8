// What a DynamoDB request asks of IAM: `dynamodb:<Operation>` on the table it names (an index's ARN for a Query or
// Scan of an index), on each table of a batch, on each item's table of a transaction (with the item's own action),
// and on `*` for ListTables. A principal without it gets DynamoDB's AccessDeniedException.
import type { AccessControl } from './access.ts';
import type { Refusal, SignedRequest } from './aws-json-front.ts';

/** The X-Amz-Target of a DynamoDB operation: this prefix, then the operation's name. */
export const DYNAMODB_TARGET_PREFIX = 'DynamoDB_20120810.';

export interface DynamoDbAccess {
  action: string;
  resource: string;
}

const TRANSACT_WRITE_ACTIONS: Record<string, string> = {
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
};

/** The action-resource pairs a request needs, every one of them allowed. */
export function dynamoDbAccess(target: string, body: Record<string, unknown>, tableArn: (table: string) => string): DynamoDbAccess[] {
  const operation = target.startsWith(DYNAMODB_TARGET_PREFIX) ? target.slice(DYNAMODB_TARGET_PREFIX.length) : target;
  const action = `dynamodb:${operation}`;
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const tableNames = (items: unknown) => Object.keys(typeof items === 'object' && items !== null ? items : {});
  switch (operation) {
    case 'ListTables':
      return [{ action, resource: '*' }];
    case 'BatchGetItem':
    case 'BatchWriteItem':
      return tableNames(body.RequestItems).map((table) => ({ action, resource: tableArn(table) }));
    case 'TransactGetItems':
      return transactItems(body).map((item) => ({ action: 'dynamodb:GetItem', resource: tableArn(text((item.Get as Record<string, unknown>)?.TableName)) }));
    case 'TransactWriteItems':
      return transactItems(body).flatMap((item) =>
        Object.entries(TRANSACT_WRITE_ACTIONS)
          .filter(([kind]) => kind in item)
          .map(([kind, itemAction]) => ({ action: itemAction, resource: tableArn(text((item[kind] as Record<string, unknown>)?.TableName)) })));
    default: {
      const table = tableArn(text(body.TableName));
      const index = text(body.IndexName);
      return [{ action, resource: index === '' ? table : `${table}/index/${index}` }];
    }
  }
}

function transactItems(body: Record<string, unknown>): Array<Record<string, unknown>> {
  return Array.isArray(body.TransactItems) ? (body.TransactItems as Array<Record<string, unknown>>) : [];
}

/** The front's rule for DynamoDB: the first pair the principal lacks is refused as DynamoDB refuses it. */
export function dynamoDbRule(access: AccessControl, region: string, accountId: string) {
  const tableArn = (table: string) => `arn:aws:dynamodb:${region}:${accountId}:table/${table}`;
  return (request: SignedRequest): Refusal | null => {
    for (const needed of dynamoDbAccess(request.target, request.body ?? {}, tableArn)) {
      const decision = access.decide(request.accessKeyId, needed.action, needed.resource);
      if (!decision.allowed) {
        return { status: 400, type: 'AccessDeniedException', message: decision.message };
      }
    }
    return null;
  };
}
