import type { FieldExtractionResult } from "@wedsync/core";
import { findBudget } from "./fields-budget";
import { findEmail, findPhone } from "./fields-contact";
import { findCeremonyTime, findGuestCount, findWeddingDate } from "./fields-event";
import { findCoupleNames } from "./fields-names";
import { findTheme } from "./fields-theme";
import { findVenues } from "./fields-venues";
import type { DateFormatHint } from "./text-dates";

export type { DateFormatHint } from "./text-dates";

/**
 * Wedding details from free text (an inquiry e-mail, form answers) by rules: each value comes
 * with a confidence and the exact span it was read from, so a person can check it. A field the
 * rules cannot find is null rather than guessed. Pure and deterministic; never throws on text.
 *
 * `dateFormat` is the client's preference for reading numeric dates such as 06/09/2027;
 * `currency` its currency, for a budget written without one.
 */
export function extractWeddingFields(
  text: string,
  dateFormat?: DateFormatHint,
  currency?: string,
): FieldExtractionResult {
  const { ceremonyVenue, receptionVenue } = findVenues(text);
  return {
    fields: {
      coupleNames: findCoupleNames(text),
      weddingDate: findWeddingDate(text, dateFormat),
      ceremonyVenue,
      receptionVenue,
      guestCount: findGuestCount(text),
      email: findEmail(text),
      phone: findPhone(text),
      budget: findBudget(text, currency),
      ceremonyTime: findCeremonyTime(text),
      theme: findTheme(text),
    },
  };
}
