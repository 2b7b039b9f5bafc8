// The queue between S3 and the function that processes uploads: every ObjectCreated event under the stage's prefix is
// a message, consumed by the event source mapping that functions/manifest.ts declares (infra/constructs/functions.ts
// makes it), whose maximum concurrency follows Rekognition's DetectLabels quota, so that a burst of uploads drains at
// the rate Rekognition accepts instead of failing. A message handed back too often (the handler ends its blob FAILED
// on the last receive) moves to the dead-letter queue, whose alarm fires at once.
// The numbers come from functions/queue/upload-queue.ts, which the handler and the local cloud read too.
import { Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { maxConcurrencyFor, UPLOAD_QUEUE, visibilityTimeoutSeconds } from '../../functions/queue/upload-queue.ts';
import { acknowledge } from './nag.ts';

export interface UploadQueueProps {
  bucket: s3.IBucket;
  /** Only objects under this prefix (`{stage}/`) are uploads. */
  keyPrefix: string;
  /** The timeout of the function that processes uploads (functions/manifest.ts). */
  consumerTimeoutSeconds: number;
  /** DetectLabels transactions per second the account may use. */
  rekognitionTps: number;
  /** A PROCESSING blob older than this may be taken over; longer than the function's timeout. */
  processingLeaseSeconds: number;
  removalPolicy: RemovalPolicy;
}

export class UploadQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly alarm: cloudwatch.Alarm;
  readonly maxConcurrency: number;

  constructor(scope: Construct, id: string, props: UploadQueueProps) {
    super(scope, id);
    const timeoutSeconds = props.consumerTimeoutSeconds;
    if (props.processingLeaseSeconds <= timeoutSeconds) {
      throw new Error(
        `the processing lease (${props.processingLeaseSeconds} s) must outlast the upload consumer's timeout (${timeoutSeconds} s): ` +
          'a live attempt would be taken over',
      );
    }
    const retentionPeriod = Duration.days(UPLOAD_QUEUE.retentionDays);

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod,
      removalPolicy: props.removalPolicy,
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      // S3 can write to a queue encrypted with SQS-managed keys (not with the AWS-managed KMS key).
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod,
      visibilityTimeout: Duration.seconds(visibilityTimeoutSeconds(props.processingLeaseSeconds)),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: UPLOAD_QUEUE.maxReceiveCount },
      removalPolicy: props.removalPolicy,
    });
    props.bucket.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.SqsDestination(this.queue), {
      prefix: props.keyPrefix,
    });
    // The notification is set by CDK's own custom resource, one per stack, whose role is not ours to shape.
    for (const handler of Stack.of(this).node.children.filter((child) => child.node.id.startsWith('BucketNotificationsHandler'))) {
      acknowledge(handler, 'AwsSolutions-IAM4', "CDK's bucket notifications handler runs at deployment only, with the basic execution role CDK gives it", [
        'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
      ]);
    }

    this.maxConcurrency = maxConcurrencyFor(props.rekognitionTps);

    this.alarm = new cloudwatch.Alarm(this, 'DeadLettersNotEmpty', {
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription:
        'Upload events that could not be processed in maxReceiveCount receives (an unreadable message, or DynamoDB ' +
        'failing on the last one): redrive them to the upload queue once the cause is fixed',
    });
  }
}
