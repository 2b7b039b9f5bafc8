// Every conformance case, in the order they are reported.
import type { ConformanceCase } from '../case.ts';
import { authTypeCases } from './auth-type.ts';
import { dynamodbModuleCases } from './dynamodb-module.ts';
import { languageCases } from './language.ts';
import { sampleCases } from './samples.ts';
import { subscriptionFilterCases } from './subscription-filters.ts';
import { timeCases } from './time.ts';
import { transformExpressionCases } from './transform-expressions.ts';
import { transformCases } from './transform.ts';
import { utilCases } from './util.ts';
import { utilDynamodbCases } from './util-dynamodb.ts';

export const conformanceCases: readonly ConformanceCase[] = [
  ...utilDynamodbCases,
  ...dynamodbModuleCases,
  ...transformCases,
  ...transformExpressionCases,
  ...subscriptionFilterCases,
  ...timeCases,
  ...utilCases,
  ...authTypeCases,
  ...languageCases,
  ...sampleCases,
];
