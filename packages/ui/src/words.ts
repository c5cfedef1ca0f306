import { FEATURE_TYPES, type FeatureType } from "@wedsync/core/domain";
import { featureLabel, tierLabel } from "./format";

/** Product words for the codes the API speaks: never show a raw code on screen. */
export const featureWords = (f: string) => featureLabel(f);
export const tierWords = (t: string) => tierLabel(t);
export const FEATURES: readonly FeatureType[] = FEATURE_TYPES;

export const FEATURE_DESCRIPTIONS: Record<FeatureType, string> = {
  pdf_analysis: "Reads contracts, questionnaires and timelines from PDFs.",
  field_extraction: "Pulls names, dates, venues and guest counts out of messages.",
  smart_mapping: "Matches fields from other tools to your own form fields.",
};
