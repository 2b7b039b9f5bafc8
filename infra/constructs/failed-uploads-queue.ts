// Where S3 events go when process-upload failed on every attempt, so that no upload is lost silently.
// A blob whose event lands here stays PROCESSING; an operator can replay the event once the cause is fixed
// (the processing lease lets the replay take the blob over).
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface FailedUploadsQueueProps {
  /** The S3-triggered function whose failed events are kept. */
  processUpload: lambda.IFunction;
  removalPolicy: RemovalPolicy;
}

export class FailedUploadsQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: FailedUploadsQueueProps) {
    super(scope, id);
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: props.removalPolicy,
    });
    // Lambda retries an asynchronous S3 invocation twice before giving up; then the event comes here.
    props.processUpload.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new destinations.SqsDestination(this.queue),
    });
    this.alarm = new cloudwatch.Alarm(this, 'NotEmpty', {
      metric: this.queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: 'Uploads whose processing failed on every attempt: their blobs stay PROCESSING',
    });
  }
}
