import type { DetectLabelsResponse as SdkDetectLabelsResponse } from '@aws-sdk/client-rekognition';

/**
 * Rekognition's DetectLabels response, with every field the local labeller always fills
 * made required. It stays assignable to the SDK's (all-optional) type; see the check below.
 */
export interface BoundingBox { Left: number; Top: number; Width: number; Height: number }
export interface DominantColor {
  Red: number;
  Green: number;
  Blue: number;
  /** `#rrggbb` of the CSS colour the pixels were matched to. */
  HexCode: string;
  CSSColor: string;
  /** One of Rekognition's 12 simplified colour names (see colours.ts). */
  SimplifiedColor: string;
  PixelPercent: number;
}
export interface LabelInstance {
  BoundingBox: BoundingBox;
  Confidence: number;
  /** Present when IMAGE_PROPERTIES was requested, as Rekognition does. */
  DominantColors?: DominantColor[];
}
export interface Label {
  Name: string;
  Confidence: number;
  Instances: LabelInstance[];
  Parents: Array<{ Name: string }>;
  Aliases: Array<{ Name: string }>;
  Categories: Array<{ Name: string }>;
}
export interface ImageQuality { Brightness: number; Sharpness: number; Contrast: number }
export interface RegionProperties { Quality: Omit<ImageQuality, 'Contrast'>; DominantColors: DominantColor[] }
export interface ImageProperties {
  Quality: ImageQuality;
  DominantColors: DominantColor[];
  Foreground: RegionProperties;
  Background: RegionProperties;
}
export interface DetectLabelsResponse { Labels: Label[]; LabelModelVersion: string; ImageProperties?: ImageProperties }

export type Feature = 'GENERAL_LABELS' | 'IMAGE_PROPERTIES';
export interface GeneralLabelsSettings {
  LabelInclusionFilters?: string[];
  LabelExclusionFilters?: string[];
  LabelCategoryInclusionFilters?: string[];
  LabelCategoryExclusionFilters?: string[];
}
export interface DetectLabelsSettings {
  GeneralLabels?: GeneralLabelsSettings;
  ImageProperties?: { MaxDominantColors?: number };
}

export interface DetectLabelsInput {
  bytes: Uint8Array;
  /** 0..100, default 55 as Rekognition. */
  minConfidence?: number;
  /** Default: no limit, as Rekognition (which caps at 1000). */
  maxLabels?: number;
  /** Default: GENERAL_LABELS only, as Rekognition. */
  features?: Feature[];
  settings?: DetectLabelsSettings;
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
