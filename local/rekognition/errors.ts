/** Rekognition's exception names for DetectLabels, as the SDK's typed exceptions spell them. */
const NAMES = [
  'InvalidImageFormatException',
  'InvalidParameterException',
  'ImageTooLargeException',
  'InvalidS3ObjectException',
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'InternalServerError',
] as const;
export type RekognitionErrorName = (typeof NAMES)[number];

// Throttling and internal faults are worth retrying; bad input never is.
const RETRYABLE: ReadonlySet<RekognitionErrorName> = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'InternalServerError',
]);

/** An error shaped as Rekognition reports it: `name` is the exception name clients switch on. */
export class RekognitionError extends Error {
  override readonly name: RekognitionErrorName;
  readonly retryable: boolean;

  constructor(name: RekognitionErrorName, message: string) {
    super(message);
    this.name = name;
    this.retryable = RETRYABLE.has(name);
  }
}

export function isRekognitionErrorName(value: string): value is RekognitionErrorName {
  return (NAMES as readonly string[]).includes(value);
}
