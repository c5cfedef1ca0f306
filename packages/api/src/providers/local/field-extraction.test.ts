import { fieldExtractionResultSchema, type WeddingFields } from "@wedsync/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { extractWeddingFields } from "./field-extraction";
import {
  messyInquiry,
  plannerForward,
  questionnaireAnswers,
  ukFloristInquiry,
  usPhotographerInquiry,
} from "./field-extraction.fixtures";

type Values = { [K in keyof WeddingFields]: NonNullable<WeddingFields[K]>["value"] | null };

const values = (text: string): Values => {
  const { fields } = extractWeddingFields(text);
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v?.value ?? null])) as Values;
};

/** Every span must be the exact text at its offsets. */
function expectSpansMatch(text: string) {
  const { fields } = extractWeddingFields(text);
  for (const field of Object.values(fields)) {
    if (!field?.source) continue;
    const { start, end, text: spanText } = field.source;
    expect(start).toBeGreaterThanOrEqual(0);
    expect(end).toBeLessThanOrEqual(text.length);
    expect(start).toBeLessThanOrEqual(end);
    expect(text.slice(start, end)).toBe(spanText);
  }
}

describe("extractWeddingFields on realistic inquiries", () => {
  it("UK florist inquiry (prose, phrases rather than labels)", () => {
    expect(values(ukFloristInquiry)).toEqual({
      coupleNames: ["Emma", "Liam"],
      weddingDate: "2027-06-12",
      ceremonyVenue: "St Mary's Church",
      receptionVenue: "Gosfield Hall",
      guestCount: 120,
      email: "emma.hart@example.co.uk",
      phone: "07700 900123",
      budget: { amount: "2500.00", currency: "GBP" },
      ceremonyTime: "14:00",
      theme: "rustic boho",
    });
    const { fields } = extractWeddingFields(ukFloristInquiry);
    // The cued mention in the body ("We're Emma & Liam") beats the subject line's.
    expect(fields.coupleNames?.source?.start).toBe(ukFloristInquiry.indexOf("We're Emma") + 6);
    expect(fields.guestCount?.confidence).toBeLessThan(0.85); // "around 120" is approximate
    expectSpansMatch(ukFloristInquiry);
  });

  it("US photographer inquiry (month-first dates, $, 12-hour time, an introduction)", () => {
    expect(values(usPhotographerInquiry)).toEqual({
      coupleNames: ["Jessica Miller", "Daniel Thompson"],
      weddingDate: "2027-10-09",
      ceremonyVenue: "The Grand Hotel",
      receptionVenue: "Crystal Ballroom",
      guestCount: 85,
      email: "jess.miller@example.com",
      phone: "(312) 555-0147",
      budget: { amount: "6000.00", currency: "USD" },
      ceremonyTime: "16:30",
      theme: null, // "a classic black tie look" names no theme the rules recognise
    });
    const { fields } = extractWeddingFields(usPhotographerInquiry);
    // "married ... at The Grand Hotel" is weaker evidence than a labelled or "ceremony at" venue.
    expect(fields.ceremonyVenue!.confidence).toBeLessThan(fields.receptionVenue!.confidence);
    expectSpansMatch(usPhotographerInquiry);
  });

  it("questionnaire answers (labelled lines, Partner 1/2, EUR)", () => {
    expect(values(questionnaireAnswers)).toEqual({
      coupleNames: ["Aisha Khan", "Daniel O'Brien"],
      weddingDate: "2027-09-18",
      ceremonyVenue: "Leeds Town Hall",
      receptionVenue: "The Corn Exchange, Leeds",
      guestCount: 140,
      email: "aisha.khan@example.org",
      phone: "+44 7700 900456",
      budget: { amount: "18500.00", currency: "EUR" },
      ceremonyTime: "13:30",
      theme: "emerald green and gold",
    });
    const { fields } = extractWeddingFields(questionnaireAnswers);
    for (const f of Object.values(fields)) expect(f?.confidence).toBeGreaterThanOrEqual(0.85);
    expectSpansMatch(questionnaireAnswers);
  });

  it("messy text with typos and no capitals", () => {
    expect(values(messyInquiry)).toEqual({
      coupleNames: ["chloe", "jake"],
      weddingDate: "2027-09-03",
      ceremonyVenue: "the old barn at hinton",
      receptionVenue: "the old barn at hinton",
      guestCount: 90,
      email: "chloe_b123@gmail.com",
      phone: "07700-900-789",
      budget: { amount: "8000.00", currency: "GBP" },
      ceremonyTime: "13:30",
      theme: "festival / boho",
    });
    // A bare "venue:" fills both venues, less confidently than a ceremony/reception label.
    expect(extractWeddingFields(messyInquiry).fields.ceremonyVenue?.confidence).toBe(0.6);
    expectSpansMatch(messyInquiry);
  });

  it("a planner's forwarded e-mail: the header's Sent date and addresses do not win", () => {
    expect(values(plannerForward)).toEqual({
      coupleNames: ["Emma Smith", "Liam Jones"],
      weddingDate: "2027-06-12",
      ceremonyVenue: "Hengrave Hall",
      receptionVenue: "Hengrave Hall",
      guestCount: 150,
      email: "olivia@bennettweddings.co.uk",
      phone: "+44 (0)20 7946 0958",
      budget: { amount: "25000.00", currency: "GBP" },
      ceremonyTime: "14:30",
      theme: null,
    });
    const date = extractWeddingFields(plannerForward).fields.weddingDate!;
    expect(date.source?.text).toBe("12/06/2027");
    expect(date.confidence).toBe(0.75); // cued, but 12/06 could also be 6 December
    expectSpansMatch(plannerForward);
  });
});

describe("extractWeddingFields rules", () => {
  it("all fields are null when nothing is there", () => {
    const { fields } = extractWeddingFields("Hello, do you have a brochure? Thanks!");
    expect(Object.values(fields).every((f) => f === null)).toBe(true);
  });

  it("prefers the date nearest a wedding cue over deadlines and sent dates", () => {
    const text = "Sent: 1 March 2026\nPlease reply before 1 April 2026 as our wedding is on 5 May 2027.";
    expect(extractWeddingFields(text).fields.weddingDate?.value).toBe("2027-05-05");
    const deadline = "Our wedding: the deposit is due before 1 April 2026.";
    expect(extractWeddingFields(deadline).fields.weddingDate?.confidence).toBe(0.4);
  });

  it("applies the client's date format to numeric dates", () => {
    const text = "Wedding date: 06/09/2027";
    expect(extractWeddingFields(text).fields.weddingDate?.value).toBe("2027-09-06");
    expect(extractWeddingFields(text, "MM/DD/YYYY").fields.weddingDate?.value).toBe("2027-06-09");
    expect(extractWeddingFields(text, "MM/DD/YYYY").fields.weddingDate?.confidence).toBe(0.9);
  });

  it.each([
    ["Emma & Liam", ["Emma", "Liam"]],
    ["Emma Smith and Liam Jones", ["Emma Smith", "Liam Jones"]],
    ["Bride: Emma / Groom: Liam", ["Emma", "Liam"]],
    ["Groom: Liam\nBride: Emma", ["Emma", "Liam"]],
    ["Partner 1: Sam Lee\nPartner 2: Alex Kim", ["Sam Lee", "Alex Kim"]],
    ["Dear Emma & Liam, thanks", ["Emma", "Liam"]],
    ["I'm Zoë and my fiancé, Jean-Luc, proposed", ["Zoë", "Jean-Luc"]],
  ])("couple names in %j", (text, expected) => {
    expect(extractWeddingFields(text).fields.coupleNames?.value).toEqual(expected);
  });

  it.each([
    "Please read our Terms and Conditions",
    "Mr & Mrs Smith",
    "Smith & Co Photography",
    "Bride and Groom",
  ])("%j is not a couple", (text) => {
    expect(extractWeddingFields(text).fields.coupleNames).toBeNull();
  });

  it.each([
    ["Ceremony: 2pm at St Mary's Church", "St Mary's Church", null],
    ["Ceremony & reception venue: Hengrave Hall", "Hengrave Hall", "Hengrave Hall"],
    ["The reception venue is The Old Barn.", null, "The Old Barn"],
    ["We're getting married in June at Christmas", null, null],
  ])("venues in %j", (text, ceremony, reception) => {
    const { fields } = extractWeddingFields(text);
    expect([fields.ceremonyVenue?.value ?? null, fields.receptionVenue?.value ?? null]).toEqual([
      ceremony,
      reception,
    ]);
  });

  it.each([
    ["120 guests", 120],
    ["Guest count: 85", 85],
    ["expecting around 150 people", 150],
    ["Number of guests - 1,200", 1200],
    ["somewhere between 100-120 guests", 120],
    ["guests arriving at 14:00", null],
  ])("guest count in %j", (text, expected) => {
    expect(extractWeddingFields(text).fields.guestCount?.value ?? null).toBe(expected);
  });

  it.each([
    ["our budget is £25,000", { amount: "25000.00", currency: "GBP" }],
    ["we can spend $30k", { amount: "30000.00", currency: "USD" }],
    ["budget of 18,500 EUR", { amount: "18500.00", currency: "EUR" }],
    ["budget £20-25k", { amount: "25000.00", currency: "GBP" }],
    ["a deposit of £500 then our budget is £4,000", { amount: "4000.00", currency: "GBP" }],
  ])("budget in %j", (text, expected) => {
    expect(extractWeddingFields(text).fields.budget?.value).toEqual(expected);
  });

  it.each([
    ["our budget is around 2,500", { amount: "2500.00", currency: "CHF" }],
    ["Budget: 25k", { amount: "25000.00", currency: "CHF" }],
    ["budget 1800.50 for flowers", { amount: "1800.50", currency: "CHF" }],
    // A currency written in the text wins over the client's.
    ["budget of 18,500 EUR", { amount: "18500.00", currency: "EUR" }],
    ["our budget is £25,000", { amount: "25000.00", currency: "GBP" }],
    // Not money: a count, a percentage, a year.
    ["budget for 120 guests", null],
    ["budget 10% over", null],
    ["no budget in 2027 yet", null],
  ])("budget in %j with the client's currency CHF", (text, expected) => {
    expect(extractWeddingFields(text, undefined, "CHF").fields.budget?.value ?? null).toEqual(expected);
  });

  it("without the client's currency, a bare number after budget is not a budget", () => {
    expect(extractWeddingFields("our budget is around 2,500").fields.budget).toBeNull();
  });

  it.each([
    ["Ceremony at 2pm", "14:00"],
    ["the ceremony starts at 2:30 pm", "14:30"],
    ["14:30 Ceremony", "14:30"],
    ["Ceremony at 12 noon", "12:00"],
    ["Ceremony: 12am (a midnight wedding!)", "00:00"],
    ["Ceremony at 2pm, reception at 6pm", "14:00"],
    ["Reception at 6pm, ceremony at 2.30pm", "14:30"],
    ["ceremony at 1:30", "13:30"], // no am/pm: an afternoon reading
    ["call me after 6pm", null], // a time with no ceremony cue is not assumed
  ])("ceremony time in %j", (text, expected) => {
    expect(extractWeddingFields(text).fields.ceremonyTime?.value ?? null).toBe(expected);
  });

  it.each([
    ["+44 7700 900123", "+44 7700 900123"],
    ["Tel: 020 7946 0958", "020 7946 0958"],
    ["call 555.123.4567 today", "555.123.4567"],
    ["+1 (312) 555-0147", "+1 (312) 555-0147"],
    ["order 12345 on 2027-06-12 14:30", null],
  ])("phone in %j", (text, expected) => {
    expect(extractWeddingFields(text).fields.phone?.value ?? null).toBe(expected);
  });

  it("takes an e-mail address without the sentence's full stop, and skips malformed ones", () => {
    expect(
      extractWeddingFields("a@b, @x.com, mail me at jo.bloggs+wed@mail.example.com.").fields.email?.value,
    ).toBe("jo.bloggs+wed@mail.example.com");
  });

  it.each([
    ["theme: rustic boho", "rustic boho"],
    ["Our wedding theme is a Great Gatsby party.", "Great Gatsby party"],
    ["a 1920s themed wedding", "1920s"],
    ["the theme", null],
  ])("theme in %j", (text, expected) => {
    expect(extractWeddingFields(text).fields.theme?.value ?? null).toBe(expected);
  });
});

/** Fragments that trigger the rules, so random texts reach deep into them rather than only the "no match" paths. */
const fragment = fc.oneof(
  fc.constantFrom(
    "Ceremony:",
    "Reception venue:",
    "Venue:",
    "ceremony at ",
    "reception is at ",
    "married on ",
    "the ",
    "The ",
    "St Mary's",
    "Emma",
    "Liam",
    " & ",
    " and ",
    "Bride: ",
    "Groom: ",
    "Partner 1 name: ",
    "I'm ",
    "my fiancé ",
    "12 June 2027",
    "June 12th, 2027",
    "12/06/2027",
    "2027-02-30",
    "£",
    "$",
    "€",
    "25,000",
    "30k",
    " EUR",
    "budget ",
    "120 guests",
    "Guest count: ",
    "2pm",
    "14:30",
    "1.30pm",
    "noon",
    "theme: ",
    " themed",
    "@",
    "a@b.co",
    ".",
    "+44 ",
    "(0)20 ",
    "07700 900123",
    "-",
    "\n",
    " ",
    "\t",
    "é",
    "😀",
    "\u0000",
    "\ud800",
  ),
  fc.string({ maxLength: 6 }),
);
const weddingish = fc.array(fragment, { maxLength: 60 }).map((parts) => parts.join(""));
const anyUtf16 = fc.string({
  unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
  maxLength: 300,
});

describe("extractWeddingFields properties", () => {
  it("never throws, always matches the schema, and every span is the text at its offsets", () => {
    fc.assert(
      fc.property(fc.oneof(weddingish, anyUtf16, fc.string({ unit: "binary" })), (text) => {
        const result = extractWeddingFields(text);
        expect(fieldExtractionResultSchema.safeParse(result).success).toBe(true);
        expectSpansMatch(text);
      }),
      { numRuns: 500 },
    );
  });

  it("is deterministic", () => {
    fc.assert(
      fc.property(weddingish, (text) => {
        expect(extractWeddingFields(text)).toEqual(extractWeddingFields(text));
      }),
    );
  });

  it("stays fast on long, repetitive input (no catastrophic or quadratic scans)", () => {
    const nasty = [
      "a".repeat(100_000),
      "Emma ".repeat(20_000),
      "Emma & ".repeat(15_000),
      "1".repeat(100_000),
      "1-2 ".repeat(25_000),
      "a.".repeat(50_000),
      "@a".repeat(50_000),
      "£1,".repeat(30_000),
      `${"1 ".repeat(50_000)}guests`,
      "ceremony 2pm ".repeat(8_000),
      "ceremony at ".repeat(10_000),
      "Bride: ".repeat(15_000),
      "The ".repeat(25_000),
    ];
    for (const text of nasty) {
      const started = performance.now();
      expect(fieldExtractionResultSchema.safeParse(extractWeddingFields(text)).success).toBe(true);
      // Each takes well under 100 ms on a laptop; the bound only catches super-linear blow-ups.
      expect(performance.now() - started).toBeLessThan(1_000);
    }
  });
});
