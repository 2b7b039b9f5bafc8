import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { synthesize } from './synthesize.ts';

const { template } = synthesize();

describe('failed upload events', () => {
  it('sends an S3 event that failed every processing attempt to an encrypted queue', () => {
    const queues = template.findResources('AWS::SQS::Queue');
    const [queueId] = Object.keys(queues);

    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1_209_600 });
    expect(Object.keys(queues)).toHaveLength(1);
  });

  it('lets only the processing function send to that queue', () => {
    const [queueId] = Object.keys(template.findResources('AWS::SQS::Queue'));
    const senders = Object.entries(template.findResources('AWS::IAM::Policy')).filter(([, policy]) =>
      JSON.stringify(policy).includes('sqs:SendMessage'),
    );

    expect(senders.map(([id]) => id)).toEqual([expect.stringMatching(/^FunctionsProcessUploadRole/)]);
    expect(JSON.stringify(senders[0][1])).toContain(`"Fn::GetAtt":["${queueId}","Arn"]`);
  });

  it('raises an alarm as soon as one event is in the queue', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('names the queue in the stack outputs', () => {
    template.hasOutput('FailedUploadsQueueUrl', { Value: { Ref: Match.anyValue() } });
  });
});
