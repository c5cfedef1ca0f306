import type { SeasonSource } from "@wedsync/core/domain";

/** Where a season's index came from, in the words the analytics and quotas screens use. */
export const SEASON_SOURCE_WORDS: Record<SeasonSource, string> = {
  "own-detrended": "your own history (growth taken out)",
  own: "your own history",
  typical: "a typical wedding supplier's year, until you have 12 months of your own",
};
