import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { consumerOf } from '../../functions/manifest.ts';
import { UPLOAD_QUEUE } from '../../functions/queue/upload-queue.ts';
import { synthesize } from './synthesize.ts';

const { stack, template } = synthesize();
const logicalId = (element: { node: { defaultChild?: unknown } }): string =>
  stack.getLogicalId(element.node.defaultChild as CfnElement);
const queue = logicalId(stack.uploadQueue.queue);
const deadLetters = logicalId(stack.uploadQueue.deadLetterQueue);
const processUpload = logicalId(stack.functions.get(consumerOf('uploadQueue')));

describe('the upload queue (S3 → SQS → process-upload)', () => {
  it('feeds process-upload one message at a time, at most 50 at once (the default DetectLabels quota), with partial batch responses', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queue, 'Arn'] },
      FunctionName: { Ref: processUpload },
      BatchSize: 1,
      ScalingConfig: { MaximumConcurrency: 50 },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
  });

  it('derives the maximum concurrency from the rekognitionTps context', () => {
    const { template: small } = synthesize({ context: { rekognitionTps: '5' } });

    small.hasResourceProperties('AWS::Lambda::EventSourceMapping', { ScalingConfig: { MaximumConcurrency: 5 } });
  });

  it('keeps a received message invisible past the processing lease, and dead-letters it after maxReceiveCount receives', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 130,
      MessageRetentionPeriod: 1_209_600,
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [deadLetters, 'Arn'] }, maxReceiveCount: UPLOAD_QUEUE.maxReceiveCount },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { MessageRetentionPeriod: 1_209_600, SqsManagedSseEnabled: true });
    template.resourceCountIs('AWS::SQS::Queue', 2);
  });

  it('tells the function the queue, its maxReceiveCount and the lease that the queue was sized for', () => {
    const variables = template.toJSON().Resources[processUpload].Properties.Environment.Variables;

    expect(variables).toMatchObject({
      UPLOAD_QUEUE_URL: { Ref: queue },
      UPLOAD_QUEUE_MAX_RECEIVE_COUNT: String(UPLOAD_QUEUE.maxReceiveCount),
      PROCESSING_LEASE_SECONDS: '120',
    });
  });

  it('lets the function receive, delete and hand back messages of that queue, and S3 of this bucket send to it', () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).map((policy) => JSON.stringify(policy));
    const consumer = policies.filter((policy) => policy.includes('sqs:ChangeMessageVisibility'));

    expect(consumer).toHaveLength(1);
    expect(consumer[0]).toContain(`"Fn::GetAtt":["${queue}","Arn"]`);
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queue }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: Match.arrayWith(['sqs:SendMessage']),
            Principal: { Service: 's3.amazonaws.com' },
            Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [logicalId(stack.bucket), 'Arn'] } } },
          }),
        ]),
      },
    });
  });

  it('no longer invokes the function asynchronously', () => {
    template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 0);
  });

  it('raises an alarm as soon as one message is in the dead-letter queue', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [deadLetters, 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('names both queues in the stack outputs', () => {
    template.hasOutput('UploadQueueUrl', { Value: { Ref: queue } });
    template.hasOutput('UploadDeadLetterQueueUrl', { Value: { Ref: deadLetters } });
  });
});
