/**
 * The shape of `pnpm db:seed:large`, decided in TypeScript before any row is written: which
 * organizations exist (tiers, timezones, models, how busy each is), their clients (weddings and
 * their dates), and how many usage rows each organization gets on each day of the year. The SQL
 * in seed-large-sql.ts then writes the rows themselves, set-based.
 *
 * Deterministic: the same seed and the same "today" give the same plan.
 */
import {
  addDays,
  type FeatureType,
  fieldExtractionResultSchema,
  pdfAnalysisResultSchema,
  type SubscriptionTier,
  smartMappingResultSchema,
} from "@wedsync/core";

// ---------------------------------------------------------------------------------------------
// Random numbers and days
// ---------------------------------------------------------------------------------------------

/** mulberry32: small, fast, good enough for shaping a data set. Returns [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

const DAY_MS = 86_400_000;

/** Calendar arithmetic on "YYYY-MM-DD" days: core's, re-exported for the seed's modules. */
export { addDays };
export const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);

// ---------------------------------------------------------------------------------------------
// Organizations
// ---------------------------------------------------------------------------------------------

export interface ModelChoice {
  /** The platform config's model at the start of the year. */
  before: string;
  /** After the organization switched (or the same model). */
  after: string;
  /** When it switched, as a fraction of the year (0..1). */
  switchAt: number;
}

export interface OrgSpec {
  name: string;
  slug: string;
  tier: SubscriptionTier;
  timezone: string;
  /** Relative share of the year's requests. */
  weight: number;
  /** Year-over-year growth: the load at the end of the year is (1 + growth/2) / (1 - growth/2) of the start. */
  growth: number;
  /** Joined the platform this many days into the year (no usage before), or 0. */
  onboardDay: number;
  /** Share of requests through the OpenAI-compatible endpoint (the rest through clients.process). */
  openaiShare: number;
  /** Demand per feature, unavailable features included (those requests are rejected: "tier"). */
  demand: Record<FeatureType, number>;
  models: Record<FeatureType, ModelChoice>;
}

const m = (before: string, after = before, switchAt = 1): ModelChoice => ({ before, after, switchAt });

const ENTERPRISE_DEMAND = { field_extraction: 0.5, pdf_analysis: 0.3, smart_mapping: 0.2 };
const PROFESSIONAL_DEMAND = { field_extraction: 0.61, pdf_analysis: 0.382, smart_mapping: 0.008 };
const FREE_DEMAND = { field_extraction: 0.96, pdf_analysis: 0.03, smart_mapping: 0.01 };

/** Twenty supplier organizations, most in the northern hemisphere's wedding season. */
export const ORGS: OrgSpec[] = [
  {
    name: "Evermore Wedding Planners",
    slug: "evermore-wedding-planners",
    tier: "enterprise",
    timezone: "Europe/London",
    weight: 18,
    growth: 0.6,
    onboardDay: 0,
    openaiShare: 0.4,
    demand: ENTERPRISE_DEMAND,
    models: {
      field_extraction: m("gpt-4o-mini", "gpt-4.1-mini", 0.45),
      pdf_analysis: m("gpt-4o", "gpt-4.1", 0.45),
      smart_mapping: m("o4-mini"),
    },
  },
  {
    name: "Hartwell Manor Venues",
    slug: "hartwell-manor-venues",
    tier: "enterprise",
    timezone: "America/New_York",
    weight: 12,
    growth: 0.5,
    onboardDay: 0,
    openaiShare: 0.55,
    demand: ENTERPRISE_DEMAND,
    models: {
      field_extraction: m("gpt-4o-mini"),
      pdf_analysis: m("gpt-4o", "gpt-4.1", 0.6),
      smart_mapping: m("gpt-4.1-mini"),
    },
  },
  {
    name: "Golden Gate Weddings",
    slug: "golden-gate-weddings",
    tier: "enterprise",
    timezone: "America/Los_Angeles",
    weight: 10,
    growth: 0.8,
    onboardDay: 0,
    openaiShare: 0.3,
    demand: ENTERPRISE_DEMAND,
    models: {
      field_extraction: m("gpt-4.1-mini"),
      pdf_analysis: m("gpt-4.1"),
      smart_mapping: m("o4-mini"),
    },
  },
  {
    name: "Maison Blanche Mariage",
    slug: "maison-blanche-mariage",
    tier: "enterprise",
    timezone: "Europe/Paris",
    weight: 8,
    growth: 0.4,
    onboardDay: 0,
    openaiShare: 0.2,
    demand: ENTERPRISE_DEMAND,
    models: {
      field_extraction: m("gpt-4o-mini", "gpt-4.1-nano", 0.3),
      pdf_analysis: m("gpt-4o"),
      smart_mapping: m("gpt-4.1"),
    },
  },
  {
    name: "Lakeside Celebrations",
    slug: "lakeside-celebrations",
    tier: "enterprise",
    timezone: "America/Chicago",
    weight: 7,
    growth: 0.7,
    onboardDay: 0,
    openaiShare: 0.45,
    demand: ENTERPRISE_DEMAND,
    models: {
      field_extraction: m("gpt-4.1-mini"),
      pdf_analysis: m("gpt-4o", "gpt-4.1", 0.7),
      smart_mapping: m("gpt-4.1-mini"),
    },
  },
  ...(
    [
      ["Bloom & Petal Florals", "Europe/London", 6, 0.5, 0, "gpt-4o-mini", "gpt-4o-mini"],
      ["Sierra Vista Photography", "America/Denver", 5, 0.6, 0, "gpt-4.1-nano", "gpt-4o-mini"],
      ["Amalfi Dream Weddings", "Europe/Rome", 5, 0.3, 0, "gpt-4o-mini", "gpt-4.1-mini"],
      ["Maple Leaf Events", "America/Toronto", 4, 0.5, 0, "gpt-4.1-nano", "gpt-4o-mini"],
      ["Dublin Bride Studio", "Europe/Dublin", 4, 0.4, 0, "gpt-4o-mini", "gpt-4o-mini"],
      ["Barcelona Bodas", "Europe/Madrid", 3, 0.6, 0, "gpt-4.1-nano", "gpt-4.1-mini"],
      ["Lone Star Catering", "America/Chicago", 3, 0.9, 100, "gpt-4o-mini", "gpt-4o-mini"],
      ["Highland Ceilidh Bands", "Europe/London", 3, 0.3, 0, "gpt-4.1-nano", "gpt-4.1-nano"],
      ["Brooklyn Cake Atelier", "America/New_York", 2, 0.5, 0, "gpt-4o-mini", "gpt-4o-mini"],
    ] as const
  ).map(
    ([name, timezone, weight, growth, onboardDay, field, pdf], i): OrgSpec => ({
      name,
      slug: name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, ""),
      tier: "professional",
      timezone,
      weight,
      growth,
      onboardDay,
      openaiShare: 0.15 + (i % 4) * 0.1,
      demand: PROFESSIONAL_DEMAND,
      models: {
        field_extraction: i % 3 === 0 ? m(field, "gpt-4.1-nano", 0.5) : m(field),
        pdf_analysis: m(pdf),
        smart_mapping: m("gpt-4o-mini"),
      },
    }),
  ),
  ...(
    [
      ["Cotswold Stationery Co", "Europe/London", 2, 0.4, 0, "local-rules"],
      ["Napa Valley Vows", "America/Los_Angeles", 2, 1.0, 220, "gpt-4.1-nano"],
      ["Aloha Island Weddings", "Pacific/Honolulu", 2, 0.3, 0, "local-rules"],
      ["Berlin Hochzeit Musik", "Europe/Berlin", 2, 0.5, 0, "gpt-4.1-nano"],
      ["Phoenix Desert Vows", "America/Phoenix", 1, 0.4, 0, "local-rules"],
      ["Reykjavik Elopements", "Atlantic/Reykjavik", 1, 0.6, 0, "gpt-4o-mini"],
    ] as const
  ).map(
    ([name, timezone, weight, growth, onboardDay, field], i): OrgSpec => ({
      name,
      slug: name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, ""),
      tier: "free",
      timezone,
      weight,
      growth,
      onboardDay,
      openaiShare: 0.1 + (i % 2) * 0.1,
      demand: FREE_DEMAND,
      models: {
        field_extraction: m(field),
        pdf_analysis: m("gpt-4o-mini"),
        smart_mapping: m("gpt-4o-mini"),
      },
    }),
  ),
];

// ---------------------------------------------------------------------------------------------
// The year's shape
// ---------------------------------------------------------------------------------------------

/** Relative load by month (Jan..Dec): engagement season in January, weddings May–September. */
const MONTH_LOAD = [0.8, 0.7, 0.8, 1.0, 1.4, 1.7, 1.75, 1.75, 1.6, 1.15, 0.7, 0.55];
/** Weddings by month (Jan..Dec), for the clients' wedding dates. */
const MONTH_WEDDINGS = [0.3, 0.35, 0.55, 0.8, 1.4, 1.8, 1.7, 1.8, 1.9, 1.5, 0.6, 0.5];
/** Sun..Sat. */
const WEEKDAY_LOAD = [0.95, 0.85, 0.95, 0.95, 1.0, 1.15, 1.35];
const WEEKDAY_WEDDINGS = [1.5, 0.2, 0.2, 0.3, 0.6, 2.0, 5.0];

/** Month factor interpolated between mid-months, so the season rises and falls smoothly. */
function seasonal(day: string, table: number[]): number {
  const d = new Date(`${day}T00:00:00Z`);
  const month = d.getUTCMonth();
  const daysInMonth = new Date(Date.UTC(d.getUTCFullYear(), month + 1, 0)).getUTCDate();
  const pos = (d.getUTCDate() - 15) / daysInMonth; // -0.5 .. +0.5 around mid-month
  const other = pos >= 0 ? (month + 1) % 12 : (month + 11) % 12;
  return table[month]! + (table[other]! - table[month]!) * Math.abs(pos);
}

/** Load of a day: season, weekday (Saturdays spike in season), holidays. */
export function dayLoad(day: string): number {
  const season = seasonal(day, MONTH_LOAD);
  const d = new Date(`${day}T00:00:00Z`);
  const weekday = d.getUTCDay();
  let w = WEEKDAY_LOAD[weekday]!;
  if (weekday === 6) w += 0.5 * Math.min(1, Math.max(0, (season - 1) / 0.75));
  const md = day.slice(5);
  if (md >= "12-24" && md <= "12-26") w *= 0.35;
  else if (md === "12-31" || md === "01-01") w *= 0.5;
  else if (md >= "01-02" && md <= "01-14") w *= 1.2; // engaged over the holidays: inquiries
  return season * w;
}

// ---------------------------------------------------------------------------------------------
// The plan
// ---------------------------------------------------------------------------------------------

export interface ClientPlan {
  index: number;
  coupleNames: string;
  weddingDate: string;
  venue: string;
  status: "inquiry" | "booked" | "completed";
  createdAt: Date;
}

export interface DayPlan {
  org: number;
  day: string;
  rows: number;
  /** Client index range active that day (sorted by wedding date): [lo, hi], upcoming from mid. */
  lo: number;
  mid: number;
  hi: number;
  pFail: number;
  pDegraded: number;
  /** Rejection probability of a request for an available feature (tier rejections come on top). */
  pReject: number;
}

export interface OrgPlan {
  spec: OrgSpec;
  /** First and last day of the year in the organization's timezone. */
  from: string;
  to: string;
  clients: ClientPlan[];
}

export interface SeedPlan {
  orgs: OrgPlan[];
  days: DayPlan[];
  totalRows: number;
  /** Days (UTC dates) when the primary provider had an incident. */
  incidents: string[];
}

const FIRST_NAMES = [
  "Emma",
  "Liam",
  "Olivia",
  "Noah",
  "Amelia",
  "Oliver",
  "Isla",
  "George",
  "Ava",
  "Arthur",
  "Mia",
  "Leo",
  "Sophia",
  "Harry",
  "Grace",
  "Oscar",
  "Lily",
  "Jack",
  "Freya",
  "Charlie",
  "Priya",
  "Tom",
  "Chloe",
  "Mateo",
  "Aisha",
  "Lucas",
  "Sofia",
  "Ethan",
  "Zara",
  "James",
  "Niamh",
  "Diego",
  "Hannah",
  "Kai",
  "Elena",
  "Sam",
  "Maya",
  "Finn",
  "Rosa",
  "Alex",
];
const VENUES = [
  "Hartwell Manor",
  "Kew Gardens",
  "The Old Boathouse",
  "Villa Cimbrone",
  "Lakeside Pavilion",
  "St Mary's Church",
  "The Grain Barn",
  "Château de Vaux",
  "Harbour View Hotel",
  "Orchard Farm",
  "The Glasshouse",
  "Castle Leslie",
  "Brooklyn Winery",
  "Sunset Ranch",
  "Highland Lodge",
];
const CLIENT_LEAD_DAYS = 260;

/** Active window of a client around its wedding: planning from 240 days before, wrap-up to 21 after. */
export const ACTIVE_BEFORE_DAYS = 240;
export const ACTIVE_AFTER_DAYS = 21;

export function buildPlan(opts: {
  totalRows: number;
  days: number;
  seed: number;
  now: Date;
  orgCount: number;
  /** The organization's today, for each timezone. */
  todayIn: (timezone: string) => string;
  clientsPerWeight: number;
}): SeedPlan {
  const rand = prng(opts.seed);
  const specs = ORGS.slice(0, opts.orgCount);
  if (specs.length < opts.orgCount) throw new Error(`at most ${ORGS.length} organizations`);

  // A few days when the primary provider struggled: failures and fallbacks for everyone.
  const utcToday = opts.now.toISOString().slice(0, 10);
  const incidents = Array.from({ length: 4 }, () => addDays(utcToday, -1 - Math.floor(rand() * opts.days)));

  const orgs: OrgPlan[] = specs.map((spec) => {
    const to = addDays(opts.todayIn(spec.timezone), -1); // yesterday: every timestamp is in the past
    const from = addDays(to, -(opts.days - 1));
    const count = Math.max(40, Math.round(spec.weight * opts.clientsPerWeight));
    const clients: ClientPlan[] = [];
    // Weddings from just before the year to 240 days after it, by month and weekday.
    const span = opts.days + ACTIVE_BEFORE_DAYS + ACTIVE_AFTER_DAYS;
    const weights: number[] = [];
    for (let i = 0; i < span; i++) {
      const day = addDays(from, i - ACTIVE_AFTER_DAYS);
      weights.push(
        seasonal(day, MONTH_WEDDINGS) * WEEKDAY_WEDDINGS[new Date(`${day}T00:00:00Z`).getUTCDay()]!,
      );
    }
    const cumulative: number[] = [];
    weights.reduce((s, w, i) => {
      cumulative[i] = s + w;
      return s + w;
    }, 0);
    const total = cumulative.at(-1)!;
    const dates: string[] = [];
    for (let i = 0; i < count; i++) {
      const x = rand() * total;
      let lo = 0;
      let hi = cumulative.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid]! < x) lo = mid + 1;
        else hi = mid;
      }
      dates.push(addDays(from, lo - ACTIVE_AFTER_DAYS));
    }
    dates.sort();
    const today = opts.todayIn(spec.timezone);
    dates.forEach((weddingDate, index) => {
      const a = FIRST_NAMES[Math.floor(rand() * FIRST_NAMES.length)]!;
      let b = FIRST_NAMES[Math.floor(rand() * FIRST_NAMES.length)]!;
      if (b === a) b = FIRST_NAMES[(FIRST_NAMES.indexOf(a) + 7) % FIRST_NAMES.length]!;
      const created = addDays(weddingDate, -CLIENT_LEAD_DAYS - Math.floor(rand() * 90));
      clients.push({
        index,
        coupleNames: `${a} & ${b}`,
        weddingDate,
        venue: VENUES[Math.floor(rand() * VENUES.length)]!,
        status: weddingDate < today ? "completed" : rand() < 0.85 ? "booked" : "inquiry",
        createdAt: new Date(Math.min(Date.parse(`${created}T10:00:00Z`), opts.now.getTime() - DAY_MS)),
      });
    });
    return { spec, from, to, clients };
  });

  // Raw weights per organization and day, then exact integer rows (largest remainder).
  const raw: Array<Omit<DayPlan, "rows"> & { w: number }> = [];
  orgs.forEach((org, o) => {
    const { spec } = org;
    const noise = prng(opts.seed * 31 + o);
    const campaigns = new Set(Array.from({ length: 4 }, () => Math.floor(noise() * opts.days)));
    const weddings = org.clients.map((c) => c.weddingDate);
    const firstAtOrAfter = (day: string) => {
      let lo = 0;
      let hi = weddings.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (weddings[mid]! < day) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    for (let i = 0; i < opts.days; i++) {
      if (i < spec.onboardDay) continue;
      const day = addDays(org.from, i);
      const t = i / (opts.days - 1);
      const ramp = spec.onboardDay > 0 ? Math.min(1, 0.2 + (0.8 * (i - spec.onboardDay)) / 21) : 1;
      const w =
        spec.weight *
        dayLoad(day) *
        (1 + spec.growth * (t - 0.5)) *
        ramp *
        Math.exp(0.12 * normal(noise)) *
        (campaigns.has(i) ? 1.8 : 1);
      let lo = firstAtOrAfter(addDays(day, -ACTIVE_AFTER_DAYS));
      const mid = firstAtOrAfter(day);
      let hi = firstAtOrAfter(addDays(day, ACTIVE_BEFORE_DAYS + 1)) - 1;
      if (lo > hi) {
        lo = 0;
        hi = weddings.length - 1;
      }
      const incident = incidents.includes(day);
      const load = dayLoad(day);
      raw.push({
        org: o,
        day,
        lo,
        mid: Math.min(Math.max(mid, lo), hi + 1),
        hi,
        w,
        pFail: incident ? 0.12 : 0.0185,
        pDegraded: incident ? 0.06 : 0.004,
        // Rate limits and caps bite more on busy days.
        pReject: 0.019 * (0.7 + 0.3 * load),
      });
    }
  });
  const sum = raw.reduce((s, r) => s + r.w, 0);
  const exact = raw.map((r) => (opts.totalRows * r.w) / sum);
  const rows = exact.map(Math.floor);
  let missing = opts.totalRows - rows.reduce((s, n) => s + n, 0);
  const byRemainder = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of byRemainder) {
    if (missing-- <= 0) break;
    rows[i]! += 1;
  }
  const days: DayPlan[] = raw
    .map(({ w: _w, ...r }, i) => ({ ...r, rows: rows[i]! }))
    .filter((d) => d.rows > 0);
  return { orgs, days, totalRows: opts.totalRows, incidents };
}

// ---------------------------------------------------------------------------------------------
// What a succeeded request stored (a few realistic results per feature, checked against core)
// ---------------------------------------------------------------------------------------------

const span = (start: number, text: string) => ({ start, end: start + text.length, text });
const field = <T>(value: T, confidence: number, start: number, text: string) => ({
  value,
  confidence,
  source: span(start, text),
});

export function resultTemplates(): Record<FeatureType, unknown[]> {
  // Sized like the platform's real results (a few hundred bytes: most fields are usually absent).
  const extraction = (i: number) => {
    const [a, b] = [FIRST_NAMES[i * 2]!, FIRST_NAMES[i * 2 + 1]!];
    const venue = VENUES[i]!;
    return {
      fields: {
        coupleNames: field([a, b], 0.85, 0, `${a} & ${b}`),
        weddingDate: i % 2 === 0 ? field(`2027-06-1${i}`, 0.6, 14, `1${i} June 2027`) : null,
        ceremonyVenue: i === 1 ? field(venue, 0.7, 32, venue) : null,
        receptionVenue: null,
        guestCount: i === 2 ? field(80 + i * 25, 0.9, 50, `${80 + i * 25} guests`) : null,
        email: null,
        phone: null,
        budget: null,
        ceremonyTime: null,
        theme: null,
      },
    };
  };
  const pdf = (i: number) => ({
    pageCount: 3 + i * 4,
    documentType: (["contract", "questionnaire", "quote", "timeline"] as const)[i]!,
    documentTypeConfidence: 0.8 + i * 0.03,
    sections: [
      { title: "Event details", page: 1 },
      { title: "Payment schedule", page: 2 },
    ].slice(0, 1 + (i % 2)),
    keyDates: [{ date: "2027-06-12", context: "Wedding day" }],
    amounts: i % 2 === 0 ? [{ amount: `${1200 + i * 350}.00`, currency: "GBP", context: "Total fee" }] : [],
    parties: [{ name: `${FIRST_NAMES[i]!} & ${FIRST_NAMES[i + 9]!}`, role: "couple" }],
    summary: "Floral design for the wedding day; 25% deposit, balance due three months before.",
  });
  const mapping = (i: number) => {
    const pairs = [
      ["Bride name", "coupleNames"],
      ["Wedding date", "weddingDate"],
      ["Ceremony location", "ceremonyVenue"],
      ["No. of guests", "guestCount"],
      ["Contact email", "email"],
    ].slice(0, 2 + i);
    return {
      mappings: pairs.map(([source, target], k) => ({
        source: source!,
        target: target!,
        confidence: 0.95 - k * 0.05,
      })),
      unmappedSources: i % 2 === 0 ? ["Dietary notes"] : [],
      unmappedTargets: i % 2 === 1 ? ["budget"] : [],
    };
  };
  const idx = [0, 1, 2, 3];
  return {
    field_extraction: idx.map((i) => fieldExtractionResultSchema.parse(extraction(i))),
    pdf_analysis: idx.map((i) => pdfAnalysisResultSchema.parse(pdf(i))),
    smart_mapping: idx.map((i) => smartMappingResultSchema.parse(mapping(i))),
  };
}
