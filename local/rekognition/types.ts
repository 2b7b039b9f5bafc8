import type { DetectLabelsResponse as SdkDetectLabelsResponse } from '@aws-sdk/client-rekognition';

/**
 * Rekognition's DetectLabels response, with every field the local labeller always fills
 * made required. It stays assignable to the SDK's (all-optional) type; see the check below.
 */
export interface BoundingBox { Left: number; Top: number; Width: number; Height: number }
export interface LabelInstance { BoundingBox: BoundingBox; Confidence: number }
export interface Label {
  Name: string;
  Confidence: number;
  Instances: LabelInstance[];
  Parents: Array<{ Name: string }>;
  Aliases: Array<{ Name: string }>;
  Categories: Array<{ Name: string }>;
}
export interface DetectLabelsResponse { Labels: Label[]; LabelModelVersion: string }

export interface DetectLabelsInput {
  bytes: Uint8Array;
  /** 0..100, default 55 as Rekognition. */
  minConfidence?: number;
  /** Default: no limit, as Rekognition (which caps at 1000). */
  maxLabels?: number;
}

export interface Labeller {
  detectLabels(input: DetectLabelsInput): Promise<DetectLabelsResponse>;
  close(): Promise<void>;
}

/** One object found by the detector, in ratios of the (EXIF-oriented) image. */
export interface Detection {
  classIndex: number;
  /** Raw detector score, 0..1. */
  score: number;
  box: BoundingBox;
}

// Compile-time proof that our response can be handed to code written against the SDK.
export type AssertAssignable = DetectLabelsResponse extends SdkDetectLabelsResponse ? true : never;
