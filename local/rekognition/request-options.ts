import { RekognitionError } from './errors.ts';
import type { DetectLabelsSettings, Feature, GeneralLabelsSettings } from './types.ts';

/**
 * DetectLabels' Features and Settings, checked as Rekognition documents them (API reference:
 * DetectLabels, GeneralLabelsSettings, DetectLabelsImagePropertiesSettings). Anything the local
 * labeller could not honour is refused with InvalidParameterException rather than ignored, so a
 * client that sends a filter never silently gets unfiltered labels.
 */
export const FEATURES: readonly Feature[] = ['GENERAL_LABELS', 'IMAGE_PROPERTIES'];
export const DEFAULT_MAX_DOMINANT_COLORS = 10;
export const MAX_DOMINANT_COLORS = 20;
const MAX_FILTERS = 100;
const MAX_FILTER_LENGTH = 50;
// The documented pattern [A-Za-z0-9àâèçñó'-_(). ]* (its '-_ is a range: ' through _).
const FILTER_PATTERN = /^[A-Za-z0-9àâèçñó'-_(). ]*$/;
const FILTER_FIELDS = ['LabelInclusionFilters', 'LabelExclusionFilters', 'LabelCategoryInclusionFilters', 'LabelCategoryExclusionFilters'] as const;

export interface LabelFilters {
  includeLabels: ReadonlySet<string>;
  excludeLabels: ReadonlySet<string>;
  includeCategories: ReadonlySet<string>;
  excludeCategories: ReadonlySet<string>;
}

/** What the worker is asked to produce, after validation. */
export interface ResolvedOptions {
  generalLabels: boolean;
  imageProperties: boolean;
  filters: LabelFilters;
  maxDominantColors: number;
}

const invalid = (message: string): RekognitionError => new RekognitionError('InvalidParameterException', message);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
// Names are compared without regard to case: "car" filters the label Car.
const key = (name: string): string => name.toLowerCase();

export function resolveOptions(features: unknown, settings: unknown): ResolvedOptions {
  const wanted = parseFeatures(features);
  const parsed = parseSettings(settings);
  if (parsed.GeneralLabels && !wanted.has('GENERAL_LABELS')) {
    throw invalid('Settings.GeneralLabels requires the GENERAL_LABELS feature');
  }
  if (parsed.ImageProperties && !wanted.has('IMAGE_PROPERTIES')) {
    throw invalid('Settings.ImageProperties requires the IMAGE_PROPERTIES feature');
  }
  const general = parsed.GeneralLabels ?? {};
  const set = (values: string[] | undefined): ReadonlySet<string> => new Set((values ?? []).map(key));
  return {
    generalLabels: wanted.has('GENERAL_LABELS'),
    imageProperties: wanted.has('IMAGE_PROPERTIES'),
    filters: {
      includeLabels: set(general.LabelInclusionFilters),
      excludeLabels: set(general.LabelExclusionFilters),
      includeCategories: set(general.LabelCategoryInclusionFilters),
      excludeCategories: set(general.LabelCategoryExclusionFilters),
    },
    maxDominantColors: parsed.ImageProperties?.MaxDominantColors ?? DEFAULT_MAX_DOMINANT_COLORS,
  };
}

function parseFeatures(features: unknown): Set<Feature> {
  if (features === undefined || features === null) return new Set(['GENERAL_LABELS']);
  if (!Array.isArray(features) || features.length > FEATURES.length) {
    throw invalid(`Features must be a list of at most ${FEATURES.length} of ${FEATURES.join(', ')}`);
  }
  for (const f of features) {
    if (!FEATURES.includes(f as Feature)) throw invalid(`Unknown feature ${JSON.stringify(f)}: expected ${FEATURES.join(' or ')}`);
  }
  // An empty list asks for the default, as the service treats an absent one.
  return features.length === 0 ? new Set(['GENERAL_LABELS']) : new Set(features as Feature[]);
}

function parseSettings(settings: unknown): DetectLabelsSettings {
  if (settings === undefined || settings === null) return {};
  if (!isRecord(settings)) throw invalid('Settings must be an object');
  const unknown = Object.keys(settings).filter((k) => k !== 'GeneralLabels' && k !== 'ImageProperties');
  if (unknown.length > 0) throw invalid(`Settings has fields the labeller does not support: ${unknown.join(', ')}`);
  const result: DetectLabelsSettings = {};
  if (settings.GeneralLabels !== undefined && settings.GeneralLabels !== null) {
    result.GeneralLabels = parseGeneralLabels(settings.GeneralLabels);
  }
  if (settings.ImageProperties !== undefined && settings.ImageProperties !== null) {
    const imageProperties = settings.ImageProperties;
    if (!isRecord(imageProperties)) throw invalid('Settings.ImageProperties must be an object');
    const extra = Object.keys(imageProperties).filter((k) => k !== 'MaxDominantColors');
    if (extra.length > 0) throw invalid(`Settings.ImageProperties has fields the labeller does not support: ${extra.join(', ')}`);
    const max = imageProperties.MaxDominantColors;
    if (max !== undefined && max !== null && (typeof max !== 'number' || !Number.isInteger(max) || max < 0 || max > MAX_DOMINANT_COLORS)) {
      throw invalid(`Settings.ImageProperties.MaxDominantColors must be an integer from 0 to ${MAX_DOMINANT_COLORS}`);
    }
    result.ImageProperties = typeof max === 'number' ? { MaxDominantColors: max } : {};
  }
  return result;
}

function parseGeneralLabels(value: unknown): GeneralLabelsSettings {
  if (!isRecord(value)) throw invalid('Settings.GeneralLabels must be an object');
  const extra = Object.keys(value).filter((k) => !(FILTER_FIELDS as readonly string[]).includes(k));
  if (extra.length > 0) throw invalid(`Settings.GeneralLabels has fields the labeller does not support: ${extra.join(', ')}`);
  const result: GeneralLabelsSettings = {};
  for (const field of FILTER_FIELDS) {
    const list = value[field];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list) || list.length > MAX_FILTERS) {
      throw invalid(`Settings.GeneralLabels.${field} must be a list of at most ${MAX_FILTERS} names`);
    }
    for (const name of list) {
      if (typeof name !== 'string' || name.length > MAX_FILTER_LENGTH || !FILTER_PATTERN.test(name)) {
        throw invalid(`Settings.GeneralLabels.${field} has an invalid name ${JSON.stringify(name)}: at most ${MAX_FILTER_LENGTH} letters, digits, spaces or '-_().`);
      }
    }
    result[field] = list as string[];
  }
  return result;
}

/** Whether a label passes the filters: inclusion by name or category (when any is given), then exclusion. */
export function passesFilters(name: string, categories: readonly string[], filters: LabelFilters): boolean {
  const cats = categories.map(key);
  const hasInclusion = filters.includeLabels.size > 0 || filters.includeCategories.size > 0;
  if (hasInclusion && !filters.includeLabels.has(key(name)) && !cats.some((c) => filters.includeCategories.has(c))) return false;
  if (filters.excludeLabels.has(key(name))) return false;
  return !cats.some((c) => filters.excludeCategories.has(c));
}
