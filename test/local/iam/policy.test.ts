import { describe, expect, it } from 'vitest';
import { allows, matchesAction, matchesResource, notAuthorizedMessage } from '../../../local/iam/policy.ts';

describe('IAM policy evaluation', () => {
  const statements = [
    { actions: ['s3:GetObject', 's3:DeleteObject'], resources: ['arn:aws:s3:::uploads/local/*'] },
    { actions: ['rekognition:DetectLabels'], resources: ['*'] },
  ];

  it.each([
    ['s3:GetObject', 'arn:aws:s3:::uploads/local/01ABC', true],
    ['S3:getobject', 'arn:aws:s3:::uploads/local/01ABC', true],
    ['s3:PutObject', 'arn:aws:s3:::uploads/local/01ABC', false],
    ['s3:GetObject', 'arn:aws:s3:::uploads/prod/01ABC', false],
    ['s3:GetObject', 'arn:aws:s3:::UPLOADS/local/01ABC', false],
    ['s3:GetObject', 'arn:aws:s3:::uploads-other/local/01ABC', false],
    ['rekognition:DetectLabels', '*', true],
    ['rekognition:DetectFaces', '*', false],
  ])('decides %s on %s: %s', (action, resource, allowed) => {
    expect(allows(statements, action, resource)).toBe(allowed);
  });

  it('reads IAM wildcards: * for any run of characters, ? for one, and nothing as a regular expression', () => {
    expect(matchesAction('dynamodb:Get*', 'dynamodb:GetItem')).toBe(true);
    expect(matchesResource('arn:aws:sqs:us-east-1:000000000000:uploads-?', 'arn:aws:sqs:us-east-1:000000000000:uploads-1')).toBe(true);
    expect(matchesResource('arn:aws:sqs:us-east-1:000000000000:uploads.', 'arn:aws:sqs:us-east-1:000000000000:uploadsX')).toBe(false);
    expect(matchesResource('arn:aws:sqs:us-east-1:000000000000:uploads', 'arn:aws:sqs:us-east-1:000000000000:uploads-dead')).toBe(false);
  });

  it('denies when no statement allows, with IAM\'s explanation', () => {
    expect(allows([], 's3:GetObject', 'arn:aws:s3:::b/k')).toBe(false);
    expect(notAuthorizedMessage('arn:aws:sts::000000000000:assumed-role/r/s', 'dynamodb:PutItem', 'arn:aws:dynamodb:us-east-1:000000000000:table/t')).toBe(
      'User: arn:aws:sts::000000000000:assumed-role/r/s is not authorized to perform: dynamodb:PutItem on resource: ' +
        'arn:aws:dynamodb:us-east-1:000000000000:table/t because no identity-based policy allows the dynamodb:PutItem action',
    );
    expect(notAuthorizedMessage('arn:x', 'rekognition:DetectLabels', '*')).toBe(
      'User: arn:x is not authorized to perform: rekognition:DetectLabels because no identity-based policy allows the rekognition:DetectLabels action',
    );
  });
});
