export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  AWSDate: { input: string; output: string; }
  AWSDateTime: { input: string; output: string; }
  AWSEmail: { input: string; output: string; }
  AWSIPAddress: { input: string; output: string; }
  AWSJSON: { input: string; output: string; }
  AWSPhone: { input: string; output: string; }
  AWSTime: { input: string; output: string; }
  AWSTimestamp: { input: number; output: number; }
  AWSURL: { input: string; output: string; }
};

export type Blob = {
  __typename?: 'Blob';
  callback: Maybe<Callback>;
  contentType: Maybe<Scalars['String']['output']>;
  createdAt: Scalars['AWSDateTime']['output'];
  error: Maybe<BlobError>;
  id: Scalars['ID']['output'];
  /**
   * A URL to download the uploaded image, valid for 5 minutes: for the blob's owner only, and only once the image was
   * read (LABELLED or FAILED); null otherwise (never for REJECTED: those bytes are not an image it could show).
   */
  imageUrl: Maybe<Scalars['AWSURL']['output']>;
  labelledAt: Maybe<Scalars['AWSDateTime']['output']>;
  labels: Maybe<Array<Label>>;
  maxLabels: Scalars['Int']['output'];
  minConfidence: Scalars['Float']['output'];
  /** Who created it: the user pool user's sub, or the IAM principal's ARN for a trusted back end. */
  owner: Scalars['ID']['output'];
  /** Bytes received, known once the upload arrived */
  size: Maybe<Scalars['Int']['output']>;
  status: BlobStatus;
  updatedAt: Scalars['AWSDateTime']['output'];
  /** When the presigned upload URL stops working */
  uploadExpiresAt: Scalars['AWSDateTime']['output'];
};

export type BlobConnection = {
  __typename?: 'BlobConnection';
  items: Array<Blob>;
  nextToken: Maybe<Scalars['String']['output']>;
};

export type BlobError = {
  __typename?: 'BlobError';
  /** Stable code, e.g. InvalidImageFormat, ImageTooLarge, UnsupportedContentType, ThrottlingException */
  code: Scalars['String']['output'];
  message: Scalars['String']['output'];
  /** True when the same image may succeed if uploaded again later */
  retryable: Scalars['Boolean']['output'];
};

export type BlobErrorInput = {
  code: Scalars['String']['input'];
  message: Scalars['String']['input'];
  retryable: Scalars['Boolean']['input'];
};

/** The blob as the processing function wrote it; published to labelsReady subscribers. */
export type BlobResultInput = {
  callback?: InputMaybe<CallbackInput>;
  contentType?: InputMaybe<Scalars['String']['input']>;
  createdAt: Scalars['AWSDateTime']['input'];
  error?: InputMaybe<BlobErrorInput>;
  id: Scalars['ID']['input'];
  labelledAt?: InputMaybe<Scalars['AWSDateTime']['input']>;
  labels?: InputMaybe<Array<LabelInput>>;
  maxLabels: Scalars['Int']['input'];
  minConfidence: Scalars['Float']['input'];
  owner: Scalars['ID']['input'];
  size?: InputMaybe<Scalars['Int']['input']>;
  status: BlobStatus;
  updatedAt: Scalars['AWSDateTime']['input'];
  uploadExpiresAt: Scalars['AWSDateTime']['input'];
};

/** Where a blob is in its life. EXPIRED is derived when read: a PENDING_UPLOAD blob whose upload URL has expired. */
export type BlobStatus =
  /** Deleted before it reached a final state: only labelsReady and the webhook carry it; blob(id) then answers null. */
  | 'DELETED'
  | 'EXPIRED'
  | 'FAILED'
  | 'LABELLED'
  | 'PENDING_UPLOAD'
  | 'PROCESSING'
  | 'REJECTED';

/** Ratios of the image's width and height, 0..1, as Rekognition. */
export type BoundingBox = {
  __typename?: 'BoundingBox';
  height: Scalars['Float']['output'];
  left: Scalars['Float']['output'];
  top: Scalars['Float']['output'];
  width: Scalars['Float']['output'];
};

export type BoundingBoxInput = {
  height: Scalars['Float']['input'];
  left: Scalars['Float']['input'];
  top: Scalars['Float']['input'];
  width: Scalars['Float']['input'];
};

export type Callback = {
  __typename?: 'Callback';
  attempts: Scalars['Int']['output'];
  deliveredAt: Maybe<Scalars['AWSDateTime']['output']>;
  lastAttemptAt: Maybe<Scalars['AWSDateTime']['output']>;
  lastError: Maybe<Scalars['String']['output']>;
  status: CallbackStatus;
  url: Scalars['AWSURL']['output'];
};

export type CallbackInput = {
  attempts: Scalars['Int']['input'];
  deliveredAt?: InputMaybe<Scalars['AWSDateTime']['input']>;
  lastAttemptAt?: InputMaybe<Scalars['AWSDateTime']['input']>;
  lastError?: InputMaybe<Scalars['String']['input']>;
  status: CallbackStatus;
  url: Scalars['AWSURL']['input'];
};

export type CallbackStatus =
  | 'DELIVERED'
  | 'FAILED'
  | 'PENDING';

export type CreateBlobInput = {
  /** Receives the result as a signed webhook (Standard Webhooks) */
  callbackUrl?: InputMaybe<Scalars['AWSURL']['input']>;
  /** When given, signed into the upload URL: S3 refuses a body of another size. At most 15 MB. */
  contentLength?: InputMaybe<Scalars['Int']['input']>;
  /** image/jpeg or image/png */
  contentType: Scalars['String']['input'];
  /** Same key, same blob: a retried create returns the first blob */
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  /** 1..1000, default 20 */
  maxLabels?: InputMaybe<Scalars['Int']['input']>;
  /** 0..100, default 55 */
  minConfidence?: InputMaybe<Scalars['Float']['input']>;
};

export type CreateBlobPayload = {
  __typename?: 'CreateBlobPayload';
  blob: Blob;
  upload: Upload;
};

export type Label = {
  __typename?: 'Label';
  aliases: Array<Scalars['String']['output']>;
  categories: Array<Scalars['String']['output']>;
  /** 0..100, as Rekognition */
  confidence: Scalars['Float']['output'];
  instances: Array<LabelInstance>;
  name: Scalars['String']['output'];
  parents: Array<Scalars['String']['output']>;
};

export type LabelInput = {
  aliases: Array<Scalars['String']['input']>;
  categories: Array<Scalars['String']['input']>;
  confidence: Scalars['Float']['input'];
  instances: Array<LabelInstanceInput>;
  name: Scalars['String']['input'];
  parents: Array<Scalars['String']['input']>;
};

export type LabelInstance = {
  __typename?: 'LabelInstance';
  boundingBox: BoundingBox;
  /** 0..100 */
  confidence: Scalars['Float']['output'];
};

export type LabelInstanceInput = {
  boundingBox: BoundingBoxInput;
  confidence: Scalars['Float']['input'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Fails with QuotaExceeded past the caller's daily upload quota (errorInfo says the limit and when it resets). */
  createBlob: CreateBlobPayload;
  /**
   * Removes the uploaded object and the record; null when the caller has no such blob. A blob deleted before its
   * final state ends with a DELETED event on labelsReady and the webhook.
   */
  deleteBlob: Maybe<Blob>;
  /** Called by the processing function only. */
  publishBlobResult: Maybe<Blob>;
  /** Sends the result webhook again (the blob must be in a final state and have a callbackUrl). */
  redeliverCallback: Maybe<Blob>;
};


export type MutationCreateBlobArgs = {
  input: CreateBlobInput;
};


export type MutationDeleteBlobArgs = {
  id: Scalars['ID']['input'];
};


export type MutationPublishBlobResultArgs = {
  input: BlobResultInput;
};


export type MutationRedeliverCallbackArgs = {
  id: Scalars['ID']['input'];
};

export type Query = {
  __typename?: 'Query';
  /** The caller's blob; null for an id that does not exist or that another user owns. */
  blob: Maybe<Blob>;
  /** The caller's blobs, newest first. limit 1..100, default 20. `owner`: another owner's blobs (members of admins only). */
  blobs: BlobConnection;
};


export type QueryBlobArgs = {
  id: Scalars['ID']['input'];
};


export type QueryBlobsArgs = {
  limit: InputMaybe<Scalars['Int']['input']>;
  nextToken: InputMaybe<Scalars['String']['input']>;
  owner: InputMaybe<Scalars['ID']['input']>;
};

export type Subscription = {
  __typename?: 'Subscription';
  /**
   * Fires once, when the caller's blob reaches LABELLED, FAILED or REJECTED (or DELETED, when deleted before).
   * Refused for a blob the caller does not own.
   */
  labelsReady: Maybe<Blob>;
};


export type SubscriptionLabelsReadyArgs = {
  id: Scalars['ID']['input'];
};

export type Upload = {
  __typename?: 'Upload';
  expiresAt: Scalars['AWSDateTime']['output'];
  /** Headers the client must send with the upload, as a JSON object */
  headers: Scalars['AWSJSON']['output'];
  method: Scalars['String']['output'];
  url: Scalars['AWSURL']['output'];
};
