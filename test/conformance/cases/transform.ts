import { expressions, requestBody, type ConformanceCase } from '../case.ts';
import { doc, recorded, sample } from './sources.ts';

const transformDoc = (section: string) => doc('transformation-helpers-in-utils-transform-js', section);

export const transformCases: ConformanceCase[] = [
  ...expressions(recorded('index', 'Transformations toDynamoDBFilterMap 1'), [
    ['util.transform.toDynamoDBFilterExpression wraps a contains condition as AppSync does', 'util.transform.toDynamoDBFilterExpression({ title: { contains: "Hello World" } })', {
      result: '{"expression":"(contains(#title,:title_contains))","expressionNames":{"#title":"title"},"expressionValues":{":title_contains":{"S":"Hello World"}}}',
    }],
  ]),
  ...expressions(recorded('index', 'Transformations toDynamoDBConditionExpression 1'), [
    ['util.transform.toDynamoDBConditionExpression joins two fields with AND, numbers kept as numbers', 'JSON.parse(util.transform.toDynamoDBConditionExpression({ id: { attributeExists: true }, version: { eq: 10 } }))', {
      result: {
        expression: '(attribute_exists(#id)) AND (#version = :version_eq)',
        expressionNames: { '#id': 'id', '#version': 'version' },
        expressionValues: { ':version_eq': { N: 10 } },
      },
    }],
  ]),
  ...expressions(transformDoc('util.transform.toElasticsearchQueryDSL example'), [
    ['util.transform.toElasticsearchQueryDSL gives the documented query', 'JSON.parse(util.transform.toElasticsearchQueryDSL({ upvotes: { ne: 15, range: [10, 20] }, title: { eq: "hihihi", wildcard: "h*i" } }))', {
      result: {
        bool: {
          must: [
            { bool: { must: [{ bool: { must_not: { term: { upvotes: 15 } } } }, { range: { upvotes: { gte: 10, lte: 20 } } }] } },
            { bool: { must: [{ term: { title: 'hihihi' } }, { wildcard: { title: 'h*i' } }] } },
          ],
        },
      },
    }],
  ]),
  {
    name: 'util.transform.toSubscriptionFilter turns an or of two field groups into two filter groups',
    source: `${doc('aws-appsync-real-time-enhanced-filtering', 'ticket example: severity/priority or category/group')}; the same filter in ${sample('samples/NONE/enhancedSubscription.js')}`,
    code: requestBody(`  return util.transform.toSubscriptionFilter({
    or: [
      { severity: { ge: 7 }, priority: { in: ['high', 'medium'] } },
      { category: { eq: 'security' }, group: { in: ['admin', 'operators'] } },
    ],
  });`),
    expect: {
      result: {
        filterGroup: [
          { filters: [{ fieldName: 'severity', operator: 'ge', value: 7 }, { fieldName: 'priority', operator: 'in', value: ['high', 'medium'] }] },
          { filters: [{ fieldName: 'category', operator: 'eq', value: 'security' }, { fieldName: 'group', operator: 'in', value: ['admin', 'operators'] }] },
        ],
      },
    },
  },
];
