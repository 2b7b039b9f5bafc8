import {
  ImageTooLargeException,
  InternalServerError,
  InvalidImageFormatException,
  InvalidParameterException,
  InvalidS3ObjectException,
  ProvisionedThroughputExceededException,
  ThrottlingException,
} from '@aws-sdk/client-rekognition';
import { NoSuchKey, NotFound, S3ServiceException } from '@aws-sdk/client-s3';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  classifyRekognitionError,
  classifyS3ReadError,
  DomainError,
  fromAwsError,
  isConditionalCheckFailed,
  outcomeAfterRetries,
  rekognitionOutcome,
} from '../../../functions/commons/errors.ts';

const metadata = { $metadata: { httpStatusCode: 400 } };

describe('rekognitionOutcome', () => {
  it.each([
    [new InvalidImageFormatException({ message: 'Request has invalid image format', ...metadata })],
    [new ImageTooLargeException({ message: 'Image size is too large', ...metadata })],
    [new InvalidParameterException({ message: 'Request has invalid parameters', ...metadata })],
    [new InvalidS3ObjectException({ message: 'Unable to get object metadata from S3', ...metadata })],
  ])('rejects the image for $name, keeping the exception name as the code', (error) => {
    expect(rekognitionOutcome(error)).toEqual({
      status: 'REJECTED',
      error: { code: error.name, message: error.message, retryable: false },
    });
  });

  it.each([
    [new ThrottlingException({ message: 'Slow down', $metadata: { httpStatusCode: 400 } })],
    [new ProvisionedThroughputExceededException({ message: 'Too many', $metadata: {} })],
    [new InternalServerError({ message: 'Oops', $metadata: { httpStatusCode: 500 } })],
  ])('fails the blob, retryable, for $name', (error) => {
    expect(rekognitionOutcome(error)).toEqual({
      status: 'FAILED',
      error: { code: error.name, message: error.message, retryable: true },
    });
  });

  it('fails the blob, retryable, for a network error, under a code of its own', () => {
    const error = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });

    expect(rekognitionOutcome(error)).toEqual({
      status: 'FAILED',
      error: { code: 'RekognitionUnavailable', message: 'socket hang up', retryable: true },
    });
  });
});

describe('classifyRekognitionError', () => {
  it.each([
    [new ThrottlingException({ message: 'Slow down', $metadata: { httpStatusCode: 400 } })],
    [new ProvisionedThroughputExceededException({ message: 'Provisioned rate exceeded', $metadata: { httpStatusCode: 400 } })],
    [new InternalServerError({ message: 'Oops', $metadata: { httpStatusCode: 500 } })],
    [Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
  ])('calls $name transient, keeping what the blob records should no retry get past it', (error) => {
    const failure = classifyRekognitionError(error);

    expect(failure.kind).toBe('transient');
    const transient = failure.kind === 'transient' ? failure.error : undefined;
    expect(transient).toMatchObject({ code: 'DependencyUnavailable', retryable: true });
    expect(outcomeAfterRetries(transient!)).toEqual(rekognitionOutcome(error));
  });

  it('calls an image problem final', () => {
    const error = new InvalidImageFormatException({ message: 'Request has invalid image format', ...metadata });

    expect(classifyRekognitionError(error)).toEqual({ kind: 'final', outcome: rekognitionOutcome(error) });
  });

  it('calls an S3 object Rekognition cannot read unreadable, not final: it may be gone, which only S3 can say', () => {
    const error = new InvalidS3ObjectException({ message: 'Unable to get object metadata from S3', ...metadata });

    expect(classifyRekognitionError(error)).toEqual({ kind: 'objectUnreadable', outcome: rekognitionOutcome(error) });
  });

  it('calls a refusal that another attempt would meet again final (access denied)', () => {
    const error = Object.assign(new Error('User is not authorized to perform: rekognition:DetectLabels'), {
      name: 'AccessDeniedException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });

    expect(classifyRekognitionError(error)).toEqual({
      kind: 'final',
      outcome: { status: 'FAILED', error: { code: 'AccessDeniedException', message: error.message, retryable: true } },
    });
  });
});

describe('classifyS3ReadError', () => {
  it.each([
    new NotFound({ message: 'NotFound', $metadata: { httpStatusCode: 404 } }),
    new NoSuchKey({ message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } }),
  ])('sees a missing object in $name', (error) => {
    expect(classifyS3ReadError(error)).toEqual({ kind: 'missing' });
  });

  it('asks for a retry when S3 throttles', () => {
    const error = new S3ServiceException({ name: 'SlowDown', $fault: 'server', message: 'Reduce your request rate', $metadata: { httpStatusCode: 503 } });

    const failure = classifyS3ReadError(error);

    expect(failure.kind).toBe('transient');
  });

  it('fails the blob with S3’s code when access is denied', () => {
    const error = new S3ServiceException({ name: 'AccessDenied', $fault: 'client', message: 'Access Denied', $metadata: { httpStatusCode: 403 } });

    expect(classifyS3ReadError(error)).toEqual({
      kind: 'permanent',
      outcome: { status: 'FAILED', error: { code: 'AccessDenied', message: 'Access Denied', retryable: true } },
    });
  });
});

describe('DynamoDB errors', () => {
  it('recognises a refused condition', () => {
    const error = new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

    expect(isConditionalCheckFailed(error)).toBe(true);
    expect(isConditionalCheckFailed(new Error('other'))).toBe(false);
  });

  it('turns throttling into a retryable DependencyUnavailable and other failures into InternalError', () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    const invalid = Object.assign(new Error('Invalid UpdateExpression'), { name: 'ValidationException', $metadata: { httpStatusCode: 400 } });

    expect(fromAwsError('DynamoDB', throttled)).toMatchObject({ code: 'DependencyUnavailable', retryable: true });
    expect(fromAwsError('DynamoDB', invalid)).toMatchObject({ code: 'InternalError', retryable: false });
  });
});

describe('DomainError', () => {
  it('names itself after its code, which the Lambda runtime reports as errorType', () => {
    const error = new DomainError('NotFound', 'No blob with id X');

    expect(error).toMatchObject({ name: 'NotFound', errorType: 'NotFound', code: 'NotFound', retryable: false });
    expect(error).toBeInstanceOf(Error);
  });
});
